/**
 * Graft on Apache Spark. As an API: {@link dev.graft.spark.SparkFeatures} adds a frozen backbone's
 * feature vector to every row of a DataFrame, {@link dev.graft.spark.MllibHeads} turns an MLlib
 * logistic regression on those features into a Graft bundle (and back), and {@link
 * dev.graft.spark.SparkPredictions} scores any bundle over a DataFrame. Each executor JVM loads a
 * backbone or bundle once and reuses it across partitions and tasks.
 *
 * <p>As a job: {@link dev.graft.spark.GraftSparkJob} is the job jar's entry point for {@code
 * spark-submit}, with the subcommands {@code features}, {@code train-head}, {@code predict} and
 * {@code bench}. Spark itself is a {@code provided} dependency.
 */
package dev.graft.spark;
