package dev.graft.train;

import dev.graft.GraftException;
import dev.graft.Parameter;

/**
 * The classification head on top of the backbone's features.
 *
 * @param hidden width of the hidden layer, or 0 for a linear head (logistic regression)
 * @param dropout dropout rate before each linear layer after the first, in [0, 1)
 */
public record HeadSpec(int hidden, double dropout) {

    /**
     * Checks the hidden width (0 to 65536) and dropout (in [0, 1)).
     *
     * @param hidden width of the hidden layer, or 0 for a linear head (logistic regression)
     * @param dropout dropout rate before each linear layer after the first, in [0, 1)
     */
    public HeadSpec {
        if (hidden < 0 || hidden > 65536) {
            throw new GraftException("head hidden size " + hidden + " is out of range; use 0 (linear) to 65536");
        }
        if (dropout < 0 || dropout >= 1 || Double.isNaN(dropout)) {
            throw new GraftException("head dropout " + dropout + " is out of range; use 0 to 0.9");
        }
    }

    /** {@return a linear head} */
    public static HeadSpec linear() {
        return new HeadSpec(0, 0);
    }

    /**
     * Makes a head with one hidden ReLU layer.
     *
     * @param hidden hidden-layer width
     * @param dropout dropout after the hidden layer
     * @return a one-hidden-layer head (ReLU)
     */
    public static HeadSpec mlp(int hidden, double dropout) {
        return new HeadSpec(hidden, dropout);
    }

    /** {@return the default head: one hidden layer of 256 with dropout 0.2} */
    public static HeadSpec defaults() {
        return mlp(256, 0.2);
    }

    /**
     * Reads a head by its command-line name.
     *
     * @param text {@code auto}, {@code linear}, {@code mlp} or {@code mlp:HIDDEN}
     * @return the head ({@code auto}: the default MLP, which fine-tuning trains)
     */
    public static HeadSpec parse(String text) {
        if (text.equals("auto")) {
            return defaults();
        }
        if (text.equals("linear")) {
            return linear();
        }
        if (text.equals("mlp")) {
            return defaults();
        }
        if (text.startsWith("mlp:")) {
            try {
                return mlp(Integer.parseInt(text.substring(4)), defaults().dropout());
            } catch (NumberFormatException e) {
                throw new GraftException(Parameter.HEAD, text, "is not valid: the hidden size must be a number, e.g. mlp:256");
            }
        }
        throw new GraftException(Parameter.HEAD, text, "is not a head; use auto, linear, mlp or mlp:HIDDEN");
    }

    /** {@return {@code linear} or {@code mlp:HIDDEN}} */
    public String describe() {
        return hidden == 0 ? "linear" : "mlp:" + hidden;
    }
}
