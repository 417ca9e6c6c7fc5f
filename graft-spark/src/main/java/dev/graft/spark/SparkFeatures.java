package dev.graft.spark;

import dev.graft.GraftException;
import dev.graft.Parameter;
import dev.graft.backbone.Backbone;
import dev.graft.backbone.Backbones;
import dev.graft.backbone.Engines;
import dev.graft.train.FeatureCache;
import dev.graft.train.FeatureExtractor;
import dev.graft.train.Progress;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Distributed feature extraction: adds to every row the frozen backbone's feature vector of its
 * text (or image path), as an MLlib vector column. Each executor JVM loads the backbone once and
 * reuses it for every partition and task; rows are batched inside each partition.
 *
 * <pre>{@code
 * Dataset<Row> features = new SparkFeatures("minilm", 128).inputColumn("text").transform(df);
 * }</pre>
 *
 * @param backbone backbone id, e.g. {@code minilm} or {@code mobilenetv2:96}
 * @param maxLength tokens per text (ignored by image backbones)
 * @param inputColumn the string column with texts or image paths
 * @param outputColumn the vector column to add
 * @param batchSize inputs per forward pass
 * @param window rows read from a partition at a time and sorted by length before batching
 * @serial exclude Serializable only so Spark can ship it to executors; not a persistent form
 */
