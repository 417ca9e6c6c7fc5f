package dev.graft.backbone;

/**
 * A named slice of a backbone that is frozen or trained as a unit.
 *
 * @param name e.g. {@code embeddings} or {@code block3}
 * @param parameters number of scalar parameters in the group
 */
public record LayerGroup(String name, long parameters) {}
