package dev.graft.io;

/** Row-major float matrices as flat arrays. */
public final class Matrices {

    private Matrices() {}

    /**
     * Transposes a row-major matrix.
     *
     * @param m a rows × cols matrix, row-major
     * @param rows its rows
     * @param cols its columns
     * @return the cols × rows transpose, row-major
     */
    public static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = m[r * cols + c];
            }
        }
        return t;
    }
}
