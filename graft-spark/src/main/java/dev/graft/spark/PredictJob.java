package dev.graft.spark;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code graft-spark predict}: scores a table with any Graft bundle. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Add 'prediction' and 'probability' columns from a Graft bundle (any strategy) and write the table.")
final class PredictJob implements Callable<Integer> {

    @Mixin
    SparkJobOptions job;

    @Option(names = "--model", required = true, description = "Bundle (.graft or directory) on a shared file system, or the file name of one shipped with spark-submit --files.")
    String model;

    @Option(names = "--out", required = true, description = "Output table: .parquet or .jsonl directory (must not exist).")
    String out;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        SparkSession spark = job.session("predict");
        dev.graft.bundle.Bundle.readManifest(java.nio.file.Path.of(SparkPredictions.resolve(model)));
        long t0 = System.nanoTime();
        SparkData.write(new SparkPredictions(model, job.textColumn).transform(job.read(spark)), out);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long count = SparkData.read(spark, out).count();
        spec.commandLine().getOut().printf(Locale.ROOT, "scored %d rows with %s into %s in %.1f s (%.1f rows/s)%n",
                count, model, out, seconds, count / seconds);
        return 0;
    }
}
