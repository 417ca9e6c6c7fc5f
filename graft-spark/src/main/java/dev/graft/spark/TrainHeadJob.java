package dev.graft.spark;

import dev.graft.GraftException;
import dev.graft.train.ClassificationMetrics;
import dev.graft.train.HeadSelection;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code graft-spark train-head}: features on Spark, an MLlib logistic regression on them, its
 * test metrics, and the model as a Graft bundle; with {@code --compare-graft-head}, Graft's own head
 * trained on the same features and split, for comparison.
 */
@Command(name = "train-head", mixinStandardHelpOptions = true,
        description = "Extract features on Spark, fit an MLlib LogisticRegression head, report test metrics, write a Graft bundle.")
final class TrainHeadJob implements Callable<Integer> {

    @Mixin
    SparkJobOptions job;

    @Mixin
    BackboneOptions backbone;

    @Option(names = "--label-column", defaultValue = "label", description = "Column with the class labels. Default: ${DEFAULT-VALUE}.")
    String labelColumn;

    @Option(names = "--out", description = "Write the MLlib model as a Graft bundle here (.graft file or directory); logistic head only.")
    Path out;

    @Option(names = "--head", defaultValue = "logistic", description = "MLlib head: logistic (LogisticRegression, becomes a Graft bundle) or mlp:HIDDEN (MultilayerPerceptronClassifier, sigmoid hidden units; evaluated, not convertible). Default: ${DEFAULT-VALUE}.")
    String head;

