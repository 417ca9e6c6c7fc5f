package dev.graft.adapt;

import dev.graft.GraftException;
import dev.graft.Parameter;
import dev.graft.backbone.Backbone;
import dev.graft.backbone.LayerGroup;
import java.util.ArrayList;
import java.util.List;

/** A way of adapting a backbone, expressed as a {@link FineTunePlan} over its layer groups. */
public sealed interface Strategy permits Strategy.FeatureExtraction, Strategy.Partial, Strategy.Full,
        Strategy.TwoStage, Strategy.Gradual, Strategy.Adapter {

    /** {@return the name used on the command line, e.g. {@code partial:2}} */
    String name();

    /**
     * @param groups the backbone's layer-group names, input first
     * @param options learning rates, budgets and schedule
     * @return the plan
     */
    FineTunePlan plan(List<String> groups, TrainingOptions options);

    /**
     * Makes the plan for a loaded backbone from its layer groups.
     *
     * @param backbone the backbone whose layer groups the plan covers
     * @param options learning rates, budgets and schedule
     * @return the plan for the backbone
     */
    default FineTunePlan plan(Backbone backbone, TrainingOptions options) {
        return plan(backbone.layerGroups().stream().map(LayerGroup::name).toList(), options);
    }

    /** Freeze the backbone; train only a new head on cached features. */
    record FeatureExtraction() implements Strategy {
        @Override
        public String name() {
            return "feature-extraction";
        }

        @Override
        public FineTunePlan plan(List<String> groups, TrainingOptions o) {
            List<GroupSetting> settings = new ArrayList<>();
            for (String g : groups) {
                settings.add(GroupSetting.frozen(g));
            }
            settings.add(GroupSetting.trained("head", 1.0));
            Stage head = new Stage("head", settings, new StageEnd(o.epochs(), o.frozenHeadPatience()));
            return new FineTunePlan(name(), List.of(head), o.schedule(), o.headOnlyOptimizer(), o.frozenHeadBatchSize(), 0);
        }
    }

    /** Train the top {@code blocks} groups and the head, from the start. */
    record Partial(int blocks) implements Strategy {
        /**
         * Checks that at least one group trains.
         *
         * @param blocks how many of the top backbone groups train, at least 1
         */
        public Partial {
            if (blocks < 1) {
                throw new GraftException("partial:" + blocks + " needs at least one block; use feature-extraction to train only the head");
            }
        }

        @Override
        public String name() {
            return "partial:" + blocks;
        }

        @Override
        public FineTunePlan plan(List<String> groups, TrainingOptions o) {
            checkBlocks(blocks, groups);
            return new FineTunePlan(name(), List.of(unfreezeStage("unfreeze", groups, blocks, o, o.stageEpochs())),
                    o.schedule(), o.optimizer(), o.stageBatchSize(), o.backboneDropout());
        }
    }

    /** Train every group and the head, from the start. */
    record Full() implements Strategy {
        @Override
        public String name() {
            return "full";
        }

        @Override
        public FineTunePlan plan(List<String> groups, TrainingOptions o) {
            return new FineTunePlan(name(), List.of(unfreezeStage("unfreeze", groups, groups.size(), o, o.stageEpochs())),
                    o.schedule(), o.optimizer(), o.stageBatchSize(), o.backboneDropout());
        }
    }

    /**
     * Train the head until validation loss stops improving, then unfreeze the top groups (or all).
     *
     * @param unfreeze groups to unfreeze in stage 2, or -1 for {@link TrainingOptions#unfreeze()}
     */
    record TwoStage(int unfreeze) implements Strategy {
        /**
         * Checks that stage 2 unfreezes at least one group.
         *
         * @param unfreeze groups to unfreeze in stage 2, or -1 for {@link TrainingOptions#unfreeze()}
         */
        public TwoStage {
            if (unfreeze == 0 || unfreeze < -1) {
                throw new GraftException("two-stage:" + unfreeze + " needs at least one group to unfreeze; use feature-extraction to train only the head");
            }
        }

        /** Unfreeze as many groups as the plan options say (all by default). */
        public TwoStage() {
            this(-1);
        }

        @Override
        public String name() {
            return unfreeze < 0 ? "two-stage" : "two-stage:" + unfreeze;
        }

        @Override
        public FineTunePlan plan(List<String> groups, TrainingOptions o) {
            int k = unfreeze > 0 ? unfreeze : o.unfreeze() < 0 ? groups.size() : o.unfreeze();
            checkBlocks(k, groups);
            return new FineTunePlan(name(), List.of(headStage(groups, o), unfreezeStage("unfreeze", groups, k, o, o.stageEpochs())),
                    o.schedule(), o.optimizer(), o.stageBatchSize(), o.backboneDropout());
        }
    }

    /** ULMFiT: the head first, then one more group, top-down, each time validation loss plateaus. */
    record Gradual() implements Strategy {
        @Override
        public String name() {
            return "gradual";
        }

        @Override
        public FineTunePlan plan(List<String> groups, TrainingOptions o) {
            List<Stage> stages = new ArrayList<>();
            stages.add(headStage(groups, o));
            for (int k = 1; k <= groups.size(); k++) {
                stages.add(unfreezeStage("unfreeze-" + groups.get(groups.size() - k), groups, k, o, o.stageEpochs()));
            }
            return new FineTunePlan(name(), stages, o.schedule(), o.optimizer(), o.stageBatchSize(), o.backboneDropout());
        }
    }

    /** Freeze the backbone; train adapters (LoRA or prefix) and the head. */
    record Adapter(AdapterSpec spec) implements Strategy {
        @Override
        public String name() {
            return spec.kind();
        }

        @Override
        public FineTunePlan plan(List<String> groups, TrainingOptions o) {
            List<GroupSetting> settings = new ArrayList<>();
            for (String g : groups) {
                settings.add(GroupSetting.frozen(g));
            }
            settings.add(GroupSetting.trained("head", o.fineTuneFactor()));
            Stage stage = new Stage("adapt", settings, new StageEnd(o.stageEpochs(), o.stagePatience()), spec);
            return new FineTunePlan(name(), List.of(stage), o.schedule(), o.optimizer(), o.stageBatchSize(), 0);
        }
    }

    /** {@return freeze the backbone, train only the head} */
    static Strategy featureExtraction() {
        return new FeatureExtraction();
    }

    /**
     * @param name {@code feature-extraction}, {@code partial:K}, {@code full}, {@code two-stage},
     *     {@code two-stage:K}, {@code gradual}, {@code lora} or {@code prefix}
     * @return the strategy
     */
    static Strategy parse(String name) {
        String n = name.strip();
        if (n.startsWith("two-stage:")) {
            try {
                return new TwoStage(Integer.parseInt(n.substring("two-stage:".length())));
            } catch (NumberFormatException e) {
                throw new GraftException(Parameter.STRATEGY, name, "is not valid: K must be a number of groups, e.g. two-stage:2");
            }
        }
        if (n.startsWith("partial:")) {
            try {
                return new Partial(Integer.parseInt(n.substring("partial:".length())));
            } catch (NumberFormatException e) {
                throw new GraftException(Parameter.STRATEGY, name, "is not valid: K must be a number of blocks, e.g. partial:2");
            }
        }
        return switch (n) {
            case "feature-extraction" -> new FeatureExtraction();
            case "full" -> new Full();
            case "two-stage" -> new TwoStage();
            case "gradual" -> new Gradual();
            case "lora" -> new Adapter(AdapterSpec.lora());
            case "prefix" -> new Adapter(AdapterSpec.prefix());
            case "partial" -> throw new GraftException(Parameter.STRATEGY, "partial", "needs the number of blocks, e.g. partial:2");
            case "auto" -> throw new GraftException("strategy 'auto' is a choice among the others, made by measuring, not a"
                    + " strategy itself; ask for it where the choice is made (ClassifierBuilder.strategy(\"auto\")), or name one"
                    + " of: feature-extraction, partial:K, full, two-stage, two-stage:K, gradual, lora, prefix");
            default -> throw new GraftException("unknown strategy '" + name
                    + "'; available: auto, feature-extraction, partial:K, full, two-stage, two-stage:K, gradual, lora, prefix");
        };
    }

    private static void checkBlocks(int k, List<String> groups) {
        if (k > groups.size()) {
            throw new GraftException(k + " blocks to unfreeze, but the backbone has " + groups.size()
                    + " layer groups (" + String.join(", ", groups) + "); use full to train them all");
        }
    }

    private static Stage headStage(List<String> groups, TrainingOptions o) {
        List<GroupSetting> settings = new ArrayList<>();
        for (String g : groups) {
            settings.add(GroupSetting.frozen(g));
        }
        settings.add(GroupSetting.trained("head", 1.0));
        return new Stage("head", settings, new StageEnd(o.headEpochs(), o.headPatience()));
    }

    private static Stage unfreezeStage(String name, List<String> groups, int topK, TrainingOptions o, int epochs) {
        List<GroupSetting> settings = new ArrayList<>();
        int first = groups.size() - topK;
        for (int g = 0; g < groups.size(); g++) {
            if (g < first) {
                settings.add(GroupSetting.frozen(groups.get(g)));
            } else {
                double decay = Math.pow(o.layerDecay(), groups.size() - 1 - g);
                settings.add(GroupSetting.trained(groups.get(g), o.fineTuneFactor() / o.lrRatio() * decay));
            }
        }
        settings.add(GroupSetting.trained("head", o.fineTuneFactor()));
        return new Stage(name, settings, new StageEnd(epochs, o.stagePatience()));
    }
}
