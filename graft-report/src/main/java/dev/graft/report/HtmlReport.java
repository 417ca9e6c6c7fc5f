package dev.graft.report;

import dev.graft.Graft;
import dev.graft.GraftException;
import dev.graft.adapt.FineTunePlan;
import dev.graft.adapt.GroupSetting;
import dev.graft.adapt.Stage;
import dev.graft.advise.Advice;
import dev.graft.advise.Signal;
import dev.graft.compare.ComparedRun;
import dev.graft.compare.Comparison;
import dev.graft.compare.StrategySummary;
import dev.graft.io.AtomicFiles;
import dev.graft.io.Hashes;
import dev.graft.train.ClassificationMetrics;
import dev.graft.train.EpochLog;
import dev.graft.train.EpochRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained HTML page (no network, no scripts from elsewhere; charts inlined as SVG) that
 * shows a comparison or a single fit: the table, the charts, the learning curves with the stage
 * boundaries, the confusion matrix and per-class metrics, the advisor's reasoning, each plan, and
 * provenance.
 */
public final class HtmlReport {

    private final StringBuilder html = new StringBuilder();
    private int charts;

    private HtmlReport() {}

    /**
     * @param result a finished comparison
     * @return the page
     */
    public static String comparison(Comparison.Result result) {
        HtmlReport page = new HtmlReport();
        ComparedRun best = result.best();
        page.open("Graft comparison · " + result.request().data().getParent().getFileName());
        page.html.append("<header><h1>Which strategy, and what does it cost?</h1><p class=lead>")
                .append(result.options().strategies().size()).append(" strategies × ").append(result.options().seeds().size())
                .append(" seeds on one split of <code>").append(esc(result.request().data().getParent().toString()))
                .append("</code>, backbone <b>").append(esc(result.request().backbone())).append("</b>. Best run: <b>")
                .append(esc(best.strategy())).append("</b> (seed ").append(best.seed()).append(", test macro-F1 ")
                .append(f4(best.test().macroF1())).append("). Pareto front (accuracy, time, memory): <b>")
                .append(esc(String.join(", ", result.summaries().stream().filter(StrategySummary::pareto)
                        .map(StrategySummary::strategy).toList())))
                .append("</b>.</p></header>");
        page.section("Comparison", "comparison");
        page.summaryTable(result);
        for (String failure : result.failures()) {
            page.html.append("<p class=failed>Failed, left out of the table: ").append(esc(failure)).append("</p>");
        }
        page.html.append("<div class=grid>");
        page.figure(Charts.accuracy(result.summaries()), "Mean test macro-F1 of each strategy; the bar is the 95 % interval over seeds (Student's t).");
        page.figure(Charts.pareto(result.summaries(), result.runs()), "Each dot is one seed; the line joins the strategies no other beats on accuracy, time and memory at once.");
        page.figure(Charts.memory(result.summaries()), "Highest peak resident memory of the process during a fit of each strategy.");
        page.html.append("</div>");
        page.section("Learning curves", "curves");
        page.html.append("<p>Loss per epoch (left axis) and validation macro-F1 (right axis) for the first seed of each "
                + "strategy, read from its JSONL epoch log. A dashed line marks the start of a new stage (e.g. the backbone unfrozen).</p><div class=grid>");
        for (String strategy : result.options().strategies()) {
            ComparedRun run = result.runs().stream().filter(r -> r.strategy().equals(strategy)).findFirst().orElseThrow();
            page.curves(run);
        }
        page.html.append("</div>");
        page.section("Best run: " + best.strategy() + ", seed " + best.seed(), "best");
        page.metrics(best.test(), "test");
        if (result.advice() != null) {
            page.advice(result.advice());
        }
        page.section("Plans", "plans");
        for (String strategy : result.options().strategies()) {
            ComparedRun run = result.runs().stream().filter(r -> r.strategy().equals(strategy)).findFirst().orElseThrow();
            page.plan(strategy, run.plan());
        }
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("split", describeSplit(result.split()));
        provenance.put("seeds", result.options().seeds().toString());
        provenance.put("epoch budget", result.options().epochs() + " per stage that trains the backbone (early stopping can end sooner); feature extraction: automatic");
        provenance.put("frozen features", String.format(Locale.ROOT, "computed once for every run: %.1f s; mean %.0f tokens per training example",
                result.featureSeconds(), result.meanTokens()));
        provenance.put("comparison wall time", String.format(Locale.ROOT, "%.0f s", result.seconds()));
        page.provenance(provenance);
        return page.close();
    }

