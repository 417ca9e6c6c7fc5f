package dev.graft.bench;

import dev.graft.backbone.graph.GraphBackbone;
import dev.graft.backbone.vision.TfjsBackbones;
import dev.graft.image.Augmentation;
import dev.graft.image.DecodedImage;
import dev.graft.image.ImageEncoder;
import dev.graft.image.ImagePipeline;
import dev.graft.image.Normalisation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Frozen MobileNetV2 feature extraction, end to end ({@link GraphBackbone#extractFeatures}: image
 * pipeline and forward pass) on random 64×64 RGB images, at each size given.
 *
 * <p>Usage: {@code ImageThroughputBenchmark [images=256] [rounds=3] [batch=32] [sizes=96,224]};
 * needs {@code graft models fetch mobilenetv2}.
 */
public final class ImageThroughputBenchmark {

    private ImageThroughputBenchmark() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int[] sizes = Arrays.stream((args.length > 3 ? args[3] : "96,224").split(",")).mapToInt(Integer::parseInt).toArray();
        Random random = new Random(1);
        List<DecodedImage> images = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] pixels = new byte[64 * 64 * 3];
            random.nextBytes(pixels);
            images.add(new DecodedImage(64, 64, 3, pixels));
            names.add(Integer.toString(i));
        }
        System.out.printf("images %d (64×64 RGB), batches of %d, %d cores%n", n, batchSize,
                Runtime.getRuntime().availableProcessors());
        for (int size : sizes) {
            ImageEncoder encoder = new ImageEncoder(new ImagePipeline(size, Normalisation.UNIT),
                    ref -> images.get(Integer.parseInt(ref)), Augmentation.none());
            try (GraphBackbone net = TfjsBackbones.load(TfjsBackbones.MOBILENETV2, "mobilenetv2:" + size, encoder)) {
                net.extractFeatures(names.subList(0, batchSize));
                double[] rates = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i += batchSize) {
                        net.extractFeatures(names.subList(i, Math.min(n, i + batchSize)));
                    }
                    rates[r] = n / ((System.nanoTime() - t0) / 1e9);
                    System.out.printf("  round %d: %.1f images/s%n", r + 1, rates[r]);
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < n; i += batchSize) {
                    encoder.pixels(names.subList(i, Math.min(n, i + batchSize)));
                }
                double pipeline = n / ((System.nanoTime() - t1) / 1e9);
                Arrays.sort(rates);
                System.out.printf("%d px: median %.1f images/s (min %.1f, max %.1f); image pipeline alone %.0f images/s%n",
                        size, rates[rounds / 2], rates[0], rates[rounds - 1], pipeline);
            }
        }
    }
}
