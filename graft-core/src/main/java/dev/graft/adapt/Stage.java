package dev.graft.adapt;

import java.util.List;

/**
 * One phase of training: a setting per layer group (backbone groups input first, then
 * {@code head}) until its end condition holds. The learning-rate schedule restarts with every
 * stage, so groups unfrozen in a later stage get their own warm-up.
 *
 * @param name e.g. {@code head}, {@code unfreeze}, {@code unfreeze-block4}
 * @param groups settings of every group, ending with {@code head}
 * @param end when the stage ends
 * @param adapter adapters trained in this stage, or null
 */
public record Stage(String name, List<GroupSetting> groups, StageEnd end, AdapterSpec adapter) {

    /**
     * A stage without adapters.
     *
     * @param name e.g. {@code head}, {@code unfreeze}, {@code unfreeze-block4}
     * @param groups settings of every group, ending with {@code head}
     * @param end when the stage ends
     */
    public Stage(String name, List<GroupSetting> groups, StageEnd end) {
        this(name, groups, end, null);
    }

    /**
     * Copies the group settings and checks that they end with {@code head}.
     *
     * @param name e.g. {@code head}, {@code unfreeze}, {@code unfreeze-block4}
     * @param groups settings of every group, ending with {@code head}
     * @param end when the stage ends
     * @param adapter adapters trained in this stage, or null
     */
    public Stage {
        groups = List.copyOf(groups);
        if (groups.isEmpty() || !groups.get(groups.size() - 1).group().equals("head")) {
            throw new IllegalArgumentException("a stage's groups end with the head: " + groups);
        }
    }

    /**
     * {@return index of the lowest group that trains or holds adapters (groups below it can be
     *     cached), or the backbone's group count when only the head trains}
     */
    public int boundary() {
        int backboneGroups = groups.size() - 1;
        int lowestAdapted = backboneGroups;
        if (adapter != null) {
            int blocks = backboneGroups - 1;
            lowestAdapted = 1 + (adapter.blocks() == 0 ? 0 : Math.max(0, blocks - adapter.blocks()));
        }
        for (int g = 0; g < backboneGroups; g++) {
            if (groups.get(g).trainable()) {
                return Math.min(g, lowestAdapted);
            }
        }
        return lowestAdapted;
    }

    /** {@return whether only the head trains} */
    public boolean headOnly() {
        return boundary() == groups.size() - 1;
    }
}
