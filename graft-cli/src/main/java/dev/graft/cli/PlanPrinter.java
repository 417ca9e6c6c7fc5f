package dev.graft.cli;

import dev.graft.FitRequest;
import dev.graft.Graft;
import dev.graft.adapt.FineTunePlan;
import dev.graft.adapt.GroupSetting;
import dev.graft.adapt.Stage;
import dev.graft.backbone.Backbone;
import dev.graft.backbone.Backbones;
import dev.graft.backbone.LayerGroup;
import java.io.PrintWriter;
import java.util.List;

/** {@code graft fit --dry-run}: the plan as a table, and as JSON. */
final class PlanPrinter {

    private PlanPrinter() {}

    static String describe(dev.graft.adapt.AdapterSpec a) {
        return a.kind().equals("lora")
                ? String.format("LoRA r=%d alpha=%s dropout=%s on %s%s", a.rank(), a.alpha(), a.dropout(),
                        String.join(",", a.targets()), a.rsLora() ? " (rsLoRA)" : "")
                : String.format("prefix of %d tokens", a.tokens());
    }

    static void print(PrintWriter out, FitRequest request) {
        try (Backbone backbone = Backbones.load(request.backbone(), request.maxLength())) {
            FineTunePlan plan = Graft.plan(request, backbone);
            List<LayerGroup> groups = backbone.layerGroups();
            out.printf("strategy %s · backbone %s · batch %d · %s schedule · AdamW lr %.2e, weight decay %s%s%n",
                    plan.strategy(), backbone.id(), plan.batchSize(), plan.schedule().kind(),
                    plan.optimizer().learningRate(), plan.optimizer().weightDecay(),
                    plan.optimizer().l2sp() > 0 ? ", L2-SP " + plan.optimizer().l2sp() : "");
            StringBuilder header = new StringBuilder(String.format("%-12s %12s", "group", "parameters"));
            for (Stage s : plan.stages()) {
                header.append(String.format("  %14s", s.name()));
            }
            out.println(header);
            for (int g = 0; g <= groups.size(); g++) {
                boolean isHead = g == groups.size();
                String name = isHead ? "head" : groups.get(g).name();
                String params = isHead ? request.head().describe() : String.format("%,d", groups.get(g).parameters());
                StringBuilder row = new StringBuilder(String.format("%-12s %12s", name, params));
                for (Stage s : plan.stages()) {
                    GroupSetting setting = s.groups().get(g);
                    row.append(String.format("  %14s", setting.trainable()
                            ? String.format("lr %.2e", plan.optimizer().learningRate() * setting.lrMultiplier()) : "frozen"));
                }
                out.println(row);
            }
            if (plan.adapter() != null) {
                StringBuilder row = new StringBuilder(String.format("%-12s %12s", "adapters", plan.adapter().kind()));
                for (Stage s : plan.stages()) {
                    row.append(String.format("  %14s", s.adapter() == null ? "-"
                            : String.format("lr %.2e", plan.optimizer().learningRate() * s.adapter().lrMultiplier())));
                }
                out.println(row);
            }
            StringBuilder ends = new StringBuilder(String.format("%-12s %12s", "stage ends", ""));
            for (Stage s : plan.stages()) {
                ends.append(String.format("  %14s", (s.end().maxEpochs() == 0 ? "auto" : s.end().maxEpochs() + " ep")
                        + "/p" + s.end().patience()));
            }
            out.println(ends);
            long trainable = Graft.tunedCount(plan, backbone);
            long adapters = Graft.adapterCount(plan, backbone);
            long total = groups.stream().mapToLong(LayerGroup::parameters).sum() + adapters;
            if (plan.adapter() != null) {
                out.printf("adapters: %s, %,d parameters (%.2f %% of the backbone)%n", describe(plan.adapter()), adapters,
                        100.0 * adapters / (total - adapters));
            }
            out.printf("trainable backbone and adapter parameters %,d / %,d (%.2f %%), plus the head (%s)%n", trainable,
                    total, 100.0 * trainable / total, request.head().describe());
            out.println();
            out.println(Reports.toJson(plan));
            out.flush();
        }
    }
}