public record SparkFeatures(String backbone, int maxLength, String inputColumn, String outputColumn, int batchSize, int window,
        dev.graft.Precision precision) implements Serializable {

    static final ExecutorPool<Backbone> BACKBONES = new ExecutorPool<>(key -> {
        String[] parts = key.split("\\|");
        return Backbones.load(parts[0], Integer.parseInt(parts[1]), dev.graft.Precision.parse(parts[2]));
    });

    /**
     * Checks the settings on the driver, where a mistake is cheap to report.
     *
     * @param backbone backbone id, e.g. {@code minilm} or {@code mobilenetv2:96}; must be a known backbone
     * @param maxLength tokens per text, 8 to 512 (ignored by image backbones)
     * @param inputColumn the string column with texts or image paths
     * @param outputColumn the vector column to add; must not exist in the data yet
     * @param batchSize inputs per forward pass, at least 1 and at most {@code window}
     * @param window rows read from a partition at a time and sorted by length before batching
     * @param precision the arithmetic of the frozen features (int8 for BERT text encoders); null reads as fp32
     * @throws GraftException if the backbone is unknown or a number is out of range
     */
    public SparkFeatures {
        precision = precision == null ? dev.graft.Precision.FP32 : precision;
        Backbones.checkId(backbone);
        if (maxLength < 8 || maxLength > 512) {
            throw new GraftException(Parameter.MAX_LENGTH, maxLength, "is out of range; use 8 to 512 tokens");
        }
        if (batchSize < 1 || window < batchSize) {
            throw new GraftException(Parameter.BATCH_SIZE, batchSize, "must be at least 1 and at most the window of " + window + " rows");
        }
    }

    /**
     * Extracts features of column {@code text} into column {@code features}, with the default batch size and
     * windows of 256 rows.
     *
     * @param backbone backbone id, e.g. {@code minilm} or {@code mobilenetv2:96}
     * @param maxLength tokens per text, 8 to 512 (ignored by image backbones)
     */
    public SparkFeatures(String backbone, int maxLength) {
        this(backbone, maxLength, "text", "features", FeatureExtractor.DEFAULT_BATCH_SIZE, 256, dev.graft.Precision.FP32);
    }

    /**
     * Returns a copy that reads another input column.
     *
     * @param column the string column with texts or image paths
     * @return a copy reading {@code column}, other settings unchanged
     */
    public SparkFeatures inputColumn(String column) {
        return new SparkFeatures(backbone, maxLength, column, outputColumn, batchSize, window, precision);
    }

    /**
     * Returns a copy that writes the features to another column.
     *
     * @param column the vector column to add; must not exist in the data yet
     * @return a copy writing {@code column}, other settings unchanged
     */
    public SparkFeatures outputColumn(String column) {
        return new SparkFeatures(backbone, maxLength, inputColumn, column, batchSize, window, precision);
    }

    /**
     * Returns a copy with another batch size; the window grows to at least {@code size} rows.
     *
     * @param size inputs per forward pass, at least 1
     * @return a copy computing {@code size} inputs per forward pass
     */
    public SparkFeatures batchSize(int size) {
        return new SparkFeatures(backbone, maxLength, inputColumn, outputColumn, size, Math.max(window, size), precision);
    }

    /**
     * Returns a copy computing features in another precision.
     *
     * @param value {@link dev.graft.Precision#INT8} runs a BERT text encoder on int8 weights (faster, with
     *     quantisation noise)
     * @return a copy computing features in {@code value}
     */
    public SparkFeatures precision(dev.graft.Precision value) {
        return new SparkFeatures(backbone, maxLength, inputColumn, outputColumn, batchSize, window, value);
    }

    /**
     * Adds the feature vector column to the rows.
     *
     * @param data rows with {@link #inputColumn()}
     * @return the same rows with {@link #outputColumn()} added; lazy, like every Spark transformation
     */
    public Dataset<Row> transform(Dataset<Row> data) {
        int column = stringColumn(data.schema(), inputColumn);
        if (Arrays.asList(data.schema().fieldNames()).contains(outputColumn)) {
            throw new GraftException("the data already has a column '" + outputColumn + "'; choose another output column");
        }
        StructType schema = data.schema().add(outputColumn, SQLDataTypes.VectorType(), false);
        return data.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> new WindowedRows(rows, window,
                window -> withFeatures(window, column)), Encoders.row(schema));
    }

    private List<Row> withFeatures(List<Row> rows, int column) {
        List<String> inputs = texts(rows, column, inputColumn);
        float[][] features = features(inputs);
        List<Row> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            out.add(append(rows.get(i), Vectors.dense(toDoubles(features[i]))));
        }
        return out;
    }

    /** {@return the features of {@code inputs}, computed by this JVM's copy of the backbone} */
    float[][] features(List<String> inputs) {
        String key = backbone + "|" + maxLength + "|" + precision.id();
        Backbone model = BACKBONES.borrow(key);
        try (FeatureCache cache = FeatureCache.inMemory(model)) {
            Engines.noGradientsOnThisThread();
            TaskThreads.apply();
            return new FeatureExtractor(model, cache, batchSize).extract(inputs, Progress.NONE);
        } finally {
            BACKBONES.giveBack(key, model);
        }
    }

    static int stringColumn(StructType schema, String name) {
        List<String> names = Arrays.asList(schema.fieldNames());
        if (!names.contains(name)) {
            throw new GraftException(Parameter.TEXT_COLUMN, "'" + name + "'", "is not a column of the data (columns: "
                    + String.join(", ", names) + "); name the input column");
        }
        if (!schema.apply(name).dataType().equals(DataTypes.StringType)) {
            throw new GraftException(Parameter.TEXT_COLUMN, "'" + name + "'", "holds "
                    + schema.apply(name).dataType().simpleString() + ", not text; name a string column");
        }
        return schema.fieldIndex(name);
    }

    static List<String> texts(List<Row> rows, int column, String name) {
        List<String> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            if (row.isNullAt(column)) {
                throw new GraftException("column '" + name + "' is null in a row; drop such rows first, e.g. df.na().drop(new String[] {\""
                        + name + "\"})");
            }
            out.add(row.getString(column));
        }
        return out;
    }

    static Row append(Row row, Object... values) {
        Object[] all = new Object[row.size() + values.length];
        for (int i = 0; i < row.size(); i++) {
            all[i] = row.get(i);
        }
        System.arraycopy(values, 0, all, row.size(), values.length);
        return RowFactory.create(all);
    }

    static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
