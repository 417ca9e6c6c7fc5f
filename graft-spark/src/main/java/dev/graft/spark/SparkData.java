package dev.graft.spark;

import dev.graft.GraftException;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads and writes tables by file extension: CSV/TSV with a header, JSON Lines, Parquet. */
final class SparkData {

    private SparkData() {}

    static Dataset<Row> read(SparkSession spark, String path) {
        String name = path.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
        if (name.endsWith(".csv") || name.endsWith(".tsv")) {
            return spark.read().option("header", true).option("multiLine", true).option("escape", "\"")
                    .option("sep", name.endsWith(".tsv") ? "\t" : ",").csv(path);
        }
        if (name.endsWith(".jsonl") || name.endsWith(".json")) {
            return spark.read().json(path);
        }
        if (name.endsWith(".parquet")) {
            return spark.read().parquet(path);
        }
        throw new GraftException("cannot tell the format of " + path + "; use a .csv, .tsv, .jsonl or .parquet path");
    }

    static void write(Dataset<Row> data, String path) {
        String name = path.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
        if (name.endsWith(".parquet")) {
            data.write().parquet(path);
        } else if (name.endsWith(".jsonl") || name.endsWith(".json")) {
            data.write().json(path);
        } else {
            throw new GraftException("cannot tell the output format of " + path + "; end it in .parquet or .jsonl");
        }
    }
}
