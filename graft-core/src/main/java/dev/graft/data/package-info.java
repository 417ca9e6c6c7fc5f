/**
 * Text classification data: loading, label encoding, stratified splits, validation and profiling.
 *
 * <p>The usual path is
 *
 * <pre>{@code
 * TextDataset data = TextLoader.load(Path.of("reviews.csv"), TextLoadOptions.defaults());
 * DatasetValidator.check(data);
 * DataSplit split = StratifiedSplitter.split(data, 0.1, 0.1, 42L);
 * LabelEncoder labels = LabelEncoder.fit(split.train().labels());
 * }</pre>
 *
 * <p>{@link dev.graft.data.TextLoader} reads CSV, TSV, JSON Lines and JSON arrays by column name.
 * Every problem with the user's file is a {@link dev.graft.GraftException} whose one-line message
 * names the file, the line (and column or value where it helps) and what to do about it.
 * Values here are immutable records; the classes are stateless entry points or immutable.
 */
package dev.graft.data;
