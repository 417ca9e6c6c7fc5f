package dev.graft.adapt;

/**
 * How one layer group is treated during a stage.
 *
 * @param group the layer group's name, e.g. {@code block5} or {@code head}
 * @param trainable whether its weights change
 * @param lrMultiplier factor applied on top of the learning-rate schedule (0 when frozen)
 * @param batchNorm what BatchNorm layers in the group do (no effect on groups without any)
 */
public record GroupSetting(String group, boolean trainable, double lrMultiplier, BatchNormPolicy batchNorm) {

    /**
     * Checks the name and multiplier; a null {@code batchNorm} means {@link BatchNormPolicy#INFERENCE}.
     *
     * @param group the layer group's name, e.g. {@code block5} or {@code head}
     * @param trainable whether its weights change
     * @param lrMultiplier factor applied on top of the learning-rate schedule (0 when frozen)
     * @param batchNorm what BatchNorm layers in the group do (no effect on groups without any)
     */
    public GroupSetting {
        if (group == null || group.isBlank()) {
            throw new IllegalArgumentException("group name is blank");
        }
        if (lrMultiplier < 0 || Double.isNaN(lrMultiplier)) {
            throw new IllegalArgumentException("lrMultiplier of " + group + " must be ≥ 0: " + lrMultiplier);
        }
        if (!trainable && lrMultiplier != 0) {
            throw new IllegalArgumentException("frozen group " + group + " has lrMultiplier " + lrMultiplier);
        }
        if (batchNorm == null) {
            batchNorm = BatchNormPolicy.INFERENCE;
        }
    }

    /**
     * Makes a frozen group: no training, BatchNorm in inference mode.
     *
     * @param group the layer group's name
     * @return a frozen group
     */
    public static GroupSetting frozen(String group) {
        return new GroupSetting(group, false, 0, BatchNormPolicy.INFERENCE);
    }

    /**
     * Makes a trained group.
     *
     * @param group the layer group's name
     * @param lrMultiplier factor applied on top of the learning-rate schedule, above 0
     * @return a group trained at the base learning rate times {@code lrMultiplier}, BatchNorm in inference mode
     */
    public static GroupSetting trained(String group, double lrMultiplier) {
        return new GroupSetting(group, true, lrMultiplier, BatchNormPolicy.INFERENCE);
    }
}
