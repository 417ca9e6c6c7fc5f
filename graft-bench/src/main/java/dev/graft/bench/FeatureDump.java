package dev.graft.bench;

import dev.graft.FitListener;
import dev.graft.FitRequest;
import dev.graft.Graft;
import dev.graft.backbone.Backbone;
import dev.graft.backbone.Backbones;
import dev.graft.bundle.BundleClassifier;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import dev.graft.data.TextDataset;
import dev.graft.train.FeatureCache;
import dev.graft.train.FeatureExtractor;
import dev.graft.train.Progress;
import java.io.DataOutputStream;
import java.io.BufferedOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the frozen features {@code graft fit} trains its head on, so that a peer (scikit-learn's
 * {@code LogisticRegressionCV} in bench/head-selection.sh) learns from exactly the same numbers.
 * The features come through Graft's feature cache: after a {@code graft fit} on the same rows they
 * are read, not recomputed.
 *
 * <p>Usage: {@code FeatureDump BACKBONE DATA.jsonl OUT [BUNDLE]}; writes {@code OUT.f32} (rows ×
 * dimension little-endian float32) and {@code OUT.labels} (one label per line), and prints the
 * shape. With a bundle written by {@code graft fit} it also writes the bundle's head logits for the
 * rows ({@code OUT.logits}, rows × classes float32, before the temperature) and {@code OUT.head.json}
 * (its labels in logit order and its temperature).
 */
public final class FeatureDump {

    private FeatureDump() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3 && args.length != 4) {
            System.err.println("usage: FeatureDump BACKBONE DATA.jsonl OUT [BUNDLE]");
            System.exit(2);
        }
        Path data = Path.of(args[1]);
        Path out = Path.of(args[2]);
        FitRequest request = FitRequest.of(data, out).withBackbone(args[0], FitRequest.of(data, out).strategy(),
                FitRequest.DEFAULT_MAX_LENGTH);
        TextDataset rows = dev.graft.FitData.load(request, FitListener.NONE).all();
        float[][] x;
        try (Backbone backbone = Backbones.load(request.backbone(), request.maxLength());
                FeatureCache cache = FeatureCache.open(dev.graft.GraftCache.features(), backbone)) {
            x = new FeatureExtractor(backbone, cache, request.batchSize()).extract(rows.texts(), Progress.NONE);
        }
        writeFloats(Path.of(out + ".f32"), x);
        Files.write(Path.of(out + ".labels"), rows.examples().stream().map(dev.graft.data.TextExample::label).toList());
        System.out.printf("%s: %d rows × %d features%n", out, x.length, x[0].length);
        if (args.length == 4) {
            try (BundleClassifier classifier = BundleClassifier.load(Path.of(args[3]), dev.graft.GraftCache.features())) {
                writeFloats(Path.of(out + ".logits"), classifier.logits(rows.texts(), Progress.NONE));
                Files.writeString(Path.of(out + ".head.json"), new ObjectMapper().writeValueAsString(Map.of(
                        "labels", classifier.labels(), "temperature", classifier.manifest().head().temperature() == null ? 1.0
                                : classifier.manifest().head().temperature())));
            }
        }
    }

    private static void writeFloats(Path file, float[][] rows) throws java.io.IOException {
        ByteBuffer row = ByteBuffer.allocate(rows[0].length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try (DataOutputStream f32 = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            for (float[] v : rows) {
                row.clear();
                row.asFloatBuffer().put(v);
                f32.write(row.array());
            }
        }
    }
}
