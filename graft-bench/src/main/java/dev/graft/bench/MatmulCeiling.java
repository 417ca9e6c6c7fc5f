package dev.graft.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.graft.backbone.Engines;
import java.util.Arrays;
import java.util.Locale;

/**
 * The machine's float32 matrix-multiply ceiling as Graft's engine (PyTorch through DJL) reaches it:
 * square products of 1024 and 2048 and MiniLM's feed-forward shape (4096×384 by 384×1536); the
 * ceiling is the best round of any shape (noise only ever slows a round down).
 *
 * <p>Usage: {@code MatmulCeiling [rounds=5]}; the last line is {@code RESULT {json}}.
 */
public final class MatmulCeiling {

    private MatmulCeiling() {}

    public static void main(String[] args) {
        Engines.configureOffline();
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        StringBuilder json = new StringBuilder("{\"suite\":\"ceiling\",\"cores\":" + Runtime.getRuntime().availableProcessors());
        double best = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int[] mkn : new int[][] {{1024, 1024, 1024}, {2048, 2048, 2048}, {4096, 384, 1536}}) {
                int m = mkn[0];
                int k = mkn[1];
                int n = mkn[2];
                String name = m == k && k == n ? Integer.toString(n) : m + "x" + k + "x" + n;
                NDArray a = manager.randomUniform(-1, 1, new Shape(m, k));
                NDArray b = manager.randomUniform(-1, 1, new Shape(k, n));
                a.matMul(b).close();
                double[] gflops = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    long t0 = System.nanoTime();
                    try (NDArray c = a.matMul(b)) {
                        c.getFloat(0, 0);
                    }
                    gflops[r] = 2.0 * m * k * n / ((System.nanoTime() - t0) / 1e9) / 1e9;
                }
                Arrays.sort(gflops);
                double median = gflops[rounds / 2];
                best = Math.max(best, gflops[rounds - 1]);
                System.out.printf(Locale.ROOT, "matmul %s: %.1f GFLOP/s (min %.1f, max %.1f)%n", name, median, gflops[0],
                        gflops[rounds - 1]);
                json.append(String.format(Locale.ROOT, ",\"matmul_%s\":{\"median\":%.2f,\"min\":%.2f,\"max\":%.2f}", name, median,
                        gflops[0], gflops[rounds - 1]));
            }
        }
        json.append(String.format(Locale.ROOT, ",\"gflops\":%.2f}", best));
        System.out.println("RESULT " + json);
    }
}