    @Option(names = "--reg", defaultValue = "1e-3", description = "L2 regularisation of the logistic regression. Default: ${DEFAULT-VALUE}.")
    double reg;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the 80/10/10 train/validation/test split. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--compare-graft-head", description = "Also train Graft's default head on the same features (collected to the driver) and report both.")
    boolean compare;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int hidden = hidden(head);
        if (hidden > 0 && this.out != null) {
            throw new GraftException("--head " + head + " cannot be written as a Graft bundle (MLlib's perceptron uses sigmoid hidden "
                    + "units, Graft's MLP head ReLU); drop --out, or use --head logistic");
        }
        SparkFeatures features = backbone.features(job.textColumn);
        SparkSession spark = job.session("train-head");
        Dataset<Row> raw = job.read(spark);
        if (!Arrays.asList(raw.columns()).contains(labelColumn)) {
            throw new GraftException("the data has no column '" + labelColumn + "' (columns: " + String.join(", ", raw.columns())
                    + "); name the label column with --label-column");
        }
        Dataset<Row> labelled = raw.withColumn(labelColumn, functions.col(labelColumn).cast(DataTypes.StringType))
                .na().drop(new String[] {job.textColumn, labelColumn});
        StringIndexerModel indexer = new StringIndexer().setInputCol(labelColumn).setOutputCol("labelIndex")
                .setStringOrderType("alphabetAsc").fit(labelled);
        List<String> labels = List.of(indexer.labelsArray()[0]);
        if (labels.size() < 2) {
            throw new GraftException("column '" + labelColumn + "' has " + labels.size() + " class; a classifier needs at least two");
        }
        long t0 = System.nanoTime();
        Dataset<Row> all = features.transform(indexer.transform(labelled).select(job.textColumn, "labelIndex")).cache();
        long rows = all.count();
        double featureSeconds = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "features: %d rows, %d classes, %.1f s (%.1f rows/s)%n", rows, labels.size(), featureSeconds,
                rows / featureSeconds);
        Dataset<Row>[] split = all.randomSplit(new double[] {0.8, 0.1, 0.1}, seed);

        if (hidden > 0) {
            long t1 = System.nanoTime();
            org.apache.spark.ml.PipelineModel mlp = MllibHeads.fitPerceptron(split[0], hidden, labels.size(), seed);
            double seconds = (System.nanoTime() - t1) / 1e9;
            ClassificationMetrics test = metrics(mlp.transform(split[2]), labels);
            out.printf(Locale.ROOT, "MLlib MultilayerPerceptronClassifier head (%d hidden): test accuracy %.4f, macro-F1 %.4f (%d test rows; trained in %.1f s)%n",
                    hidden, test.accuracy(), test.macroF1(), test.count(), seconds);
            if (compare) {
                graftHead(split, labels, out);
            }
            all.unpersist();
            return 0;
        }
        long t1 = System.nanoTime();
        LogisticRegressionModel model = MllibHeads.fitLogistic(split[0], reg);
        double headSeconds = (System.nanoTime() - t1) / 1e9;
        ClassificationMetrics validation = metrics(model.transform(split[1]), labels);
        ClassificationMetrics test = metrics(model.transform(split[2]), labels);
        out.printf(Locale.ROOT, "MLlib LogisticRegression head: test accuracy %.4f, macro-F1 %.4f (%d test rows; trained in %.1f s)%n",
                test.accuracy(), test.macroF1(), test.count(), headSeconds);
        if (compare) {
            graftHead(split, labels, out);
        }
        if (this.out != null) {
            Map<String, Object> training = new LinkedHashMap<>();
            training.put("head", "Spark MLlib LogisticRegression (multinomial)");
            training.put("reg_param", reg);
            training.put("split", "80/10/10 random, seed " + seed);
            training.put("train_rows", split[0].count());
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("validation", validation.toJsonMap());
            metrics.put("test", test.toJsonMap());
            MllibHeads.toBundle(model, labels, backbone.backbone, backbone.maxLength,
                    dev.graft.Precision.parse(backbone.precision), training, metrics, this.out);
            out.println("wrote " + this.out + " (graft predict, graft serve and graft-spark predict read it)");
        }
        all.unpersist();
        return 0;
    }

    private static int hidden(String head) {
        if (head.equals("logistic")) {
            return 0;
        }
        if (head.matches("mlp:\\d{1,5}") && Integer.parseInt(head.substring(4)) > 0) {
            return Integer.parseInt(head.substring(4));
        }
        throw new GraftException("--head " + head + " is not known; use logistic or mlp:HIDDEN, e.g. mlp:128");
    }

    private void graftHead(Dataset<Row>[] split, List<String> labels, PrintWriter out) {
        float[][][] x = new float[3][][];
        int[][] y = new int[3][];
        for (int s = 0; s < 3; s++) {
            List<Row> rows = split[s].select("features", "labelIndex").collectAsList();
            x[s] = new float[rows.size()][];
            y[s] = new int[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                double[] v = ((Vector) rows.get(i).get(0)).toArray();
                x[s][i] = new float[v.length];
                for (int j = 0; j < v.length; j++) {
                    x[s][i][j] = (float) v[j];
                }
                y[s][i] = (int) rows.get(i).getDouble(1);
            }
        }
        // graft fit's own choice: cross-validation over train and validation together, scored on the same test rows
        float[][] pooledX = java.util.stream.Stream.concat(java.util.Arrays.stream(x[0]), java.util.Arrays.stream(x[1]))
                .toArray(float[][]::new);
        int[] pooledY = java.util.stream.IntStream.concat(java.util.Arrays.stream(y[0]), java.util.Arrays.stream(y[1])).toArray();
        HeadSelection.Result head = HeadSelection.select(pooledX, pooledY, labels.size(), null,
                HeadSelection.Options.defaults().withSeed(seed), line -> { });
        ClassificationMetrics test = ClassificationMetrics.compute(y[2], head.head().probabilities(x[2]), labels);
        out.printf(Locale.ROOT, "Graft head (%s %s, chosen by %d-fold cross-validation on train + validation) on the same "
                + "features and split: test accuracy %.4f, macro-F1 %.4f (chosen and trained in %.1f s)%n", head.chosen().head(),
                head.chosen().setting(), HeadSelection.Options.FOLDS, test.accuracy(), test.macroF1(), head.seconds());
    }

    private static ClassificationMetrics metrics(Dataset<Row> predictions, List<String> labels) {
        List<Row> rows = predictions.select("labelIndex", "prediction").collectAsList();
        int[] truth = new int[rows.size()];
        int[] predicted = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            truth[i] = (int) rows.get(i).getDouble(0);
            predicted[i] = (int) rows.get(i).getDouble(1);
        }
        return ClassificationMetrics.compute(truth, predicted, labels);
    }
}
