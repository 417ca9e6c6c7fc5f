package dev.graft.adapt;

import java.util.List;

/**
 * What trains and how fast: one setting per backbone layer group (input first) plus the head.
 * Serialised as JSON into bundles; the training loop executes it.
 *
 * @param strategy the strategy that made the plan, e.g. {@code feature-extraction}
 * @param groups settings of the backbone's layer groups, input first, then {@code head}
 */
public record FineTunePlan(String strategy, List<GroupSetting> groups) {

    public FineTunePlan {
        groups = List.copyOf(groups);
        if (groups.isEmpty() || !groups.get(groups.size() - 1).group().equals("head")) {
            throw new IllegalArgumentException("a plan ends with the head group: " + groups);
        }
    }

    /** @return true when no backbone group trains, so backbone features can be cached */
    public boolean backboneFrozen() {
        return groups.stream().filter(g -> !g.group().equals("head")).noneMatch(GroupSetting::trainable);
    }
}
