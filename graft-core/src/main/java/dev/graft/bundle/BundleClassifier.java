package dev.graft.bundle;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.Classifier;
import dev.graft.GraftException;
import dev.graft.GraftVersion;
import dev.graft.ModelInfo;
import dev.graft.Precision;
import dev.graft.Prediction;
import dev.graft.backbone.Backbone;
import dev.graft.backbone.BackboneWeightsCheck;
import dev.graft.backbone.Backbones;
import dev.graft.backbone.TrainableBackbone;
import dev.graft.backbone.graph.GraphBackbone;
import dev.graft.backbone.graph.LayerGraph;
import dev.graft.backbone.text.BertBackbone;
import dev.graft.backbone.text.HfDirectory;
import dev.graft.backbone.vision.ImageBackbone;
import dev.graft.backbone.vision.SmallCnn;
import dev.graft.export.BertOnnx;
import dev.graft.export.ImageOnnx;
import dev.graft.image.ImagePipeline;
import dev.graft.io.AtomicFiles;
import dev.graft.io.Directories;
import dev.graft.io.Safetensors;
import dev.graft.io.Tensor;
import dev.graft.train.FeatureCache;
import dev.graft.train.FeatureExtractor;
import dev.graft.train.Progress;
import dev.graft.train.TrainedHead;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded bundle ready to classify texts (or images): the pretrained backbone it names, with any
 * fine-tuned weights or adapters it holds, plus its trained head. Close it when done (the backbone
 * holds native memory).
 */
public final class BundleClassifier implements Classifier {

    private final BundleManifest manifest;
    private final Bundle.Loaded bundle;
    private final Backbone backbone;
    private FeatureCache cache;
    private final Path cacheDir;

    private final Path path;
    private final Path temporary;

    private BundleClassifier(Path path, Bundle.Loaded bundle, Backbone backbone, Path cacheDir, Path temporary) {
        this.path = path;
        this.temporary = temporary;
        this.manifest = bundle.manifest();
        this.bundle = bundle;
        this.backbone = backbone;
        this.cacheDir = cacheDir;
        this.cache = openCache();
    }

    /**
     * Loads a bundle, with its backbone from the local model store.
     *
     * @param path a bundle directory or {@code .graft} file
     * @return the classifier, scoring without a feature cache; close it when done
     */
    public static BundleClassifier load(Path path) {
        return load(path, null, null);
    }

    /**
     * Loads a bundle, keeping extracted features in a cache directory.
     *
     * @param path a bundle directory or {@code .graft} file
     * @param cacheDir feature cache directory, or null to keep features in memory only
     * @return the classifier; close it when done
     */
    public static BundleClassifier load(Path path, Path cacheDir) {
        return load(path, cacheDir, null);
    }

