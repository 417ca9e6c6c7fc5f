/**
 * Graft's Java API: fit a text or image classifier on a pretrained backbone, save it, load it and
 * predict with it.
 *
 * <h2>Fitting from examples in memory</h2>
 * {@link dev.graft.Graft#textClassifier()} and {@link dev.graft.Graft#imageClassifier()} return a
 * {@link dev.graft.ClassifierBuilder} with every option defaulted as {@code graft fit} defaults it
 * (MiniLM or MobileNetV2, strategy {@code auto}). Give it {@link dev.graft.Example}s and it returns
 * the fitted {@link dev.graft.Classifier}:
 *
 * <pre>{@code
 * try (Classifier spam = Graft.textClassifier().saveTo(Path.of("spam.graft")).fit(examples)) {
 *     Prediction p = spam.predict("WIN a FREE cruise, reply now");
 * }
 * }</pre>
 *
 * <h2>Loading and predicting</h2>
 * {@link dev.graft.Graft#load(java.nio.file.Path)} opens a saved bundle or ONNX export as a
 * {@link dev.graft.Classifier}: {@link dev.graft.Classifier#predict(String)},
 * {@link dev.graft.Classifier#top(java.util.List, int)} and
 * {@link dev.graft.Classifier#probabilities(java.util.List)} score inputs, and
 * {@link dev.graft.Classifier#info()} describes the model ({@link dev.graft.ModelInfo}). Close a
 * classifier to release its native memory.
 *
 * <h2>Fitting from files</h2>
 * A {@link dev.graft.FitRequest} says everything {@link dev.graft.Graft#fit(FitRequest, FitListener)}
 * needs: start from {@link dev.graft.FitRequest#of(java.nio.file.Path, java.nio.file.Path)} and use
 * the withers. {@link dev.graft.FitRequestJson} writes a request as JSON and reads it back (a
 * checkpoint stores its request, so a fine-tune resumes from the checkpoint directory alone).
 * {@link dev.graft.FitListener} hears progress and {@link dev.graft.FitResult} is what a fit
 * produced; {@link dev.graft.AutoFit} is strategy {@code auto}: feature extraction first, then
 * deeper fine-tuning only while it still improves and the wall-clock budget allows.
 *
 * <h2>Errors</h2>
 * {@link dev.graft.GraftException} marks a problem the caller can fix: bad input, a missing file, an
 * incompatible model; anything else thrown is a bug. When the problem is with one option, the
 * exception names it with a {@link dev.graft.Parameter} and keeps the value and the problem apart,
 * so that a front end can name the option its own way
 * ({@link dev.graft.GraftException#messageNaming}). {@link dev.graft.GraftCache} is where fetched
 * datasets, converted weights and cached features live.
 */
package dev.graft;
