package dev.graft.backbone.graph;

/**
 * How a window (convolution or pooling) is padded: none, TensorFlow's {@code same} (total
 * padding split with the extra pixel at the end, computed from the input size), or explicit.
 *
 * @param same whether the padding is TensorFlow's {@code same}
 * @param top rows above (explicit padding)
 * @param bottom rows below
 * @param left columns left
 * @param right columns right
 */
public record Padding(boolean same, int top, int bottom, int left, int right) {

    /** No padding. */
    public static final Padding VALID = new Padding(false, 0, 0, 0, 0);
    /** TensorFlow's {@code same}: the output has {@code ceil(input / stride)} pixels. */
    public static final Padding SAME = new Padding(true, 0, 0, 0, 0);

    /**
     * @param top rows above
     * @param bottom rows below
     * @param left columns left
     * @param right columns right
     * @return explicit padding
     */
    public static Padding of(int top, int bottom, int left, int right) {
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw new IllegalArgumentException("negative padding");
        }
        return new Padding(false, top, bottom, left, right);
    }

    /**
     * The padding for one input size.
     *
     * @param height input rows
     * @param width input columns
     * @param kernel window size (rows, columns), after dilation
     * @param stride strides (rows, columns)
     * @return {top, bottom, left, right}
     */
    public int[] resolve(long height, long width, int[] kernel, int[] stride) {
        if (!same) {
            return new int[] {top, bottom, left, right};
        }
        int rows = total(height, kernel[0], stride[0]);
        int columns = total(width, kernel[1], stride[1]);
        return new int[] {rows / 2, rows - rows / 2, columns / 2, columns - columns / 2};
    }

    private static int total(long size, int kernel, int stride) {
        long out = (size + stride - 1) / stride;
        return (int) Math.max((out - 1) * stride + kernel - size, 0);
    }
}
