package dev.graft.adapt;

import java.util.List;

/**
 * What trains, how fast and when: ordered stages over the backbone's layer groups and the head,
 * a learning-rate schedule (restarted per stage) and optimiser settings. Serialised as JSON into
 * checkpoints and bundles; one training loop executes any plan.
 *
 * @param strategy the strategy that made the plan, e.g. {@code two-stage}
 * @param stages the stages, in order
 * @param schedule learning-rate factor over each stage
 * @param optimizer optimiser settings
 * @param batchSize examples per step
 * @param backboneDropout dropout inside the backbone while it trains
 */
public record FineTunePlan(String strategy, List<Stage> stages, Schedule schedule, OptimizerSettings optimizer,
        int batchSize, double backboneDropout) {

    /**
     * Copies the stages and checks that there is at least one.
     *
     * @param strategy the strategy that made the plan, e.g. {@code two-stage}
     * @param stages the stages, in order
     * @param schedule learning-rate factor over each stage
     * @param optimizer optimiser settings
     * @param batchSize examples per step
     * @param backboneDropout dropout inside the backbone while it trains
     */
    public FineTunePlan {
        stages = List.copyOf(stages);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a plan needs at least one stage");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive: " + batchSize);
        }
    }

    /** {@return true when no stage trains a backbone group, so cached features suffice} */
    public boolean backboneFrozen() {
        return stages.stream().allMatch(s -> s.headOnly() && s.adapter() == null);
    }

    /**
     * Computes one group's learning rate at one step: base rate × group multiplier × schedule.
     *
     * @param stage index into {@link #stages()}
     * @param group index into the stage's groups (the head is last; one past the head means the adapters)
     * @param step 0-based step within the stage
     * @param totalSteps steps the stage may take
     * @param stepsPerEpoch steps per epoch
     * @return the learning rate of that group at that step: base × multiplier × schedule
     */
    public double learningRate(int stage, int group, long step, long totalSteps, long stepsPerEpoch) {
        Stage s = stages.get(stage);
        double multiplier = group == s.groups().size() ? s.adapter().lrMultiplier() : s.groups().get(group).lrMultiplier();
        return optimizer.learningRate() * multiplier * schedule.factor(step, totalSteps, stepsPerEpoch);
    }

    /** {@return the adapters some stage trains, or null} */
    public AdapterSpec adapter() {
        return stages.stream().map(Stage::adapter).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /**
     * Returns a copy in which the trained backbone groups treat BatchNorm as given.
     *
     * @param policy what BatchNorm layers of the trained backbone groups do
     * @return a copy with that policy in every stage
     */
    public FineTunePlan withBatchNorm(BatchNormPolicy policy) {
        List<Stage> changed = stages.stream().map(s -> new Stage(s.name(), s.groups().stream()
                .map(g -> new GroupSetting(g.group(), g.trainable(), g.lrMultiplier(), policy)).toList(), s.end(), s.adapter()))
                .toList();
        return new FineTunePlan(strategy, changed, schedule, optimizer, batchSize, backboneDropout);
    }

    /** {@return names of the groups, backbone first, head last} */
    public List<String> groupNames() {
        return stages.get(0).groups().stream().map(GroupSetting::group).toList();
    }
}
