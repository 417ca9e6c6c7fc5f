package dev.graft.bundle;

import dev.graft.GraftException;
import dev.graft.backbone.Backbone;
import dev.graft.backbone.Backbones;
import dev.graft.train.FeatureCache;
import dev.graft.train.FeatureExtractor;
import dev.graft.train.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A loaded bundle ready to classify texts: the pretrained backbone it names plus its trained head.
 * Close it when done (the backbone holds native memory).
 */
public final class TextClassifier implements AutoCloseable {

    /** One label with its probability. */
    public record Scored(String label, double probability) {}

    private final BundleManifest manifest;
    private final Bundle.Loaded bundle;
    private final Backbone backbone;
    private final FeatureCache cache;

    private TextClassifier(Bundle.Loaded bundle, Backbone backbone, FeatureCache cache) {
        this.manifest = bundle.manifest();
        this.bundle = bundle;
        this.backbone = backbone;
        this.cache = cache;
    }

    /**
     * @param path a bundle directory or {@code .graft} file
     * @param cacheDir feature cache directory, or null to keep features in memory only
     * @return the classifier; close it when done
     */
    public static TextClassifier load(Path path, Path cacheDir) {
        Bundle.Loaded loaded = Bundle.load(path);
        BundleManifest.BackboneRef ref = loaded.manifest().backbone();
        Backbone backbone = Backbones.load(ref.id(), ref.maxLength());
        try {
            if (!backbone.weightsSha256().equals(ref.weightsSha256())) {
                throw new GraftException(path + " was trained on backbone " + ref.id() + " with weights "
                        + ref.weightsSha256().substring(0, 12) + "…, but this Graft has " + backbone.weightsSha256().substring(0, 12)
                        + "…; use the Graft version that wrote it, or fit the model again");
            }
            if (backbone.featureSize() != loaded.manifest().head().inputs()) {
                throw new GraftException(path + ": head expects " + loaded.manifest().head().inputs()
                        + " features but backbone " + ref.id() + " gives " + backbone.featureSize());
            }
            if (!loaded.backbone().isEmpty()) {
                if (!(backbone instanceof dev.graft.backbone.TrainableBackbone trainable)) {
                    throw new GraftException(path + " holds fine-tuned weights, but backbone " + ref.id() + " cannot take them");
                }
                trainable.loadTuned(loaded.backbone(), loaded.manifest().weights().sha256());
            }
            FeatureCache cache = cacheDir == null ? FeatureCache.inMemory(backbone) : FeatureCache.open(cacheDir, backbone);
            return new TextClassifier(loaded, backbone, cache);
        } catch (RuntimeException e) {
            backbone.close();
            throw e;
        }
    }

    /** @return the bundle's manifest */
    public BundleManifest manifest() {
        return manifest;
    }

    /** @return class labels, in output order */
    public List<String> labels() {
        return manifest.labels();
    }

    /**
     * @param texts inputs
     * @param progress progress of feature extraction
     * @return class probabilities per text, in {@link #labels()} order
     */
    public float[][] probabilities(List<String> texts, Progress progress) {
        float[][] features = new FeatureExtractor(backbone, cache, FeatureExtractor.DEFAULT_BATCH_SIZE).extract(texts, progress);
        return bundle.head().probabilities(features);
    }

    /**
     * @param texts inputs
     * @param topK labels to return per text, best first
     * @param progress progress of feature extraction
     * @return the top labels with probabilities, per text
     */
    public List<List<Scored>> predict(List<String> texts, int topK, Progress progress) {
        if (topK < 1) {
            throw new GraftException("--top-k " + topK + " must be at least 1");
        }
        float[][] p = probabilities(texts, progress);
        List<List<Scored>> out = new ArrayList<>();
        for (float[] row : p) {
            List<Scored> scored = new ArrayList<>();
            for (int k = 0; k < row.length; k++) {
                scored.add(new Scored(labels().get(k), row[k]));
            }
            scored.sort(Comparator.comparingDouble(Scored::probability).reversed());
            out.add(List.copyOf(scored.subList(0, Math.min(topK, scored.size()))));
        }
        return out;
    }

    @Override
    public void close() {
        cache.close();
        backbone.close();
    }
}
