package dev.graft.cli;

import dev.graft.adapt.GroupSetting;
import dev.graft.bundle.Bundle;
import dev.graft.bundle.BundleManifest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code graft inspect}: what a bundle holds. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a saved model: backbone, labels, plan, parameter counts, metrics and provenance.")
final class InspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "Bundle directory or .graft file.")
    Path model;

    @Option(names = "--json", description = "Print graft.json as is.")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Stack traces on errors.")
    boolean verbose;

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    @Override
    public Integer call() throws Exception {
        Bundle.Loaded loaded = Bundle.load(model);
        BundleManifest m = loaded.manifest();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Reports.JSON.writeValueAsString(m));
            out.flush();
            return 0;
        }
        out.printf("bundle      %s (format %s v%d, verified)%n", model, m.format(), m.formatVersion());
        out.printf("task        %s%n", m.task());
        out.printf("backbone    %s (weights sha256 %s…%s)%n", m.backbone().id(), m.backbone().weightsSha256().substring(0, 16),
                m.task().equals("image-classification") ? "" : ", max length " + m.backbone().maxLength());
        out.printf("labels      %s%n", String.join(", ", m.labels()));
        out.printf("head        %s, %d inputs%s%n", m.head().hidden() == 0 ? "linear" : "mlp:" + m.head().hidden()
                + " (dropout " + m.head().dropout() + ")", m.head().inputs(),
                m.head().temperature() == null ? "" : String.format(", temperature %.3f", m.head().temperature()));
        out.printf("strategy    %s%n", m.plan().strategy());
        for (dev.graft.adapt.Stage stage : m.plan().stages()) {
            out.printf("  stage %s:", stage.name());
            for (GroupSetting g : stage.groups()) {
                out.printf(" %s%s", g.group(), g.trainable() ? String.format(" (lr ×%.3g)", g.lrMultiplier()) : "");
                if (!g.trainable()) {
                    out.print(" frozen");
                }
                out.print(g == stage.groups().get(stage.groups().size() - 1) ? "" : ",");
            }
            out.println();
        }
        if (m.plan().adapter() != null) {
            out.printf("adapters    %s%n", PlanPrinter.describe(m.plan().adapter()));
        }
        out.printf("parameters  trainable %,d / %,d (%.2f %%)%n", m.parameters().trainable(), m.parameters().total(),
                100.0 * m.parameters().trainable() / m.parameters().total());
        for (String split : new String[] {"validation", "test"}) {
            Object metrics = m.metrics() == null ? null : m.metrics().get(split);
            if (metrics instanceof Map<?, ?> map) {
                Object source = split.equals("validation") ? m.metrics().get("validation_source") : null;
                out.printf("%-11s accuracy %.4f, macro-F1 %.4f%s%n", split, ((Number) map.get("accuracy")).doubleValue(),
                        ((Number) map.get("macro_f1")).doubleValue(), source == null ? "" : " (" + source + ")");
            }
        }
        if (m.training() != null) {
            Map<String, Object> summary = new java.util.LinkedHashMap<>(m.training());
            Object history = summary.remove("history");
            Object selection = summary.remove("head_selection");
            out.printf("training    %s%n", summary);
            if (selection instanceof Map<?, ?> chosen) {
                printSelection(out, chosen);
            }
            if (history instanceof java.util.List<?> epochs) {
                for (Object e : epochs) {
                    if (e instanceof Map<?, ?> r) {
                        out.printf("  epoch %-3s %-10s train loss %.4f  validation loss %.4f  accuracy %.4f  %.1f s%n",
                                r.get("epoch"), r.get("stage"), num(r.get("trainLoss")), num(r.get("validationLoss")),
                                num(r.get("validationAccuracy")), num(r.get("seconds")));
                    }
                }
            }
        }
        if (m.provenance() != null) {
            out.println("provenance");
            m.provenance().forEach((k, v) -> out.printf("  %-18s %s%n", k, v));
        }
        out.flush();
        return 0;
    }

    /** The cross-validation table stored by feature extraction, the chosen candidate marked. */
    private static void printSelection(PrintWriter out, Map<?, ?> selection) {
        out.printf("head selection  temperature %.3f, out-of-fold calibration error %.4f → %.4f, %.1f s%n",
                num(selection.get("temperature")), num(selection.get("ece_before")), num(selection.get("ece_after")),
                num(selection.get("seconds")));
        Object chosen = selection.get("chosen");
        if (selection.get("candidates") instanceof java.util.List<?> candidates) {
            for (Object c : candidates) {
                if (c instanceof Map<?, ?> row) {
                    out.printf("  %s %-8s %-40s CV macro-F1 %.4f ± %.4f  log-loss %.4f%n", row.equals(chosen) ? "→" : " ",
                            row.get("head"), row.get("setting") + (row.get("epochs") == null ? "" : ", " + row.get("epochs") + " epochs"),
                            num(row.get("cv_macro_f1")), num(row.get("cv_macro_f1_sd")), num(row.get("cv_log_loss")));
                }
            }
        }
    }
}
