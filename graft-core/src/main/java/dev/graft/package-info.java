/**
 * Graft's entry points. {@link dev.graft.Graft} fits a classifier to labelled data and writes a
 * bundle, or evaluates a saved one; {@link dev.graft.FitRequest} says what to fit (start from
 * {@code FitRequest.of} and use the withers), {@link dev.graft.FitListener} hears progress and
 * {@link dev.graft.FitResult} is what a fit produced. {@link dev.graft.AutoFit} is
 * {@code --strategy auto}: feature extraction first, then deeper fine-tuning only while it still
 * improves and the wall-clock budget allows.
 *
 * <p>{@link dev.graft.GraftException} marks a problem the user can fix (exit status 2 on the
 * command line); anything else thrown is a bug. {@link dev.graft.GraftCache} is where fetched
 * datasets, converted weights and cached features live.
 */
package dev.graft;
