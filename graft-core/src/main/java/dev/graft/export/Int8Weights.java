package dev.graft.export;

/**
 * A matrix quantised to int8 per output column, symmetrically (zero point 0): column {@code j}
 * holds {@code round(w / scale[j])} with {@code scale[j] = max|w[·, j]| / limit}. ONNX Runtime's
 * integer kernels multiply these with activations quantised to uint8 on the fly.
 *
 * @param values the quantised matrix, [in, out] row-major, as ONNX's MatMul reads it
 * @param scales one scale per output column
 * @param in rows (input features)
 * @param out columns (output features)
 */
record Int8Weights(byte[] values, float[] scales, int in, int out) {

    /**
     * The largest quantised magnitude. 127 uses the whole int8 range; CPUs without VNNI multiply
     * uint8 by int8 in pairs summed into int16 ({@code vpmaddubsw}), which saturates unless the
     * weights keep to 7 bits, so 63 is used there (as ONNX Runtime's {@code reduce_range} does).
     *
     * @param vnni whether the CPU has VNNI integer dot products
     * @return 127 with VNNI, else 63
     */
    static int limit(boolean vnni) {
        return vnni ? 127 : 63;
    }

    /**
     * Quantises a linear layer's weight.
     *
     * @param weight the weight [out, in] row-major, as PyTorch stores it
     * @param out output features
     * @param in input features
     * @param limit the largest quantised magnitude, {@link #limit}
     * @return the transposed, quantised matrix with its column scales
     */
    static Int8Weights ofLinear(float[] weight, int out, int in, int limit) {
        byte[] q = new byte[in * out];
        float[] scales = new float[out];
        for (int j = 0; j < out; j++) {
            float max = 0;
            for (int k = 0; k < in; k++) {
                max = Math.max(max, Math.abs(weight[j * in + k]));
            }
            float scale = max > 0 ? max / limit : 1f;
            scales[j] = scale;
            for (int k = 0; k < in; k++) {
                int v = Math.round(weight[j * in + k] / scale);
                q[k * out + j] = (byte) Math.max(-limit, Math.min(limit, v));
            }
        }
        return new Int8Weights(q, scales, in, out);
    }

    /** {@return the matrix multiplied back to floats, [in, out] row-major} */
    float[] dequantised() {
        float[] w = new float[values.length];
        for (int k = 0; k < in; k++) {
            for (int j = 0; j < out; j++) {
                w[k * out + j] = values[k * out + j] * scales[j];
            }
        }
        return w;
    }
}
