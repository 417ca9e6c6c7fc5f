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
 */
public record Stage(String name, List<GroupSetting> groups, StageEnd end) {

    public Stage {
        groups = List.copyOf(groups);
        if (groups.isEmpty() || !groups.get(groups.size() - 1).group().equals("head")) {
            throw new IllegalArgumentException("a stage's groups end with the head: " + groups);
        }
    }

    /** @return index of the lowest trainable backbone group, or the backbone's group count when none trains */
    public int boundary() {
        for (int g = 0; g < groups.size() - 1; g++) {
            if (groups.get(g).trainable()) {
                return g;
            }
        }
        return groups.size() - 1;
    }

    /** @return whether only the head trains */
    public boolean headOnly() {
        return boundary() == groups.size() - 1;
    }
}
