package dev.graft.spark;

import dev.graft.GraftException;
import dev.graft.backbone.Engines;
import dev.graft.bundle.BundleClassifier;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Batch prediction of any Graft bundle (feature extraction, fine-tuned, LoRA, image) over a
 * DataFrame: adds the predicted label and the class probabilities. Each executor JVM loads the
 * bundle once; on a cluster, ship it with {@code --files model.graft} and name it by file name.
 *
 * @param bundle bundle path as the executors see it, or the file name of one shipped with {@code --files}
 * @param inputColumn the string column with texts or image paths
 * @param window rows scored at a time, sorted by length
 * @serial exclude Serializable only so Spark can ship it to executors; not a persistent form
 */
public record SparkPredictions(String bundle, String inputColumn, int window) implements Serializable {

    static final ExecutorPool<BundleClassifier> MODELS = new ExecutorPool<>(path -> BundleClassifier.load(Path.of(path), null));

    /**
     * Predicts {@code inputColumn} in windows of 256 rows.
     *
     * @param bundle bundle path as the executors see it, or the file name of one shipped with {@code --files}
     * @param inputColumn the string column with texts or image paths
     */
    public SparkPredictions(String bundle, String inputColumn) {
        this(bundle, inputColumn, 256);
    }

    /**
     * Adds the predicted label and the class probabilities to the rows.
     *
     * @param data rows with {@link #inputColumn()}
     * @return the rows with {@code prediction} (label) and {@code probability} (vector, in label order) added
     */
    public Dataset<Row> transform(Dataset<Row> data) {
        int column = SparkFeatures.stringColumn(data.schema(), inputColumn);
        for (String name : List.of("prediction", "probability")) {
            if (Arrays.asList(data.schema().fieldNames()).contains(name)) {
                throw new GraftException("the data already has a column '" + name + "'; rename it before predicting");
            }
        }
        StructType schema = data.schema().add("prediction", DataTypes.StringType, false)
                .add("probability", SQLDataTypes.VectorType(), false);
        return data.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> new WindowedRows(rows, window,
                window -> predicted(window, column)), Encoders.row(schema));
    }

    private List<Row> predicted(List<Row> rows, int column) {
        List<String> inputs = SparkFeatures.texts(rows, column, inputColumn);
        String path = resolve(bundle);
        BundleClassifier model = MODELS.borrow(path);
        try {
            Engines.noGradientsOnThisThread();
            TaskThreads.apply();
            float[][] p = byLength(model, inputs);
            int[] best = dev.graft.train.ClassificationMetrics.argmax(p);
            List<Row> out = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                out.add(SparkFeatures.append(rows.get(i), model.labels().get(best[i]), Vectors.dense(SparkFeatures.toDoubles(p[i]))));
            }
            return out;
        } finally {
            MODELS.giveBack(path, model);
        }
    }

    /** Scores the inputs sorted by length, so a batch pads little, and returns them in input order. */
    private static float[][] byLength(BundleClassifier model, List<String> inputs) {
        Integer[] order = new Integer[inputs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> inputs.get(i).length()));
        List<String> sorted = new ArrayList<>(inputs.size());
        for (int i : order) {
            sorted.add(inputs.get(i));
        }
        float[][] scored = model.probabilitiesUncached(sorted);
        float[][] out = new float[inputs.size()][];
        for (int k = 0; k < order.length; k++) {
            out[order[k]] = scored[k];
        }
        return out;
    }

    /** A path the executor can read, or the local copy of a file shipped with {@code --files}. */
    static String resolve(String bundle) {
        if (Files.exists(Path.of(bundle))) {
            return bundle;
        }
        String shipped = SparkFiles.get(Path.of(bundle).getFileName().toString());
        if (Files.exists(Path.of(shipped))) {
            return shipped;
        }
        throw new GraftException("model " + bundle + " is not on this executor; put it on a shared file system or ship it with "
                + "spark-submit --files " + bundle);
    }
}
