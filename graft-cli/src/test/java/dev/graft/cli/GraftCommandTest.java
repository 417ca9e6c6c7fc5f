package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GraftCommandTest extends CacheIsolatedTest {

    record Run(int status, String out, String err) {}

    static Run graft(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = GraftCommand.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(status, out.toString(), err.toString());
    }

    /** Sentences about weather or about food, built from templates with a seed. */
    static Path topics(String name, int perClass, long seed) throws IOException {
        return topicsIn(work, name, perClass, seed);
    }

    /** The same sentences, written in {@code dir}. */
    static Path topicsIn(Path dir, String name, int perClass, long seed) throws IOException {
        Random r = new Random(seed);
        String[] weather = {"rain", "sunshine", "snow", "a storm", "fog", "wind", "thunder", "a heatwave"};
        String[] food = {"pasta", "soup", "bread", "a curry", "salad", "pancakes", "rice", "cheese"};
        String[] when = {"today", "tomorrow", "this weekend", "tonight", "on Monday"};
        List<String> lines = new ArrayList<>();
        lines.add("text,label");
        for (int i = 0; i < perClass; i++) {
            lines.add("\"The forecast says " + weather[r.nextInt(weather.length)] + " " + when[r.nextInt(when.length)]
                    + ", so take a coat (note " + seed + "." + i + ").\",weather");
            lines.add("\"I am cooking " + food[r.nextInt(food.length)] + " " + when[r.nextInt(when.length)]
                    + ", with garlic and herbs (note " + seed + "." + i + ").\",food");
        }
        Path file = dir.resolve(name);
        Files.write(file, lines);
        return file;
    }

    @Test
    void helpAndUsage() {
        Run help = graft("--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("fit", "evaluate", "predict", "inspect", "datasets", "demo");
        assertThat(graft("fit", "--help").out()).contains("--text-column", "--max-length", "--out");
    }

    @Test
    void modelsListNamesEveryKindOfBackbone() {
        Run list = graft("models", "list");
        assertThat(list.status()).isZero();
        assertThat(list.out().lines().map(l -> l.split("\\s+")[0]))
                .contains("minilm", "bge-small", "mobilenetv2", "inceptionv3", "smallcnn", "hf:DIR", "tfjs:DIR", "onnx:FILE", "cnn:DIR");
    }

    @Test
    void serveAndLoadTestRefuseBadInputWithStatusTwo() throws IOException {
        Path data = topics("serve.csv", 5, 3);
        List<Run> refused = new ArrayList<>();
        refused.add(graft("serve", "--model", work.resolve("none.graft").toString(), "--port", "0"));
        refused.add(graft("serve", "--model", work.resolve("none.graft").toString(), "--data", data.toString()));
        refused.add(graft("serve", "--data", data.toString(), "--long-texts", "ignore"));
        refused.add(graft("serve", "--data", data.toString(), "--max-wait", "soon"));
        refused.add(graft("serve", "--data", data.toString(), "--max-body", "lots"));
        refused.add(graft("serve", "--data", data.toString(), "--max-batch", "0"));
        refused.add(graft("serve", "--data", data.toString(), "--then", "sideways", "--port", "0"));
        refused.add(graft("load-test", "--texts", work.resolve("none.txt").toString()));
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Run busy = graft("serve", "--data", data.toString(), "--port", Integer.toString(taken.getLocalPort()));
            assertThat(busy.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort(), "--port");
            refused.add(busy);
        }
        for (Run r : refused) {
            assertThat(r.status()).as(r.err()).isEqualTo(2);
            assertThat(r.err().strip().lines().findFirst().orElse("")).startsWith("graft: ").doesNotContain("Exception");
        }
        assertThat(refused.get(0).err()).contains("none.graft does not exist");
        assertThat(refused.get(1).err()).contains("mutually exclusive");
    }

    @Test
    void serveRefusesAnImageRootThatIsNotADirectory() throws IOException {
        Path file = Files.writeString(work.resolve("not-a-dir.txt"), "x");
        for (Path root : List.of(work.resolve("no-such-dir"), file)) {
            Run refused = graft("serve", "--model", work.resolve("none.graft").toString(), "--image-root", root.toString());
            assertThat(refused.status()).as(refused.err()).isEqualTo(2);
            assertThat(refused.err().strip()).isEqualTo("graft: --image-root " + root + ": no such directory; give the directory the images are in");
        }
        assertThat(graft("serve", "--help").out()).contains("--image-root=DIR");
    }

    @Test
    void userErrorsExitWithStatusTwoAndOneLine() throws IOException {
        Run missing = graft("fit", "--data", work.resolve("nope.csv").toString(), "--out", work.resolve("m").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err().strip().lines()).hasSize(1);
        assertThat(missing.err()).contains("nope.csv").doesNotContain("Exception");

        Path noLabel = work.resolve("nolabel.csv");
        Files.writeString(noLabel, "body,category\nhello,a\n");
        Run column = graft("fit", "--data", noLabel.toString(), "--out", work.resolve("m").toString());
        assertThat(column.status()).isEqualTo(2);
        assertThat(column.err()).contains("text").contains("--text-column");

        Run badOption = graft("fit", "--data", noLabel.toString());
        assertThat(badOption.status()).isEqualTo(2);
        assertThat(badOption.err()).contains("--out");

        Run badHead = graft("fit", "--data", noLabel.toString(), "--out", "x", "--head", "tree");
        assertThat(badHead.status()).isEqualTo(2);
        assertThat(badHead.err()).contains("--head tree");
        assertThat(Files.exists(work.resolve("m"))).isFalse();
    }

    @Test
    void fitEvaluatePredictInspectOnRealMiniLm() throws IOException {
        Path train = topics("train.csv", 40, 1);
        Path test = topics("test.csv", 10, 2);
        Path model = work.resolve("topics.graft");

        Run fit = graft("fit", "--data", train.toString(), "--test", test.toString(), "--out", model.toString(),
                "--strategy", "feature-extraction", "--head", "linear", "--seed", "7");
        assertThat(fit.status()).as(fit.err()).isZero();
        assertThat(fit.out()).contains("classes 2", "features: ", "accuracy", "trainable");
        assertThat(model).isRegularFile();

        Path json = work.resolve("metrics.json");
        Run evaluate = graft("evaluate", "--model", model.toString(), "--data", test.toString(), "--json", json.toString());
        assertThat(evaluate.status()).as(evaluate.err()).isZero();
        JsonNode metrics = new ObjectMapper().readTree(json.toFile());
        assertThat(metrics.get("accuracy").asDouble()).isGreaterThanOrEqualTo(0.9);
        assertThat(metrics.has("macro_f1")).isTrue();
        assertThat(metrics.get("per_class").has("weather")).isTrue();
        assertThat(metrics.get("confusion")).isNotNull();

        Run predict = graft("predict", "--model", model.toString(), "--top-k", "2",
                "Heavy snow and freezing wind expected tonight", "Slow-cooked lamb curry with rice");
        assertThat(predict.status()).as(predict.err()).isZero();
        List<String> lines = predict.out().strip().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("weather\t");
        assertThat(lines.get(1)).startsWith("food\t");

        Run inspect = graft("inspect", model.toString());
        assertThat(inspect.status()).isZero();
        assertThat(inspect.out()).contains("minilm", "feature-extraction", "frozen", "trainable 770 /");

        Path unseen = work.resolve("unseen.csv");
        Files.writeString(unseen, "text,label\nhello there,greeting\n");
        Run wrongLabels = graft("evaluate", "--model", model.toString(), "--data", unseen.toString());
        assertThat(wrongLabels.status()).isEqualTo(2);
        assertThat(wrongLabels.err()).contains("greeting");
    }

    @Test
    void aSecondFitReusesCachedFeatures() throws IOException {
        Path train = topics("again.csv", 20, 3);
        Run first = graft("fit", "--data", train.toString(), "--out", work.resolve("a").toString(), "--head", "linear",
                "--strategy", "feature-extraction");
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).contains("features: 40 computed");
        Run second = graft("fit", "--data", train.toString(), "--out", work.resolve("b").toString(), "--head", "mlp:16",
                "--strategy", "feature-extraction");
        assertThat(second.status()).as(second.err()).isZero();
        assertThat(second.out()).contains("features: 0 computed");
    }

    @Test
    void fineTunedBundlesEvaluateAsTheyDidAtFitTime() throws IOException {
        Path train = topics("tune.csv", 16, 5);
        Path test = topics("tune-test.csv", 6, 6);
        for (String strategy : List.of("partial:1", "gradual", "lora", "prefix")) {
            Path model = work.resolve(strategy.replace(':', '-') + ".graft");
            Path fitJson = work.resolve(strategy.replace(':', '-') + "-fit.json");
            Run fit = graft("fit", "--data", train.toString(), "--test", test.toString(), "--strategy", strategy,
                    "--epochs", "1", "--head-epochs", "5", "--max-length", "32", "--out", model.toString(),
                    "--metrics-json", fitJson.toString());
            assertThat(fit.status()).as(fit.err()).isZero();
            assertThat(fit.out()).containsAnyOf("stage unfreeze", "stage adapt");
            assertThat(Files.exists(work.resolve(model.getFileName() + ".checkpoint"))).isFalse();
            assertThat(Files.readAllLines(work.resolve(model.getFileName() + ".log.jsonl"))).isNotEmpty();
            Path evalJson = work.resolve(strategy.replace(':', '-') + "-eval.json");
            Run evaluate = graft("evaluate", "--model", model.toString(), "--data", test.toString(), "--json", evalJson.toString());
            assertThat(evaluate.status()).as(evaluate.err()).isZero();
            ObjectMapper json = new ObjectMapper();
            assertThat(json.readTree(evalJson.toFile()).get("confusion"))
                    .isEqualTo(json.readTree(fitJson.toFile()).get("confusion"));
        }
    }

    @Test
    void adviseMeasuresTheDataAndRecommends() throws IOException {
        Path train = topics("advise.csv", 30, 11);
        Path json = work.resolve("advice.json");
        Run advise = graft("advise", "--data", train.toString(), "--max-length", "32", "--json", json.toString());
        assertThat(advise.status()).as(advise.err()).isZero();
        assertThat(advise.out()).contains("signals", "unknown tokens", "linear probe", "short fine-tune", "recommended:",
                "estimates on this machine");
        JsonNode advice = new ObjectMapper().readTree(json.toFile());
        assertThat(advice.get("size").asText()).isEqualTo("small");
        assertThat(advice.at("/recommendation/strategy").asText())
                .isIn("feature-extraction", "two-stage:2", "lora");
        List<String> signals = new ArrayList<>();
        advice.get("signals").forEach(n -> signals.add(n.get("id").asText()));
        assertThat(signals).containsExactly("unknown_tokens", "fragmentation", "domain_classifier", "probe_curve",
                "fine_tune_gain");
        List<String> estimated = new ArrayList<>();
        advice.get("estimates").forEach(n -> {
            estimated.add(n.get("strategy").asText());
            assertThat(n.get("estimated_seconds").asDouble()).isGreaterThanOrEqualTo(0);
        });
        assertThat(estimated).containsExactly("feature-extraction", "two-stage:2", "two-stage", "full", "lora");
    }

    @Test
    void autoStartsWithFeatureExtractionAndSaysWhyItStopped() throws IOException {
        Path train = topics("auto.csv", 24, 12);
        Path out = work.resolve("auto.graft");
        Run fit = graft("fit", "--data", train.toString(), "--out", out.toString(), "--max-length", "32", "--target", "0.5");
        assertThat(fit.status()).as(fit.err()).isZero();
        assertThat(fit.out()).contains("auto: step 1, feature-extraction", "auto: steps", "stopped: target met");
        assertThat(out).isRegularFile();
        JsonNode summary = new ObjectMapper().readTree(work.resolve("auto.graft.auto/summary.json").toFile());
        assertThat(summary.get("kept").asText()).isEqualTo("feature-extraction");
        assertThat(summary.get("steps")).hasSize(1);
        assertThat(summary.at("/advice/recommendation/strategy").asText()).isNotEmpty();
        try (var left = Files.list(work.resolve("auto.graft.auto"))) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".graft"));
        }
        Run inspect = graft("inspect", out.toString());
        assertThat(inspect.out()).contains("feature-extraction");

        Run badBudget = graft("fit", "--data", train.toString(), "--out", out.toString(), "--budget", "soon");
        assertThat(badBudget.status()).isEqualTo(2);
        assertThat(badBudget.err()).contains("--budget soon", "20m");
    }

    @Test
    void auditFindsFlippedLabelsDuplicatesAndOverlap() throws IOException {
        Path clean = topics("audit-clean.csv", 30, 13);
        List<String> lines = new ArrayList<>(Files.readAllLines(clean));
        // rows 1 and 2 are weather and food: give both the other label, and repeat a row
        lines.set(1, lines.get(1).replace(",weather", ",food"));
        lines.set(2, lines.get(2).replace(",food", ",weather"));
        lines.add(lines.get(5));
        Path noisy = work.resolve("audit-noisy.csv");
        Files.write(noisy, lines);
        Path test = work.resolve("audit-test.csv");
        Files.write(test, List.of("text,label", lines.get(7), lines.get(9)));
        Path suspects = work.resolve("suspects.csv");
        Path json = work.resolve("audit.json");
        Run audit = graft("audit", "--data", noisy.toString(), "--test", test.toString(), "--max-length", "32",
                "--suspects", suspects.toString(), "--json", json.toString());
        assertThat(audit.status()).as(audit.err()).isZero();
        assertThat(audit.out()).contains("suspect labels", "duplicates: 1 texts occur more than once",
                "train/test overlap: 2 of 2");
        JsonNode found = new ObjectMapper().readTree(json.toFile());
        List<Integer> ranked = new ArrayList<>();
        found.get("suspects").forEach(n -> ranked.add(n.get("example").asInt()));
        assertThat(ranked).contains(1, 2);
        assertThat(Files.readAllLines(suspects).get(0)).startsWith("example,given,suggested");

        Run badFolds = graft("audit", "--data", noisy.toString(), "--folds", "1");
        assertThat(badFolds.status()).isEqualTo(2);
        assertThat(badFolds.err()).contains("--folds 1");
    }

    @Test
    void exportsToHuggingFaceAndOnnxAndPredictsWithBothEngines() throws IOException {
        Path train = topics("export.csv", 12, 14);
        Path model = work.resolve("export.graft");
        Run fit = graft("fit", "--data", train.toString(), "--out", model.toString(), "--strategy", "feature-extraction",
                "--max-length", "32");
        assertThat(fit.status()).as(fit.err()).isZero();
        Path hf = work.resolve("export-hf");
        assertThat(graft("export", model.toString(), "--format", "hf", "--out", hf.toString()).status()).isZero();
        assertThat(hf.resolve("config.json")).isRegularFile();
        assertThat(hf.resolve("graft_head.json")).content().contains("\"labels\"", "food", "weather");
        Run again = graft("export", model.toString(), "--format", "hf", "--out", hf.toString());
        assertThat(again.status()).isEqualTo(2);
        assertThat(again.err()).contains("not empty");

        Run imported = graft("fit", "--data", train.toString(), "--out", work.resolve("imported.graft").toString(),
                "--strategy", "feature-extraction", "--max-length", "32", "--backbone", "hf:" + hf);
        assertThat(imported.status()).as(imported.err()).isZero();
        assertThat(graft("inspect", work.resolve("imported.graft").toString()).out()).contains("hf:" + hf);

        Path onnx = work.resolve("export-onnx");
        assertThat(graft("export", model.toString(), "--format", "onnx", "--out", onnx.toString()).status()).isZero();
        String[] texts = {"Snow and wind are expected tomorrow", "Slow-cooked lamb curry with rice"};
        Run djl = graft("predict", "--model", model.toString(), texts[0], texts[1]);
        Run ort = graft("predict", "--model", onnx.toString(), texts[0], texts[1]);
        assertThat(ort.status()).as(ort.err()).isZero();
        assertThat(ort.out().lines().map(l -> l.split("\t")[0]).toList())
                .isEqualTo(djl.out().lines().map(l -> l.split("\t")[0]).toList());
        Run wrong = graft("predict", "--model", model.toString(), "--engine", "onnx", texts[0]);
        assertThat(wrong.status()).isEqualTo(2);
        assertThat(wrong.err()).contains("--format onnx");
    }

    @Test
    void dryRunPrintsThePlanAndTrainsNothing() throws IOException {
        Path train = topics("dry.csv", 10, 8);
        Path out = work.resolve("dry.graft");
        Run dry = graft("fit", "--data", train.toString(), "--out", out.toString(), "--strategy", "two-stage",
                "--unfreeze", "2", "--dry-run");
        assertThat(dry.status()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("block5", "frozen", "lr 5.00e-05", "lr 1.00e-03", "\"stages\"");
        assertThat(out).doesNotExist();
        Run bad = graft("fit", "--data", train.toString(), "--out", out.toString(), "--strategy", "partial:12");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("7 layer groups");
    }

    @Test
    void loraExportsMergedAndRefusesAnotherBase() throws IOException {
        Path train = topics("lora.csv", 16, 9);
        Path test = topics("lora-test.csv", 6, 10);
        Path model = work.resolve("lora-dir");
        Run fit = graft("fit", "--data", train.toString(), "--test", test.toString(), "--strategy", "lora", "--lora-r", "4",
                "--epochs", "1", "--max-length", "32", "--out", model.toString());
        assertThat(fit.status()).as(fit.err()).isZero();
        assertThat(fit.out()).contains("trainable 172,802 / ");
        Run inspect = graft("inspect", model.toString());
        assertThat(inspect.out()).contains("strategy    lora");

        Path merged = work.resolve("lora-merged.graft");
        Run export = graft("export", model.toString(), "--merge", "--out", merged.toString());
        assertThat(export.status()).as(export.err()).isZero();
        Path a = work.resolve("lora-a.json");
        Path b = work.resolve("lora-b.json");
        assertThat(graft("evaluate", "--model", model.toString(), "--data", test.toString(), "--json", a.toString()).status()).isZero();
        assertThat(graft("evaluate", "--model", merged.toString(), "--data", test.toString(), "--json", b.toString()).status()).isZero();
        ObjectMapper json = new ObjectMapper();
        ObjectNode adapterMetrics = (ObjectNode) json.readTree(a.toFile());
        ObjectNode mergedMetrics = (ObjectNode) json.readTree(b.toFile());
        double calibrationGap = adapterMetrics.remove("expected_calibration_error").asDouble()
                - mergedMetrics.remove("expected_calibration_error").asDouble();
        assertThat(mergedMetrics).isEqualTo(adapterMetrics);
        assertThat(Math.abs(calibrationGap)).as("merged weights round differently in float").isLessThan(1e-5);

        Path manifest = model.resolve("graft.json");
        Files.writeString(manifest, Files.readString(manifest).replaceFirst("\"weights_sha256\" : \"[0-9a-f]{8}", "\"weights_sha256\" : \"00000000"));
        Run other = graft("predict", "--model", model.toString(), "hello");
        assertThat(other.status()).isEqualTo(2);
        assertThat(other.err()).contains("weights");
    }
}
