package dev.graft.spark;

import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Options every graft-spark job takes. */
final class SparkJobOptions {

    @Option(names = "--data", required = true, description = "Input table: .csv, .tsv, .jsonl or .parquet (any path Spark reads: file:, hdfs:, s3a:).")
    String data;

    @Option(names = "--text-column", defaultValue = "text", description = "Column with the texts or image paths. Default: ${DEFAULT-VALUE}.")
    String textColumn;

    @Option(names = "--partitions", description = "Repartition the input into this many partitions first. Default: at least one per task slot (a small file is one partition, which one task alone would work through).")
    Integer partitions;

    @Option(names = "--master", description = "Spark master when not started by spark-submit. Default: local[*].")
    String master;

    SparkSession session(String name) {
        SparkSession.Builder builder = SparkSession.builder().appName("graft " + name);
        if (master != null) {
            builder.master(master);
        } else if (System.getProperty("spark.master") == null) {
            builder.master("local[*]");
        }
        SparkSession spark = builder.config("spark.ui.showConsoleProgress", "false").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> read(SparkSession spark) {
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows = SparkData.read(spark, data);
        if (partitions != null) {
            return rows.repartition(partitions);
        }
        int slots = spark.sparkContext().defaultParallelism();
        return rows.rdd().getNumPartitions() < slots ? rows.repartition(slots) : rows;
    }
}