    /**
     * @param title what was fitted, e.g. the output bundle
     * @param strategy the strategy name
     * @param plan its plan, or null for feature extraction
     * @param log the fit's JSONL epoch log
     * @param validation validation metrics
     * @param test test metrics, or null
     * @param facts provenance lines (data, seed, times…)
     * @return the page
     */
    public static String fit(String title, String strategy, FineTunePlan plan, Path log, ClassificationMetrics validation,
            ClassificationMetrics test, Map<String, Object> facts) {
        HtmlReport page = new HtmlReport();
        page.open("Graft fit · " + title);
        page.html.append("<header><h1>").append(esc(title)).append("</h1><p class=lead>Strategy <b>").append(esc(strategy))
                .append("</b>: validation macro-F1 ").append(f4(validation.macroF1()))
                .append(test == null ? "" : ", test macro-F1 " + f4(test.macroF1())).append(".</p></header>");
        page.section("Learning curve", "curves");
        page.html.append("<div class=grid>");
        List<EpochRecord> epochs = java.nio.file.Files.exists(log) ? EpochLog.read(log) : List.of();
        if (epochs.isEmpty()) {
            page.html.append("<p>No epochs: the head is a logistic regression chosen by cross-validation and fitted by L-BFGS.</p>");
        } else {
            page.figure(Charts.learningCurves(strategy, epochs), "Loss per epoch (left) and validation macro-F1 (right), from "
                    + esc(log.getFileName().toString()) + "; a dashed line marks a new stage.");
        }
        page.html.append("</div>");
        page.section(test == null ? "Validation" : "Test", "best");
        page.metrics(test == null ? validation : test, test == null ? "validation" : "test");
        page.section("Plan", "plans");
        page.plan(strategy, plan);
        page.provenance(facts);
        return page.close();
    }

