package dev.graft.spark;

import dev.graft.GraftException;
import dev.graft.backbone.Backbone;
import dev.graft.backbone.Backbones;
import dev.graft.train.FeatureCache;
import dev.graft.train.FeatureExtractor;
import dev.graft.train.Progress;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code graft-spark bench}: rows per second of feature extraction on the same texts in one run —
 * Graft's single-JVM path, then Spark local mode with 1, 2, … executor threads.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure feature-extraction rows/s: single JVM vs Spark local mode with 1..N threads, same texts, same run.")
final class BenchJob implements Callable<Integer> {

    @Mixin
    BackboneOptions backbone;

    @Option(names = "--data", required = true, description = "Input table: .csv, .tsv, .jsonl or .parquet.")
    String data;

    @Option(names = "--text-column", defaultValue = "text", description = "Column with the texts. Default: ${DEFAULT-VALUE}.")
    String textColumn;

    @Option(names = "--rows", defaultValue = "1000", description = "Texts measured (the first N). Default: ${DEFAULT-VALUE}.")
    int rows;

    @Option(names = "--rounds", defaultValue = "3", description = "Timed rounds per setting; the median is reported. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--threads", defaultValue = "1,2", split = ",", description = "Spark local-mode thread counts. Default: ${DEFAULT-VALUE}.")
    int[] threads;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (rounds < 1 || rows < 1) {
            throw new GraftException("--rows and --rounds must be at least 1");
        }
        List<String> texts = load();
        int cores = Runtime.getRuntime().availableProcessors();
        out.printf(Locale.ROOT, "%d texts of %s, backbone %s, max length %d, %d cores, %d rounds each (median, min-max)%n",
                texts.size(), data, backbone.backbone, backbone.maxLength, cores, rounds);
        Map<String, double[]> results = new LinkedHashMap<>();
        try (Backbone model = Backbones.load(backbone.backbone, backbone.maxLength)) {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(cores);
            results.put("single JVM (FeatureExtractor)", time(() -> {
                try (FeatureCache cache = FeatureCache.inMemory(model)) {
                    new FeatureExtractor(model, cache, backbone.batchSize).extract(texts, Progress.NONE);
                }
            }, texts.size(), out, "single JVM"));
        }
        for (int t : threads) {
            SparkSession spark = SparkSession.builder().appName("graft bench").master("local[" + t + "]")
                    .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
            try {
                Dataset<Row> input = spark.createDataset(texts, Encoders.STRING()).toDF(textColumn).repartition(2 * t).cache();
                input.count();
                SparkFeatures features = backbone.features(textColumn);
                long w0 = System.nanoTime();
                features.transform(input).write().format("noop").mode("overwrite").save();
                out.printf(Locale.ROOT, "  spark local[%d]: first pass (loads %d backbone(s)) %.1f s%n", t,
                        SparkFeatures.BACKBONES.loads(), (System.nanoTime() - w0) / 1e9);
                results.put("Spark local[" + t + "]", time(() -> features.transform(input).write().format("noop")
                        .mode("overwrite").save(), texts.size(), out, "spark local[" + t + "]"));
            } finally {
                spark.stop();
            }
        }
        double base = results.values().iterator().next()[0];
        out.println();
        out.println("| setting | rows/s (median) | min-max | vs single JVM |");
        out.println("|---|---|---|---|");
        results.forEach((name, r) -> out.printf(Locale.ROOT, "| %s | %.1f | %.1f-%.1f | %.2fx |%n", name, r[0], r[1], r[2], r[0] / base));
        return 0;
    }

    private List<String> load() {
        SparkSession spark = SparkSession.builder().appName("graft bench").master("local[1]")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            Dataset<Row> table = SparkData.read(spark, data);
            SparkFeatures.stringColumn(table.schema(), textColumn);
            List<String> texts = new ArrayList<>(table.select(textColumn).na().drop().limit(rows).as(Encoders.STRING()).collectAsList());
            if (texts.isEmpty()) {
                throw new GraftException(data + " has no texts in column '" + textColumn + "'");
            }
            return texts;
        } finally {
            spark.stop();
        }
    }

    /** {@return median, min and max rows/s over the rounds} */
    private double[] time(Runnable work, int count, PrintWriter out, String name) {
        double[] rates = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            work.run();
            rates[r] = count / ((System.nanoTime() - t0) / 1e9);
            out.printf(Locale.ROOT, "  %s round %d: %.1f rows/s%n", name, r + 1, rates[r]);
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        return new double[] {sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1]};
    }
}
