package dev.graft.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.FitListener;
import dev.graft.FitRequest;
import dev.graft.Graft;
import dev.graft.GraftException;
import dev.graft.adapt.TrainingOptions;
import dev.graft.adapt.Strategy;
import dev.graft.backbone.Backbone;
import dev.graft.backbone.Backbones;
import dev.graft.bundle.Bundle;
import dev.graft.bundle.BundleClassifier;
import dev.graft.train.HeadSpec;
import dev.graft.train.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** graft-spark in Spark local mode ({@code local[2]}) on small generated data and the real MiniLM. */
class GraftSparkTest {

    static final int LENGTH = 32;

    @TempDir
    static Path work;

    static SparkSession spark;

    @BeforeAll
    static void start() {
        System.setProperty("graft.cache", work.resolve("cache").toString());
        spark = SparkSession.builder().master("local[2]").appName("graft-spark test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
        System.clearProperty("graft.cache");
    }

    /** Two topics with shared filler words, some texts ambiguous enough that a head can err. */
    static List<String[]> topics(int perClass, long seed) {
        Random r = new Random(seed);
        String[] weather = {"rain", "sunshine", "snow", "a storm", "fog", "wind"};
        String[] food = {"pasta", "soup", "bread", "a curry", "salad", "rice"};
        String[] filler = {"today", "tomorrow", "this weekend", "tonight", "later"};
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < perClass; i++) {
            rows.add(new String[] {"Expect " + weather[r.nextInt(6)] + " " + filler[r.nextInt(5)] + ", note " + i + ".", "weather"});
            rows.add(new String[] {"I am cooking " + food[r.nextInt(6)] + " " + filler[r.nextInt(5)] + ", note " + i + ".", "food"});
        }
        return rows;
    }

    static Dataset<Row> frame(List<String[]> rows, int partitions) {
        StructType schema = new StructType().add("text", DataTypes.StringType).add("label", DataTypes.StringType);
        List<Row> data = new ArrayList<>();
        for (String[] r : rows) {
            data.add(RowFactory.create(r[0], r[1]));
        }
        return spark.createDataFrame(data, schema).repartition(partitions);
    }

    static Path csv(String name, List<String[]> rows) throws Exception {
        List<String> lines = new ArrayList<>(List.of("text,label"));
        for (String[] r : rows) {
            lines.add("\"" + r[0] + "\"," + r[1]);
        }
        Path file = work.resolve(name);
        Files.write(file, lines);
        return file;
    }