    /**
     * Writes the page atomically (a temporary file, then a rename).
     *
     * @param file the {@code .html} file
     * @param page the page
     */
    public static void write(Path file, String page) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            AtomicFiles.write(file, page.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new GraftException("cannot write the report " + file + ": " + e.getMessage(), e);
        }
    }

    private void open(String title) {
        html.append("<!DOCTYPE html><html lang=en><head><meta charset=utf-8>")
                .append("<meta name=viewport content=\"width=device-width, initial-scale=1\">")
                .append("<meta http-equiv=Content-Security-Policy content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">")
                .append("<title>").append(esc(title)).append("</title><style>").append(STYLE).append("</style></head><body>");
    }

    private String close() {
        html.append("<footer>Written by Graft ").append(Graft.VERSION).append(" on ").append(Instant.now())
                .append(". Self-contained: nothing on this page is loaded from the network.</footer>")
                .append("<script>").append(CHECK).append("</script></body></html>");
        return html.toString();
    }

    private void section(String title, String id) {
        html.append("<h2 id=").append(id).append('>').append(esc(title)).append("</h2>");
    }

    private void figure(String svg, String caption) {
        charts++;
        html.append("<figure class=chart>").append(svg).append("<figcaption>").append(caption).append("</figcaption></figure>");
    }

    private void summaryTable(Comparison.Result result) {
        html.append("<table class=summary><thead><tr><th>strategy</th><th>seeds</th><th>test macro-F1 (95 % interval)</th>")
                .append("<th>test accuracy</th><th>validation macro-F1</th><th>time (median)</th><th>peak memory</th>")
                .append("<th>trainable parameters</th><th>compute (est.)</th><th>Pareto</th></tr></thead><tbody>");
        double best = result.summaries().stream().mapToDouble(StrategySummary::testMacroF1).max().orElse(0);
        for (StrategySummary s : result.summaries()) {
            html.append("<tr").append(s.testMacroF1() == best ? " class=best" : "").append("><td>").append(esc(s.strategy()))
                    .append("</td><td>").append(s.runs()).append("</td><td>").append(f4(s.testMacroF1())).append(" ± ")
                    .append(f4(s.testMacroF1Interval())).append("</td><td>").append(f4(s.testAccuracy())).append("</td><td>")
                    .append(f4(s.validationMacroF1())).append("</td><td>").append(String.format(Locale.ROOT, "%.1f s", s.seconds()))
                    .append("</td><td>").append(s.peakBytes() < 0 ? "?" : String.format(Locale.ROOT, "%.2f GB", s.peakBytes() / (double) (1L << 30)))
                    .append("</td><td>").append(String.format(Locale.ROOT, "%,d", s.trainableParameters())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.2g FLOPs", s.trainingFlops())).append("</td><td>")
                    .append(s.pareto() ? "✓" : "").append("</td></tr>");
        }
        html.append("</tbody></table>");
    }

    private void curves(ComparedRun run) {
        List<EpochRecord> history = Files.exists(run.log()) ? EpochLog.read(run.log()) : run.history();
        if (history.isEmpty()) {
            html.append("<p>").append(esc(run.strategy() + " (seed " + run.seed() + ")"))
                    .append(": no epochs — a logistic-regression head chosen by cross-validation and fitted by L-BFGS.</p>");
            return;
        }
        List<String> stages = new ArrayList<>();
        int from = 1;
        for (int i = 1; i <= history.size(); i++) {
            if (i == history.size() || !String.valueOf(history.get(i).stage()).equals(String.valueOf(history.get(i - 1).stage()))) {
                stages.add(esc(String.valueOf(history.get(i - 1).stage())) + " " + (from == i ? "epoch " + i : "epochs " + from + "–" + i));
                from = i + 1;
            }
        }
        figure(Charts.learningCurves(run.strategy() + " (seed " + run.seed() + ")", history),
                "Stages: " + String.join(" · ", stages) + ".");
    }

    private void metrics(ClassificationMetrics m, String split) {
        html.append("<p>").append(esc(split)).append(": accuracy ").append(f4(m.accuracy())).append(", macro-F1 ")
                .append(f4(m.macroF1())).append(", ").append(m.count()).append(" examples.</p><div class=grid><div>")
                .append("<h3>Confusion matrix</h3><table class=confusion><thead><tr><th>true \\ predicted</th>");
        List<String> labels = m.labels();
        for (String l : labels) {
            html.append("<th>").append(esc(l)).append("</th>");
        }
        html.append("</tr></thead><tbody>");
        int[][] c = m.confusion();
        for (int i = 0; i < labels.size(); i++) {
            int rowTotal = 0;
            for (int v : c[i]) {
                rowTotal += v;
            }
            html.append("<tr><th>").append(esc(labels.get(i))).append("</th>");
            for (int j = 0; j < labels.size(); j++) {
                double share = rowTotal == 0 ? 0 : c[i][j] / (double) rowTotal;
                String colour = i == j ? "44,160,44" : "214,39,40";
                html.append(String.format(Locale.ROOT, "<td style=\"background:rgba(%s,%.2f)\">%d</td>", colour, 0.08 + 0.6 * share, c[i][j]));
            }
            html.append("</tr>");
        }
        html.append("</tbody></table></div><div><h3>Per class</h3><table><thead><tr><th>class</th><th>precision</th><th>recall</th>")
                .append("<th>F1</th><th>support</th></tr></thead><tbody>");
        for (ClassificationMetrics.PerClass p : m.perClass()) {
            html.append("<tr><td>").append(esc(p.label())).append("</td><td>").append(f4(p.precision())).append("</td><td>")
                    .append(f4(p.recall())).append("</td><td>").append(f4(p.f1())).append("</td><td>").append(p.support())
                    .append("</td></tr>");
        }
        html.append("</tbody></table></div></div>");
    }

    private void advice(Advice advice) {
        section("The advisor's reasoning", "advice");
        html.append("<p>Recommended: <b>").append(esc(advice.recommendation())).append("</b> (runner-up ")
                .append(esc(advice.runnerUp())).append("). Data: ").append(advice.large() ? "large" : "small")
                .append(" (the smallest class, <i>").append(esc(advice.smallestClass())).append("</i>, has ")
                .append(advice.smallestClassCount()).append(" training examples); domain: ").append(esc(advice.domain().word()))
                .append(".</p><ul>");
        for (String r : advice.reasons()) {
            html.append("<li>").append(esc(r)).append("</li>");
        }
        html.append("</ul><table><thead><tr><th>signal</th><th>measured</th><th>reads as</th><th>meaning</th></tr></thead><tbody>");
        for (Signal s : advice.signals()) {
            html.append("<tr><td>").append(esc(s.label())).append("</td><td>").append(esc(s.shown())).append("</td><td>")
                    .append(esc(s.verdict().word())).append("</td><td>").append(esc(s.meaning())).append("</td></tr>");
        }
        html.append("</tbody></table>");
    }

    private void plan(String strategy, FineTunePlan plan) {
        html.append("<h3>").append(esc(strategy)).append("</h3>");
        if (plan == null) {
            html.append("<p>Backbone frozen; its features computed once and cached; only the head trains.</p>");
            return;
        }
        html.append("<p>").append(esc(plan.schedule().kind())).append(" schedule, AdamW peak learning rate ")
                .append(String.format(Locale.ROOT, "%.1e", plan.optimizer().learningRate())).append(", weight decay ")
                .append(plan.optimizer().weightDecay()).append(", batch ").append(plan.batchSize())
                .append(plan.adapter() == null ? "" : ", adapters: " + esc(plan.adapter().kind())).append(".</p>");
        html.append("<table class=plan><thead><tr><th>group</th>");
        for (Stage s : plan.stages()) {
            html.append("<th>").append(esc(s.name())).append(" (").append(s.end().maxEpochs() == 0 ? "auto" : s.end().maxEpochs() + " ep")
                    .append(")</th>");
        }
        html.append("</tr></thead><tbody>");
        int groups = plan.stages().get(0).groups().size();
        for (int g = 0; g < groups; g++) {
            html.append("<tr><td>").append(esc(plan.stages().get(0).groups().get(g).group())).append("</td>");
            for (Stage s : plan.stages()) {
                GroupSetting setting = s.groups().get(g);
                html.append(setting.trainable()
                        ? String.format(Locale.ROOT, "<td class=on>lr × %.3g</td>", setting.lrMultiplier())
                        : "<td class=off>frozen</td>");
            }
            html.append("</tr>");
        }
        html.append("</tbody></table>");
    }

    private void provenance(Map<String, Object> facts) {
        section("Provenance", "provenance");
        Map<String, Object> all = new LinkedHashMap<>(facts);
        all.put("Graft", Graft.VERSION);
        all.put("Java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        all.put("machine", System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores");
        all.put("written", Instant.now().toString());
        html.append("<table class=facts><tbody>");
        all.forEach((k, v) -> html.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(String.valueOf(v))).append("</td></tr>"));
        html.append("</tbody></table>");
    }

    private static String describeSplit(Map<String, Path> split) {
        StringBuilder out = new StringBuilder();
        for (String part : List.of("train", "validation", "test")) {
            Path file = split.get(part);
            try {
                long rows;
                try (var lines = Files.lines(file)) {
                    rows = lines.filter(l -> !l.isBlank()).count();
                }
                out.append(part).append(' ').append(rows).append(" rows, sha256 ")
                        .append(Hashes.sha256Hex(Files.readAllBytes(file)), 0, 12).append("…; ");
            } catch (IOException e) {
                out.append(part).append(" (unreadable: ").append(e.getMessage()).append("); ");
            }
        }
        return out.toString().replaceAll("; $", "");
    }

    private static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final String STYLE = """
            body{font:14px/1.45 system-ui,-apple-system,"DejaVu Sans",sans-serif;color:#222;max-width:1220px;margin:24px auto;padding:0 16px}
            h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
            h3{font-size:15px;margin:14px 0 6px}.lead{color:#444}code{background:#f3f3f3;padding:1px 4px;border-radius:3px}
            table{border-collapse:collapse;margin:6px 0 12px}th,td{border:1px solid #ddd;padding:4px 8px;text-align:right}
            th:first-child,td:first-child{text-align:left}thead th{background:#f6f6f6}tr.best td{font-weight:600;background:#f1f8ee}
            td.on{background:#eef5fc}td.off{color:#999}table.facts th{text-align:left;background:#f6f6f6}table.facts td{text-align:left}
            .grid{display:flex;flex-wrap:wrap;gap:12px}figure.chart{margin:0;border:1px solid #eee;padding:6px;width:570px}
            figure.chart svg{display:block;width:100%;height:auto}figcaption{font-size:12px;color:#555;margin-top:4px}
            .failed{color:#b00}footer{margin:32px 0 8px;color:#777;font-size:12px}
            """;

    /** Marks the page once every chart has drawn with a size, so a headless browser can check it. */
    private static final String CHECK = """
            window.addEventListener('load',function(){var c=document.querySelectorAll('figure.chart svg');var ok=0;
            c.forEach(function(s){var b=s.getBoundingClientRect();if(b.width>100&&b.height>50){ok++;}});
            document.body.setAttribute('data-charts',c.length+'/'+ok);});
            """;
}
