package dev.graft.bundle;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.Classifier;
import dev.graft.GraftException;
import dev.graft.ModelInfo;
import dev.graft.backbone.onnx.OnnxRuntime;
import dev.graft.backbone.text.TextTokenizer;
import dev.graft.backbone.vision.ImageBackbones;
import dev.graft.image.ImageEncoder;
import dev.graft.image.Normalisation;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A classifier exported by {@code graft export --format onnx}, run by ONNX Runtime alone. */
public final class OnnxClassifier implements Classifier {

    /** The graph's file name in an export directory. */
    public static final String MODEL = "model.onnx";
    /** The metadata's file name in an export directory. */
    public static final String META = "graft_onnx.json";

    private final OrtSession session;
    private final TextTokenizer tokenizer;
    private final ImageEncoder images;
    private final List<String> labels;
    private final ModelInfo info;

    private OnnxClassifier(OrtSession session, TextTokenizer tokenizer, ImageEncoder images,
            ModelInfo info) {
        this.session = session;
        this.tokenizer = tokenizer;
        this.images = images;
        this.labels = info.labels();
        this.info = info;
    }

    /**
     * Loads an ONNX export, run by ONNX Runtime alone.
     *
     * @param dir a directory written by {@code graft export --format onnx}
     * @return the classifier; close it when done
     */
    public static OnnxClassifier load(Path dir) {
        if (!Files.isRegularFile(dir.resolve(MODEL)) || !Files.isRegularFile(dir.resolve(META))) {
            throw new GraftException(dir + " is not an ONNX export (model.onnx and graft_onnx.json); export the"
                    + " model to ONNX into an empty directory first");
        }
        try {
            JsonNode meta = new ObjectMapper().readTree(dir.resolve(META).toFile());
            List<String> labels = new ArrayList<>();
            meta.path("labels").forEach(l -> labels.add(l.asText()));
            boolean image = meta.path("input").asText("text").equals("image");
            TextTokenizer tokenizer = image ? null : TextTokenizer.of(Files.readAllBytes(dir.resolve("tokenizer.json")),
                    meta.path("max_length").asInt(128));
            ImageEncoder images = image ? imageEncoder(meta, dir) : null;
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
            OrtSession session = OnnxRuntime.session(dir.resolve(MODEL).toString(), options);
            String strategy = meta.path("strategy").isTextual() ? meta.path("strategy").asText() : null;
            return new OnnxClassifier(session, tokenizer, images, new ModelInfo("onnx",
                    image ? "image-classification" : "text-classification",
                    meta.path("backbone").asText(null), strategy, labels, Map.of(), meta.path("graft_version").asText(null)));
        } catch (IOException | OrtException e) {
            throw new GraftException("cannot load the ONNX export " + dir + ": " + e.getMessage(), e);
        }
    }

    private static ImageEncoder imageEncoder(JsonNode meta, Path dir) {
        int size = meta.path("input_size").asInt(-1);
        Normalisation normalisation;
        try {
            normalisation = Normalisation.valueOf(meta.path("normalisation").asText(""));
        } catch (IllegalArgumentException e) {
            throw new GraftException(dir.resolve(META) + ": unknown normalisation '" + meta.path("normalisation").asText()
                    + "'; export the model again");
        }
        if (size < 1 || size > 4096) {
            throw new GraftException(dir.resolve(META) + ": input_size " + size + " is out of range; export the model again");
        }
        return ImageBackbones.encoder(size, normalisation);
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    /** Texts per ONNX Runtime call; batches are formed from texts of similar length. */
    public static final int BATCH_SIZE = 32;

    @Override
    public float[][] probabilities(List<String> texts) {
        return batched(texts, "probabilities");
    }

    /**
     * Computes the model's raw outputs for texts, before the softmax.
     *
     * @param texts any number of texts
     * @return the logits per text
     */
    public float[][] logits(List<String> texts) {
        return batched(texts, "logits");
    }

    private float[][] batched(List<String> texts, String output) {
        if (images != null) {
            return imageBatches(texts, output);
        }
        Integer[] order = new Integer[texts.size()];
        int[] lengths = new int[texts.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            lengths[i] = tokenizer.length(texts.get(i));
        }
        Arrays.sort(order, Comparator.comparingInt(i -> lengths[i]));
        float[][] out = new float[texts.size()][];
        for (int start = 0; start < order.length; start += BATCH_SIZE) {
            List<String> batch = new ArrayList<>();
            int end = Math.min(order.length, start + BATCH_SIZE);
            for (int i = start; i < end; i++) {
                batch.add(texts.get(order[i]));
            }
            float[][] rows = run(batch, output);
            for (int i = start; i < end; i++) {
                out[order[i]] = rows[i - start];
            }
        }
        return out;
    }

    private float[][] imageBatches(List<String> references, String output) {
        float[][] out = new float[references.size()][];
        int size = images.pipeline().size();
        for (int start = 0; start < references.size(); start += BATCH_SIZE) {
            List<String> part = references.subList(start, Math.min(references.size(), start + BATCH_SIZE));
            float[] pixels = images.pixels(part);
            long[] shape = {part.size(), pixels.length / ((long) part.size() * size * size), size, size};
            try (ai.onnxruntime.OnnxTensor input = ai.onnxruntime.OnnxTensor.createTensor(ai.onnxruntime.OrtEnvironment.getEnvironment(),
                    FloatBuffer.wrap(pixels), shape);
                    OrtSession.Result result = session.run(Map.of("pixels", input), Set.of(output))) {
                float[][] rows = (float[][]) result.get(0).getValue();
                System.arraycopy(rows, 0, out, start, rows.length);
            } catch (OrtException e) {
                throw new GraftException("ONNX Runtime failed: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private float[][] run(List<String> texts, String output) {
        if (texts.isEmpty()) {
            return new float[0][];
        }
        try {
            return OnnxRuntime.run(session, tokenizer.encode(texts), output);
        } catch (OrtException e) {
            throw new GraftException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // closing releases native memory; nothing to recover
        }
        if (tokenizer != null) {
            tokenizer.close();
        }
    }
}
