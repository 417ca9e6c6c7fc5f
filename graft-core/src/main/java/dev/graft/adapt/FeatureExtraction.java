package dev.graft.adapt;

import dev.graft.backbone.Backbone;
import dev.graft.backbone.LayerGroup;
import java.util.ArrayList;
import java.util.List;

/** Freeze every backbone group; train only the head on cached features. */
public record FeatureExtraction() implements Strategy {

    static final String NAME = "feature-extraction";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FineTunePlan plan(Backbone backbone) {
        List<GroupSetting> groups = new ArrayList<>();
        for (LayerGroup g : backbone.layerGroups()) {
            groups.add(GroupSetting.frozen(g.name()));
        }
        groups.add(GroupSetting.trained("head", 1.0));
        return new FineTunePlan(NAME, groups);
    }
}
