package dev.graft.adapt;

import dev.graft.GraftException;
import dev.graft.backbone.Backbone;

/** A way of adapting a backbone, expressed as a {@link FineTunePlan} over its layer groups. */
public sealed interface Strategy permits FeatureExtraction {

    /** @return the name used on the command line, e.g. {@code feature-extraction} */
    String name();

    /**
     * @param backbone the backbone to adapt
     * @return the plan for that backbone's layer groups
     */
    FineTunePlan plan(Backbone backbone);

    /** @return freeze the backbone, train only a new head */
    static Strategy featureExtraction() {
        return new FeatureExtraction();
    }

    /**
     * @param name a strategy name as given on the command line
     * @return the strategy
     */
    static Strategy parse(String name) {
        if (FeatureExtraction.NAME.equals(name)) {
            return featureExtraction();
        }
        throw new GraftException("unknown strategy '" + name + "'; available: " + FeatureExtraction.NAME);
    }
}
