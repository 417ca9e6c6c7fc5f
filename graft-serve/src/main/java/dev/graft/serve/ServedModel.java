package dev.graft.serve;

import dev.graft.GraftException;
import dev.graft.Parameter;
import dev.graft.bundle.BundleManifest;
import dev.graft.bundle.OnnxClassifier;
import dev.graft.bundle.BundleClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One loaded model as the server sees it: a version name, its labels, a scoring function and a
 * summary for {@code GET /v1/model}. Counted references let a swapped-out model finish the batch
 * it is scoring before its native memory is freed.
 */
public final class ServedModel {

    private final String version;
    private final List<String> labels;
    private final Function<List<String>, float[][]> scorer;
    private final AutoCloseable resources;
    private final Map<String, Object> summary;
    private final double validationMacroF1;
    private final boolean readsImages;
    private final AtomicInteger references = new AtomicInteger(1);

    ServedModel(String version, List<String> labels, Function<List<String>, float[][]> scorer, AutoCloseable resources,
            Map<String, Object> summary, double validationMacroF1) {
        this(version, labels, scorer, resources, summary, validationMacroF1, false);
    }

    ServedModel(String version, List<String> labels, Function<List<String>, float[][]> scorer, AutoCloseable resources,
            Map<String, Object> summary, double validationMacroF1, boolean readsImages) {
        this.readsImages = readsImages;
        this.version = version;
        this.labels = List.copyOf(labels);
        this.scorer = scorer;
        this.resources = resources;
        this.summary = summary;
        this.validationMacroF1 = validationMacroF1;
    }

    /**
     * Loads a bundle, or an ONNX export directory when {@code engine} is {@code onnx}.
     *
     * @param path a bundle ({@code .graft} file or directory) or, for onnx, an export directory
     * @param engine {@code djl} or {@code onnx}
     * @param version the name responses carry, e.g. {@code v1}
     * @return the model, holding one reference
     */
    public static ServedModel load(Path path, String engine, String version) {
        if (!Files.exists(path)) {
            throw new GraftException(path + " does not exist; give a bundle written by graft fit (or an ONNX export, served by the onnx engine)");
        }
        boolean onnx = engine.equals("onnx") || Files.exists(path.resolve(OnnxClassifier.MODEL));
        if (onnx) {
            OnnxClassifier model = OnnxClassifier.load(path);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("engine", "onnx");
            summary.put("path", path.toString());
            summary.put("labels", model.labels());
            return new ServedModel(version, model.labels(), model::probabilities, model, summary, Double.NaN);
        }
        if (!engine.equals("djl")) {
            throw new GraftException(Parameter.ENGINE, engine, "is not known; use djl or onnx");
        }
        BundleClassifier model = BundleClassifier.load(path, null);
        BundleManifest manifest = model.manifest();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("engine", "djl");
        summary.put("path", path.toString());
        summary.put("backbone", manifest.backbone().id());
        summary.put("precision", model.precision().id());
        summary.put("strategy", manifest.plan() == null ? "feature-extraction" : manifest.plan().strategy());
        summary.put("labels", manifest.labels());
        summary.put("parameters", manifest.parameters());
        if (manifest.metrics() != null) {
            summary.put("metrics", headlineMetrics(manifest.metrics()));
        }
        if (manifest.provenance() != null && manifest.provenance().get("created_at") != null) {
            summary.put("created_at", manifest.provenance().get("created_at"));
        }
        return new ServedModel(version, model.labels(), model::probabilitiesUncached, model, summary,
                validationMacroF1(manifest), "image-classification".equals(manifest.task()));
    }

    private static Map<String, Object> headlineMetrics(Map<String, Object> metrics) {
        Map<String, Object> out = new LinkedHashMap<>();
        metrics.forEach((split, value) -> {
            if (value instanceof Map<?, ?> m) {
                out.put(split, Map.of("accuracy", m.get("accuracy"), "macro_f1", m.get("macro_f1")));
            }
        });
        return out;
    }

    private static double validationMacroF1(BundleManifest manifest) {
        if (manifest.metrics() != null && manifest.metrics().get("validation") instanceof Map<?, ?> validation
                && validation.get("macro_f1") instanceof Number f1) {
            return f1.doubleValue();
        }
        return Double.NaN;
    }

    /** {@return the version name responses carry} */
    public String version() {
        return version;
    }

    /** {@return class labels in output order} */
    public List<String> labels() {
        return labels;
    }

    /** {@return the macro-F1 on the validation split stored with the bundle, or NaN} */
    public double validationMacroF1() {
        return validationMacroF1;
    }

    /** {@return true when the inputs are image references (files the server reads), false when they are texts} */
    public boolean readsImages() {
        return readsImages;
    }

    /** {@return what {@code GET /v1/model} shows} */
    public Map<String, Object> summary() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", version);
        out.putAll(summary);
        return out;
    }

    /**
     * @param texts inputs
     * @return class probabilities per text
     */
    float[][] score(List<String> texts) {
        return scorer.apply(texts);
    }

    /** {@return false when the model was already released for good (swapped out and idle)} */
    boolean retain() {
        while (true) {
            int n = references.get();
            if (n == 0) {
                return false;
            }
            if (references.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Drops one reference; the last one frees the model. */
    void release() {
        if (references.decrementAndGet() == 0) {
            try {
                resources.close();
            } catch (Exception e) {
                System.err.println("graft serve: closing model " + version + " failed: " + e.getMessage());
            }
        }
    }
}
