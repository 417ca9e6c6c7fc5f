package dev.graft.spark;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code graft-spark features}: every row plus its frozen-backbone feature vector. */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = "Add a 'features' vector column (the frozen backbone's features of --text-column) and write the table.")
final class FeaturesJob implements Callable<Integer> {

    @Mixin
    SparkJobOptions job;

    @Mixin
    BackboneOptions backbone;

    @Option(names = "--out", required = true, description = "Output table: .parquet or .jsonl directory (must not exist).")
    String out;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        SparkFeatures features = backbone.features(job.textColumn);
        SparkSession spark = job.session("features");
        long t0 = System.nanoTime();
        Dataset<Row> rows = features.transform(job.read(spark));
        SparkData.write(rows, out);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long count = SparkData.read(spark, out).count();
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %d rows with %s features to %s in %.1f s (%.1f rows/s)%n",
                count, backbone.backbone, out, seconds, count / seconds);
        return 0;
    }
}