    static float[] floats(Vector v) {
        double[] d = v.toArray();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    static double maxDifference(float[][] a, float[][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return max;
    }

    @Test
    void distributedFeaturesEqualSingleMachineFeaturesAndLoadTheBackboneOncePerSlot() {
        List<String[]> rows = topics(15, 1);
        List<Row> out = new SparkFeatures("minilm", LENGTH).transform(frame(rows, 3)).collectAsList();
        int loads = SparkFeatures.BACKBONES.loads();
        new SparkFeatures("minilm", LENGTH).transform(frame(rows, 4)).collectAsList();

        assertThat(out).hasSize(rows.size());
        assertThat(out.get(0).schema().fieldNames()).containsExactly("text", "label", "features");
        List<String> texts = out.stream().map(r -> r.getString(0)).toList();
        float[][] spark = out.stream().map(r -> floats((Vector) r.get(2))).toArray(float[][]::new);
        float[][] local;
        try (Backbone backbone = Backbones.load("minilm", LENGTH)) {
            local = backbone.extractFeatures(texts);
        }
        double difference = maxDifference(spark, local);
        System.out.printf("Spark vs single-machine features: max difference %.2e%n", difference);
        assertThat(difference).isLessThan(1e-4);
        assertThat(loads).as("backbones loaded by the local[2] JVM for 3 partitions").isBetween(1, 2);
        assertThat(SparkFeatures.BACKBONES.loads()).as("a second job reuses them").isEqualTo(loads);
    }

    @Test
    void anMllibHeadScoresLikeGraftsHeadAndBecomesABundleThatPredictsTheSame() {
        Dataset<Row> labelled = new StringIndexer().setInputCol("label").setOutputCol("labelIndex").setStringOrderType("alphabetAsc")
                .fit(frame(topics(40, 2), 2)).transform(frame(topics(40, 2), 2));
        Dataset<Row> features = new SparkFeatures("minilm", LENGTH).transform(labelled).cache();
        Dataset<Row>[] split = features.randomSplit(new double[] {0.75, 0.25}, 7);
        LogisticRegressionModel model = MllibHeads.fitLogistic(split[0], 1e-3);
        List<Row> scored = model.transform(split[1]).select("text", "labelIndex", "prediction", "probability").collectAsList();
        double mllib = scored.stream().filter(r -> r.getDouble(1) == r.getDouble(2)).count() / (double) scored.size();
        assertThat(mllib).as("MLlib head test accuracy").isGreaterThanOrEqualTo(0.9);

        Path bundle = MllibHeads.toBundle(model, List.of("food", "weather"), "minilm", LENGTH, java.util.Map.of(), java.util.Map.of(),
                work.resolve("mllib.graft"));
        List<String> texts = scored.stream().map(r -> r.getString(0)).toList();
        float[][] expected = scored.stream().map(r -> floats((Vector) r.get(3))).toArray(float[][]::new);
        try (BundleClassifier classifier = BundleClassifier.load(bundle, null)) {
            assertThat(classifier.labels()).containsExactly("food", "weather");
            assertThat(maxDifference(classifier.probabilities(texts, Progress.NONE), expected)).isLessThan(1e-4);
        }
        org.apache.spark.ml.PipelineModel perceptron = MllibHeads.fitPerceptron(split[0], 16, 2, 7);
        List<Row> mlp = perceptron.transform(split[1]).select("labelIndex", "prediction").collectAsList();
        assertThat(mlp.stream().filter(r -> r.getDouble(0) == r.getDouble(1)).count() / (double) mlp.size())
                .as("MLlib perceptron test accuracy").isGreaterThanOrEqualTo(0.9);
        LogisticRegressionModel back = MllibHeads.toSparkModel(bundle);
        assertThat(back.coefficientMatrix().toArray()).containsExactly(model.coefficientMatrix().toArray(), org.assertj.core.data.Offset.offset(1e-5));
        features.unpersist();
    }

    @Test
    void graftsOwnLinearHeadBecomesAnMllibModelWithItsScalingFoldedIn() throws Exception {
        Path data = csv("linear.csv", topics(20, 3));
        Path bundle = work.resolve("linear.graft");
        Graft.fit(FitRequest.of(data, bundle).withBackbone("minilm", Strategy.parse("feature-extraction"), LENGTH)
                .withHead(HeadSpec.linear())
                .withHeadSearch(dev.graft.train.HeadSelection.Search.LINEAR), FitListener.NONE);
        LogisticRegressionModel model = MllibHeads.toSparkModel(bundle);
        List<Row> scored = model.transform(new SparkFeatures("minilm", LENGTH).transform(frame(topics(5, 4), 2)))
                .select("text", "probability").collectAsList();
        try (BundleClassifier classifier = BundleClassifier.load(bundle, null)) {
            float[][] graft = classifier.probabilities(scored.stream().map(r -> r.getString(0)).toList(), Progress.NONE);
            float[][] mllib = scored.stream().map(r -> floats((Vector) r.get(1))).toArray(float[][]::new);
            assertThat(maxDifference(graft, mllib)).isLessThan(1e-4);
        }
        Path mlp = work.resolve("mlp.graft");
        Graft.fit(FitRequest.of(data, mlp).withBackbone("minilm", Strategy.parse("feature-extraction"), LENGTH),
                FitListener.NONE);
        assertThatThrownBy(() -> MllibHeads.toSparkModel(mlp)).isInstanceOf(GraftException.class).hasMessageContaining("MLP head");
    }

    @Test
    void batchPredictionOfAFineTunedBundleMatchesTheLocalClassifier() throws Exception {
        Path data = csv("tuned.csv", topics(16, 5));
        Path bundle = work.resolve("tuned.graft");
        Graft.fit(FitRequest.of(data, bundle).withBackbone("minilm", Strategy.parse("partial:1"), LENGTH)
                .withTraining(TrainingOptions.defaults().withEpochs(1)),
                FitListener.NONE);
        assertThat(Bundle.load(bundle).backbone()).as("the bundle carries fine-tuned weights").isNotEmpty();
        List<Row> predicted = new SparkPredictions(bundle.toString(), "text").transform(frame(topics(6, 6), 3))
                .select("text", "prediction", "probability").collectAsList();
        List<String> texts = predicted.stream().map(r -> r.getString(0)).toList();
        try (BundleClassifier classifier = BundleClassifier.load(bundle, null)) {
            float[][] local = classifier.probabilities(texts, Progress.NONE);
            float[][] distributed = predicted.stream().map(r -> floats((Vector) r.get(2))).toArray(float[][]::new);
            assertThat(maxDifference(local, distributed)).isLessThan(1e-4);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(predicted.get(i).getString(1)).isEqualTo(classifier.labels().get(dev.graft.train.ClassificationMetrics.argmax(local)[i]));
            }
        }
    }

    @Test
    void theJobTrainsAHeadWritesABundleAndPredictsWithIt() throws Exception {
        Path data = csv("job.csv", topics(30, 8));
        Path bundle = work.resolve("job.graft");
        Run train = job("train-head", "--data", data.toString(), "--max-length", "32", "--out", bundle.toString(), "--compare-graft-head");
        assertThat(train.status()).as(train.err()).isZero();
        assertThat(train.out()).contains("MLlib LogisticRegression head: test accuracy", "Graft head (", "chosen by 5-fold cross-validation on train + validation", "wrote " + bundle);
        assertThat(Bundle.readManifest(bundle).labels()).containsExactly("food", "weather");

        Path predictions = work.resolve("predictions.parquet");
        Run predict = job("predict", "--data", data.toString(), "--model", bundle.toString(), "--out", predictions.toString());
        assertThat(predict.status()).as(predict.err()).isZero();
        List<Row> rows = spark.read().parquet(predictions.toString()).select("label", "prediction").collectAsList();
        assertThat(rows).hasSize(60);
        long right = rows.stream().filter(r -> r.getString(0).equals(r.getString(1))).count();
        assertThat(right).as("training rows predicted right").isGreaterThanOrEqualTo(54);
    }

    @Test
    void badInputEndsWithOneLineAndStatusTwo() throws Exception {
        Path data = csv("bad.csv", topics(3, 9));
        List<Run> runs = List.of(
                job("features", "--data", work.resolve("data.txt").toString(), "--out", work.resolve("f.parquet").toString()),
                job("features", "--data", data.toString(), "--text-column", "body", "--out", work.resolve("f.parquet").toString()),
                job("features", "--data", data.toString(), "--backbone", "nope", "--out", work.resolve("f.parquet").toString()),
                job("train-head", "--data", data.toString(), "--label-column", "category"),
                job("predict", "--data", data.toString(), "--model", work.resolve("none.graft").toString(), "--out",
                        work.resolve("p.parquet").toString()),
                job("features", "--data", data.toString()),
                job("train-head", "--data", data.toString(), "--head", "mlp:8", "--out", work.resolve("mlp-out.graft").toString()),
                job("train-head", "--data", data.toString(), "--head", "tree"));
        for (Run r : runs) {
            assertThat(r.status()).as(r.err()).isEqualTo(2);
            assertThat(r.err().strip().lines().toList()).as(r.err()).hasSize(1);
            assertThat(r.err()).startsWith("graft-spark: ").doesNotContain("Exception");
        }
        assertThat(runs.get(1).err()).contains("--text-column 'body' is not a column of the data");
        assertThat(runs.get(2).err()).contains("unknown backbone 'nope'");
        assertThat(runs.get(3).err()).contains("--label-column");
        assertThat(runs.get(6).err()).contains("sigmoid", "--head logistic");
        assertThat(runs.get(7).err()).contains("--head tree is not known");
        assertThat(Files.exists(work.resolve("f.parquet"))).isFalse();
        Dataset<Row> nulls = spark.createDataset(java.util.Arrays.asList("fine", null), Encoders.STRING()).toDF("text");
        assertThatThrownBy(() -> new SparkFeatures("minilm", LENGTH).transform(nulls).collectAsList())
                .satisfies(e -> assertThat(GraftSparkJob.graftCause(e)).hasMessageContaining("is null in a row"));
    }

    record Run(int status, String out, String err) {}

    static Run job(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = GraftSparkJob.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }
}