    /**
     * Loads a bundle that lives in a temporary directory, deleted on close.
     *
     * @param path a bundle directory or {@code .graft} file
     * @param cacheDir feature cache directory, or null to keep features in memory only
     * @param temporary a directory to delete when the classifier closes (the temporary home of a
     *     bundle fitted in memory), or null
     * @return the classifier; close it when done
     */
    public static BundleClassifier load(Path path, Path cacheDir, Path temporary) {
        Bundle.Loaded loaded = Bundle.load(path);
        BundleManifest.BackboneRef ref = loaded.manifest().backbone();
        BackboneWeightsCheck.verify(ref.id(), ref.weightsSha256(), path);
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
                if (!(backbone instanceof TrainableBackbone trainable)) {
                    throw new GraftException(path + " holds fine-tuned weights, but backbone " + ref.id() + " cannot take them");
                }
                boolean adapted = loaded.backbone().keySet().stream().anyMatch(BundleClassifier::isAdapterWeight);
                if (adapted) {
                    if (loaded.manifest().plan().adapter() == null) {
                        throw new GraftException(path + " holds adapter weights but its plan names no adapter; the bundle is damaged");
                    }
                    trainable.attachAdapters(loaded.manifest().plan().adapter(), 0);
                }
                trainable.loadTuned(loaded.backbone(), loaded.manifest().weights().sha256());
            }
            backbone.usePrecision(Precision.ofKey(ref.preprocessing()));
            return new BundleClassifier(path, loaded, backbone, cacheDir, temporary);
        } catch (RuntimeException e) {
            backbone.close();
            throw e;
        }
    }

    private FeatureCache openCache() {
        return cacheDir == null ? FeatureCache.inMemory(backbone) : FeatureCache.open(cacheDir, backbone);
    }

    /**
     * Computes features in another precision from now on, e.g. int8 for speed on a model fitted in
     * fp32 (the head then reads features with quantisation noise it was not fitted on).
     *
     * @param precision the arithmetic of the frozen encoder's features
     * @throws GraftException if the backbone cannot compute features in that precision
     */
    public void usePrecision(Precision precision) {
        if (precision == backbone.precision()) {
            return;
        }
        backbone.usePrecision(precision);
        cache.close();
        cache = openCache();
    }

    /** {@return the arithmetic of the frozen encoder's features: the bundle's, unless {@link #usePrecision} changed it} */
    public Precision precision() {
        return backbone.precision();
    }

    /** {@return where the bundle was loaded from} */
    public Path path() {
        return path;
    }

    /** {@return the bundle's manifest} */
    public BundleManifest manifest() {
        return manifest;
    }

    /** {@return class labels, in output order} */
    public List<String> labels() {
        return manifest.labels();
    }

    /**
     * Scores inputs, reporting feature-extraction progress.
     *
     * @param texts inputs
     * @param progress progress of feature extraction
     * @return class probabilities per text, in {@link #labels()} order
     */
    public float[][] probabilities(List<String> texts, Progress progress) {
        float[][] features = new FeatureExtractor(backbone, cache, FeatureExtractor.DEFAULT_BATCH_SIZE).extract(texts, progress);
        return bundle.head().probabilities(features);
    }

    /**
     * Classifies without the feature cache, for a server: its inputs rarely repeat, and a cache
     * would grow with every request.
     *
     * @param texts inputs, scored in chunks of {@link FeatureExtractor#DEFAULT_BATCH_SIZE}
     * @return class probabilities per text, in {@link #labels()} order
     */
    public float[][] probabilitiesUncached(List<String> texts) {
        float[][] features = new float[texts.size()][];
        for (int start = 0; start < texts.size(); start += FeatureExtractor.DEFAULT_BATCH_SIZE) {
            List<String> chunk = texts.subList(start, Math.min(texts.size(), start + FeatureExtractor.DEFAULT_BATCH_SIZE));
            float[][] computed = backbone.extractFeatures(chunk);
            System.arraycopy(computed, 0, features, start, computed.length);
        }
        return bundle.head().probabilities(features);
    }

    /**
     * Computes the head's raw outputs for inputs, before temperature and softmax.
     *
     * @param texts inputs
     * @param progress progress of feature extraction
     * @return the head's outputs before softmax, per text, in {@link #labels()} order
     */
    public float[][] logits(List<String> texts, Progress progress) {
        float[][] features = new FeatureExtractor(backbone, cache, FeatureExtractor.DEFAULT_BATCH_SIZE).extract(texts, progress);
        return bundle.head().logits(features);
    }

    /**
     * Classifies inputs, keeping the {@code topK} most likely labels of each.
     *
     * @param texts inputs
     * @param topK labels to return per text, best first
     * @param progress progress of feature extraction
     * @return the top labels with probabilities, per text
     */
    public List<List<Prediction>> predict(List<String> texts, int topK, Progress progress) {
        return Prediction.top(probabilities(texts, progress), labels(), topK);
    }

    /** Scores without the feature cache: a library caller's inputs rarely repeat, and a cache would grow with every call. */
    @Override
    public float[][] probabilities(List<String> inputs) {
        return probabilitiesUncached(inputs);
    }

    /**
     * Writes the bundle to another place, e.g. to keep a temporary one.
     *
     * @param path the new bundle: a directory, or a file ending in {@code .graft}
     * @return {@code path}
     */
    public Path save(Path path) {
        Map<String, Bundle.Weights> weights = new LinkedHashMap<>();
        bundle.backbone().forEach((name, values) -> weights.put(name, new Bundle.Weights(shapeOf(name, values), values)));
        return Bundle.save(path, manifest, bundle.head(), weights);
    }

    private long[] shapeOf(String name, float[] values) {
        if (backbone instanceof TrainableBackbone trainable) {
            for (int g = 0; g < trainable.groupCount(); g++) {
                Parameter p = trainable.parameters(g).get(name);
                if (p != null) {
                    return p.getArray().getShape().getShape();
                }
            }
            Parameter adapter = trainable.adapterParameters().get(name);
            if (adapter != null) {
                return adapter.getArray().getShape().getShape();
            }
        }
        return new long[] {values.length};
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo("bundle", manifest.task(), manifest.backbone().id(),
                manifest.plan() == null ? null : manifest.plan().strategy(), manifest.labels(), manifest.metrics(),
                manifest.provenance() == null ? null : String.valueOf(manifest.provenance().get("graft_version")));
    }

    /**
     * Folds LoRA adapters into the backbone weights and writes a bundle without adapters, which
     * predicts the same (within float rounding) without the adapter overhead.
     *
     * @param out the new bundle: a directory or a {@code .graft} file
     * @return {@code out}
     */
    public Path saveMerged(Path out) {
        if (!(backbone instanceof TrainableBackbone trainable) || trainable.adapterParameters().isEmpty()) {
            throw new GraftException("this model has no adapters to merge; it can be deployed as it is");
        }
        Map<String, float[]> tensors = new LinkedHashMap<>();
        bundle.backbone().forEach((name, values) -> {
            if (!isAdapterWeight(name)) {
                tensors.put(name, values);
            }
        });
        tensors.putAll(trainable.mergeAdapters());
        Map<String, Bundle.Weights> weights = new LinkedHashMap<>();
        Map<String, Parameter> all = new HashMap<>();
        for (int g = 0; g < trainable.groupCount(); g++) {
            all.putAll(trainable.parameters(g));
        }
        all.putAll(trainable.adapterParameters());
        tensors.forEach((name, values) -> weights.put(name,
                new Bundle.Weights(all.get(name).getArray().getShape().getShape(), values)));
        Map<String, Object> provenance = new LinkedHashMap<>();
        if (manifest.provenance() != null) {
            provenance.putAll(manifest.provenance());
        }
        provenance.put("merged_from_weights_sha256", manifest.weights().sha256());
        provenance.put("merged_at", java.time.Instant.now().toString());
        BundleManifest merged = new BundleManifest(manifest.format(), manifest.formatVersion(), manifest.task(),
                manifest.backbone(), manifest.labels(), manifest.head(), manifest.plan(), manifest.parameters(), null,
                manifest.training(), manifest.metrics(), provenance);
        return Bundle.save(out, merged, bundle.head(), weights);
    }

    /**
     * Writes the model as a Hugging Face directory: the backbone (fine-tuned weights applied, LoRA
     * merged) as {@code transformers} and {@code sentence-transformers} load it, plus the head in
     * {@code graft_head.safetensors} and {@code graft_head.json} (labels, architecture, formula).
     *
     * @param dir a new or empty directory
     * @return {@code dir}
     */
    public Path exportHuggingFace(Path dir) {
        BertBackbone bert = mergedBert("the Hugging Face format");
        NewDirectory.write(dir, staging -> {
            HfDirectory.write(staging, bert, bert.tokenizerJson());
            writeHead(staging);
        });
        return dir;
    }

    /**
     * Writes the whole classifier — encoder with its fine-tuned weights (LoRA merged), pooling,
     * scaler and head — as one ONNX graph ({@code model.onnx}) that ONNX Runtime runs alone, with
     * {@code tokenizer.json} and {@code graft_onnx.json} (labels, maximum length, inputs, outputs).
     *
     * @param dir a new or empty directory
     * @return {@code dir}
     */
    public Path exportOnnx(Path dir) {
        return exportOnnx(dir, Precision.FP32);
    }

    /**
     * As {@link #exportOnnx(Path)}, in a chosen precision: {@link Precision#INT8} quantises
     * the encoder's linear layers and vocabulary to int8 (about a quarter of the float32 size) and
     * runs on ONNX Runtime's integer kernels.
     *
     * @param dir a new or empty directory
     * @param precision {@link Precision#FP32} or {@link Precision#INT8}
     * @return {@code dir}
     */
    public Path exportOnnx(Path dir, Precision precision) {
        if (backbone instanceof ImageBackbone image) {
            return exportImageOnnx(dir, image, precision);
        }
        BertBackbone bert = mergedBert("ONNX");
        byte[] model = BertOnnx.classifier(bert, bundle.head(), precision);
        NewDirectory.write(dir, staging -> {
            Files.write(staging.resolve(OnnxClassifier.MODEL), model);
            Files.write(staging.resolve("tokenizer.json"), bert.tokenizerJson());
            Files.write(staging.resolve(OnnxClassifier.META), onnxMeta(Map.of("max_length", manifest.backbone().maxLength()),
                    List.of("input_ids", "attention_mask"), BertOnnx.OPSET, precision));
        });
        return dir;
    }

    /**
     * An image classifier as one ONNX graph: {@code pixels} (batch, 3, size, size), resized and
     * normalised as {@code graft_onnx.json} says, in; logits, probabilities and the pooled
     * embedding out.
     */
    private Path exportImageOnnx(Path dir, ImageBackbone image, Precision precision) {
        if (precision != Precision.FP32) {
            throw new GraftException(dev.graft.Parameter.PRECISION, precision.id(),
                    "is for text classifiers: image classifiers export in fp32 only; int8 quantises the"
                    + " text encoder's linear layers");
        }
        ImagePipeline pipeline = image.encoder().pipeline();
        byte[] model;
        try (NDManager scope = NDManager.newBaseManager()) {
            LayerGraph network;
            if (image instanceof GraphBackbone graph) {
                if (!graph.adapterParameters().isEmpty()) {
                    graph.mergeAdapters();
                }
                network = graph.graph();
            } else if (image instanceof SmallCnn cnn) {
                network = cnn.asGraph(scope);
            } else {
                throw new GraftException("backbone " + backbone.id() + " cannot be exported to ONNX");
            }
            model = ImageOnnx.classifier(network, pipeline.size(), bundle.head(), backbone.id());
        }
        NewDirectory.write(dir, staging -> {
            Files.write(staging.resolve(OnnxClassifier.MODEL), model);
            Map<String, Object> about = new LinkedHashMap<>();
            about.put("input", "image");
            about.put("input_size", pipeline.size());
            about.put("normalisation", pipeline.normalisation().name());
            about.put("preprocessing", "decode to RGB, resize to input_size × input_size (bilinear, aligned corners),"
                    + " normalise each sample as 'normalisation' says (UNIT: v / 255; SIGNED: v / 127.5 - 1; IMAGENET:"
                    + " (v / 255 - mean) / std; PIXELS: v), channels first");
            Files.write(staging.resolve(OnnxClassifier.META), onnxMeta(about, List.of("pixels"), ImageOnnx.OPSET, precision));
        });
        return dir;
    }

    /** {@return an ONNX export's {@code graft_onnx.json}: the labels, what is particular to the input, then the rest} */
    private byte[] onnxMeta(Map<String, Object> input, List<String> inputs, int opset, Precision precision) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("labels", labels());
        json.putAll(input);
        json.put("inputs", inputs);
        json.put("outputs", List.of("logits", "probabilities", "embedding"));
        json.put("opset", opset);
        json.put("precision", precision.id());
        json.put("backbone", manifest.backbone().id());
        json.put("strategy", manifest.plan() == null ? null : manifest.plan().strategy());
        json.put("graft_version", GraftVersion.VALUE);
        return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
    }

    /** {@return whether a tuned weight belongs to an adapter: BERT's {@code x.lora_A}, a CNN's {@code x/lora_A}, a prefix} */
    private static boolean isAdapterWeight(String name) {
        return name.contains(".lora_") || name.contains("/lora_") || name.contains(".prefix.");
    }

    /** {@return the backbone as a BERT encoder with any LoRA adapters folded into its weights} */
    private BertBackbone mergedBert(String format) {
        if (!(backbone instanceof BertBackbone bert)) {
            throw new GraftException("backbone " + backbone.id() + " cannot be exported to " + format);
        }
        if (!bert.adapterParameters().isEmpty()) {
            bert.mergeAdapters();
        }
        return bert;
    }

    private void writeHead(Path dir) throws IOException {
        TrainedHead head = bundle.head();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, long[]> shapes = head.shapes();
        head.weights().forEach((name, values) -> tensors.put(name, Tensor.f32(shapes.get(name), values)));
        long[] dim = {head.scaler().dimension()};
        tensors.put("scaler.mean", Tensor.f32(dim, head.scaler().mean()));
        tensors.put("scaler.scale", Tensor.f32(dim, head.scaler().scale()));
        Safetensors.write(dir.resolve("graft_head.safetensors"), tensors, Map.of("format", "pt"));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("labels", labels());
        json.put("inputs", head.scaler().dimension());
        json.put("hidden", head.spec().hidden());
        json.put("features", "the sentence embedding of this directory's model (sentence-transformers modules.json)");
        json.put("formula", head.spec().hidden() > 0
                ? "probabilities = softmax(head.dense1.weight @ relu(head.dense0.weight @ ((x - scaler.mean) / scaler.scale) + head.dense0.bias) + head.dense1.bias)"
                : "probabilities = softmax(head.dense0.weight @ ((x - scaler.mean) / scaler.scale) + head.dense0.bias)");
        if (head.temperature() != 1) {
            json.put("formula", ((String) json.get("formula")).replace("softmax(", "softmax((") + " / temperature)");
            json.put("temperature", head.temperature());
        }
        json.put("weights_layout", "linear weights are [out, in], as in PyTorch");
        json.put("graft_version", GraftVersion.VALUE);
        json.put("backbone", manifest.backbone().id());
        json.put("strategy", manifest.plan() == null ? null : manifest.plan().strategy());
        AtomicFiles.write(dir.resolve("graft_head.json"),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
    }

    @Override
    public void close() {
        cache.close();
        backbone.close();
        if (temporary != null) {
            try {
                Directories.deleteRecursively(temporary);
            } catch (IOException e) {
                // a temporary directory left behind wastes space but loses nothing
            }
        }
    }
}
