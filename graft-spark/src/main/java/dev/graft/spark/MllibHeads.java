package dev.graft.spark;

import dev.graft.Graft;
import dev.graft.GraftException;
import dev.graft.adapt.TrainingOptions;
import dev.graft.adapt.Strategy;
import dev.graft.backbone.Backbone;
import dev.graft.backbone.Backbones;
import dev.graft.backbone.vision.ImageBackbone;
import dev.graft.backbone.LayerGroup;
import dev.graft.bundle.Bundle;
import dev.graft.bundle.BundleManifest;
import dev.graft.train.FeatureScaler;
import dev.graft.train.HeadSpec;
import dev.graft.train.TrainedHead;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.Matrices;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.stat.Summarizer;

/**
 * A classification head trained by Spark MLlib on extracted features, as a Graft bundle and back:
 * a multinomial {@link LogisticRegressionModel} is exactly Graft's linear head (softmax of
 * {@code Wx + b}), so the bundle scores the same texts with the same probabilities.
 */
public final class MllibHeads {

    private MllibHeads() {}

    /**
     * Fits a multinomial logistic regression on standardised features and returns it over the raw
     * features (the standardisation folded into its weights). A feature whose standard deviation
     * is under 1 % of the median one is left out: on MiniLM features, MLlib alone gave a feature that
     * is constant but for float rounding coefficients of 1e31, and without its standardisation the
     * optimiser stopped at zero weights (both measured).
     *
     * @param features rows with a {@code features} vector column and a {@code labelIndex} column
     * @param regParam L2 regularisation, in the standardised space
     * @return the fitted model, reading {@code features}
     */
    public static LogisticRegressionModel fitLogistic(Dataset<Row> features, double regParam) {
        Row stats = features.select(Summarizer.metrics("mean", "std").summary(functions.col("features")).as("s"))
                .select("s.mean", "s.std").first();
        double[] mean = ((Vector) stats.get(0)).toArray();
        double[] std = ((Vector) stats.get(1)).toArray();
        double[] scale = floored(std);
        UserDefinedFunction standardise = functions.udf((UDF1<Vector, Vector>) v -> {
            double[] x = v.toArray();
            double[] z = new double[x.length];
            for (int j = 0; j < x.length; j++) {
                // a feature below the floor is noise: exactly 0, so MLlib gives it no coefficient
                z[j] = std[j] < scale[j] ? 0 : (x[j] - mean[j]) / scale[j];
            }
            return Vectors.dense(z);
        }, SQLDataTypes.VectorType());
        LogisticRegressionModel fitted = new LogisticRegression().setFamily("multinomial").setFeaturesCol("standardised")
                .setLabelCol("labelIndex").setStandardization(true).setRegParam(regParam).setElasticNetParam(0)
                .setMaxIter(300).setTol(1e-7)
                .fit(features.withColumn("standardised", standardise.apply(functions.col("features"))));
        int classes = fitted.numClasses();
        int d = fitted.numFeatures();
        double[][] w = new double[classes][d];
        double[] b = new double[classes];
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < d; j++) {
                w[c][j] = fitted.coefficientMatrix().apply(c, j);
            }
            b[c] = fitted.interceptVector().apply(c);
        }
        LogisticRegressionModel model = folded(fitted.uid(), w, b, mean, scale);
        return model.setFeaturesCol("features");
    }

    /**
     * Fits MLlib's multilayer perceptron (sigmoid hidden units, softmax output) on standardised
     * features. It stays a Spark model: Graft's MLP head uses ReLU, so the two cannot be converted
     * into each other.
     *
     * @param features rows with a {@code features} vector column and a {@code labelIndex} column
     * @param hidden hidden units
     * @param classes number of classes
     * @param seed weight initialisation
     * @return the pipeline (standardisation, perceptron), reading {@code features}
     */
    public static PipelineModel fitPerceptron(Dataset<Row> features, int hidden, int classes, long seed) {
        int d = ((Vector) features.select("features").first().get(0)).size();
        StandardScaler scaler = new StandardScaler().setInputCol("features").setOutputCol("standardised").setWithMean(true)
                .setWithStd(true);
        MultilayerPerceptronClassifier mlp = new MultilayerPerceptronClassifier().setLayers(new int[] {d, hidden, classes})
                .setFeaturesCol("standardised").setLabelCol("labelIndex").setMaxIter(200).setSeed(seed).setBlockSize(128);
        return new Pipeline().setStages(new PipelineStage[] {scaler, mlp}).fit(features);
    }

    private static double[] floored(double[] std) {
        double[] sorted = std.clone();
        java.util.Arrays.sort(sorted);
        double floor = 0.01 * sorted[sorted.length / 2];
        double[] out = new double[std.length];
        for (int j = 0; j < std.length; j++) {
            out[j] = Math.max(std[j], floor) > 0 ? Math.max(std[j], floor) : 1;
        }
        return out;
    }

    /** A model over raw features from one over {@code (x - mean) / scale}. */
    private static LogisticRegressionModel folded(String uid, double[][] w, double[] b, double[] mean, double[] scale) {
        int classes = w.length;
        int d = mean.length;
        double[] columnMajor = new double[classes * d];
        double[] intercepts = new double[classes];
        for (int c = 0; c < classes; c++) {
            double shift = 0;
            for (int j = 0; j < d; j++) {
                double f = w[c][j] / scale[j];
                columnMajor[j * classes + c] = f;
                shift += f * mean[j];
            }
            intercepts[c] = b[c] - shift;
        }
        return new LogisticRegressionModel(uid, Matrices.dense(classes, d, columnMajor), Vectors.dense(intercepts), classes, true);
    }

    /**
     * Writes a fitted logistic regression as a Graft bundle on the frozen backbone.
     *
     * @param model the MLlib model, trained on features of {@code backboneId}
     * @param labels class labels in the model's class order
     * @param backboneId the backbone whose features the model read
     * @param maxLength tokens per text the features were computed with
     * @param training what to record about the training (hyperparameters, data)
     * @param metrics validation and test metrics to record, may be empty
     * @param out bundle directory or {@code .graft} file
     * @return {@code out}
     */
    public static Path toBundle(LogisticRegressionModel model, List<String> labels, String backboneId, int maxLength,
            Map<String, Object> training, Map<String, Object> metrics, Path out) {
        return toBundle(model, labels, backboneId, maxLength, dev.graft.Precision.FP32, training, metrics, out);
    }

    /**
     * Writes a fitted logistic regression as a Graft bundle on the frozen backbone, recording the
     * precision its features were computed in (the bundle then computes them so).
     *
     * @param model the MLlib model, trained on features of {@code backboneId}
     * @param labels class labels in the model's class order
     * @param backboneId the backbone whose features the model read
     * @param maxLength tokens per text the features were computed with
     * @param precision the arithmetic of those features
     * @param training what to record about the training (hyperparameters, data)
     * @param metrics validation and test metrics to record, may be empty
     * @param out bundle directory or {@code .graft} file
     * @return {@code out}
     */
    public static Path toBundle(LogisticRegressionModel model, List<String> labels, String backboneId, int maxLength,
            dev.graft.Precision precision, Map<String, Object> training, Map<String, Object> metrics, Path out) {
        Matrix coefficients = model.coefficientMatrix();
        Vector intercepts = model.interceptVector();
        int d = model.numFeatures();
        int classes = model.numClasses();
        if (classes != labels.size()) {
            throw new GraftException("the model has " + classes + " classes but " + labels.size() + " labels were given");
        }
        float[] weight = new float[classes * d];
        float[] bias = new float[classes];
        boolean binomial = coefficients.numRows() == 1 && classes == 2;
        for (int c = 0; c < classes; c++) {
            int row = binomial ? 0 : c;
            double sign = binomial ? (c == 0 ? 0 : 1) : 1;
            for (int j = 0; j < d; j++) {
                weight[c * d + j] = (float) (sign * coefficients.apply(row, j));
            }
            bias[c] = (float) (sign * intercepts.apply(row));
        }
        Map<String, float[]> weights = new LinkedHashMap<>();
        weights.put("head.dense0.weight", weight);
        weights.put("head.dense0.bias", bias);
        TrainedHead head = new TrainedHead(HeadSpec.linear(), FeatureScaler.identity(d), classes, weights);
        try (Backbone backbone = Backbones.load(backboneId, maxLength, precision)) {
            if (backbone.featureSize() != d) {
                throw new GraftException("the model reads " + d + " features but backbone " + backboneId + " gives "
                        + backbone.featureSize() + "; convert it with the backbone it was trained on");
            }
            long backboneParameters = backbone.layerGroups().stream().mapToLong(LayerGroup::parameters).sum();
            Map<String, Object> provenance = new LinkedHashMap<>();
            provenance.put("trained_by", "Apache Spark MLlib " + org.apache.spark.sql.SparkSession.getActiveSession()
                    .map(s -> s.version()).getOrElse(() -> "(version unknown)") + " LogisticRegression, converted by graft-spark");
            provenance.put("graft_version", Graft.VERSION);
            provenance.put("created_at", Instant.now().toString());
            BundleManifest manifest = new BundleManifest(BundleManifest.FORMAT, BundleManifest.VERSION,
                    backbone instanceof ImageBackbone ? "image-classification" : "text-classification",
                    new BundleManifest.BackboneRef(backbone.id(), backbone.weightsSha256(), backbone.preprocessingKey(), maxLength),
                    labels, new BundleManifest.HeadRef(0, 0, d),
                    Strategy.featureExtraction().plan(backbone, TrainingOptions.defaults()),
                    new BundleManifest.Parameters(head.parameterCount(), backboneParameters + head.parameterCount()),
                    null, training, metrics, provenance);
            return Bundle.save(out, manifest, head);
        }
    }

    /**
     * Reads a Graft bundle with a linear head on a frozen backbone as an MLlib model over that
     * backbone's features (the bundle's standardisation and temperature folded into the weights).
     *
     * @param bundle bundle directory or {@code .graft} file
     * @return the model; its classes are the bundle's labels in order
     */
    public static LogisticRegressionModel toSparkModel(Path bundle) {
        Bundle.Loaded loaded = Bundle.load(bundle);
        if (!loaded.backbone().isEmpty()) {
            throw new GraftException(bundle + " fine-tuned its backbone, so pretrained features would not match it; "
                    + "score it with SparkPredictions (graft-spark predict) instead");
        }
        TrainedHead head = loaded.head();
        if (head.spec().hidden() > 0) {
            throw new GraftException(bundle + " has an MLP head; only a linear head is a LogisticRegressionModel — "
                    + "score it with SparkPredictions (graft-spark predict), or fit with --head linear");
        }
        int classes = head.classes();
        int d = head.scaler().dimension();
        float[] weight = head.weights().get("head.dense0.weight");
        float[] bias = head.weights().get("head.dense0.bias");
        double[][] w = new double[classes][d];
        double[] b = new double[classes];
        double t = head.temperature();
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < d; j++) {
                w[c][j] = weight[c * d + j] / t;
            }
            b[c] = bias[c] / t;
        }
        return folded("graft-" + loaded.manifest().weights().sha256().substring(0, 12), w, b,
                SparkFeatures.toDoubles(head.scaler().mean()), SparkFeatures.toDoubles(head.scaler().scale()));
    }
}
