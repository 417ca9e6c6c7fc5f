package dev.graft;

import java.util.List;

/**
 * A trained classifier: a Graft bundle (text or image) or an ONNX export. Get one from
 * {@link Graft#load(java.nio.file.Path)} or from a builder's {@code fit}; close it when done (it
 * holds native memory). Inputs are texts, or image paths for an image classifier. Safe for use by
 * one thread at a time.
 */
public interface Classifier extends AutoCloseable {

    /** {@return the classes, in the order of {@link #probabilities(List)}'s columns} */
    List<String> labels();

    /** {@return what the model is: format, task, backbone, strategy, fitted metrics} */
    ModelInfo info();

    /**
     * Scores inputs: the probability of every class for each input.
     *
     * @param inputs texts (or image paths), any number
     * @return class probabilities per input, in {@link #labels()} order
     */
    float[][] probabilities(List<String> inputs);

    /**
     * Classifies one input.
     *
     * @param input one text (or image path)
     * @return its most likely label with its probability
     */
    default Prediction predict(String input) {
        return predict(List.of(input)).get(0);
    }

    /**
     * Classifies several inputs in one batch.
     *
     * @param inputs texts (or image paths)
     * @return the most likely label of each, with its probability
     */
    default List<Prediction> predict(List<String> inputs) {
        return top(inputs, 1).stream().map(best -> best.get(0)).toList();
    }

    /**
     * Ranks the classes of each input and keeps the {@code k} most likely.
     *
     * @param inputs texts (or image paths)
     * @param k labels to return per input
     * @return the {@code k} most likely labels of each input, best first
     * @throws GraftException if {@code k} is less than 1
     */
    default List<List<Prediction>> top(List<String> inputs, int k) {
        return Prediction.top(probabilities(inputs), labels(), k);
    }

    /** Releases the model's native memory. */
    @Override
    void close();
}
