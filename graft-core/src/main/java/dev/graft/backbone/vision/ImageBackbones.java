package dev.graft.backbone.vision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.GraftException;
import dev.graft.backbone.Backbone;
import dev.graft.backbone.TrainableBackbone;
import dev.graft.image.Augmentation;
import dev.graft.image.ImageEncoder;
import dev.graft.image.ImageFiles;
import dev.graft.image.ImagePipeline;
import dev.graft.image.Normalisation;
import dev.graft.io.AtomicFiles;
import dev.graft.io.Safetensors;
import dev.graft.io.SafetensorsFile;
import dev.graft.io.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The image backbones: {@code mobilenetv2} (224 px) or {@code mobilenetv2:N} (N px),
 * {@code inceptionv3} (299 px) or {@code inceptionv3:N}, {@code tfjs:DIR[#layer]} (the user's
 * TensorFlow.js layers model), {@code onnx:FILE[#node]} (the user's ONNX network),
 * {@code smallcnn} (28 px, random initialisation) or {@code smallcnn:N}, and {@code cnn:DIR}, a
 * small CNN pretrained by {@code graft pretrain} ({@code DIR/backbone.json} and
 * {@code DIR/weights.safetensors}).
 */
public final class ImageBackbones {

    /** Ids as listed to users. */
    public static final List<String> IDS = List.of("mobilenetv2[:SIZE]", "inceptionv3[:SIZE]", "smallcnn[:SIZE]", "cnn:DIR",
            "tfjs:DIR[#LAYER]", "onnx:FILE[#NODE]");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageBackbones() {}

    /**
     * {@return whether the backbone's weights are a random initialisation, so that it learns from scratch}
     *
     * @param backbone a loaded backbone, text or image
     */
    public static boolean learnsFromScratch(Backbone backbone) {
        return backbone instanceof ImageBackbone image && !image.pretrained();
    }

    /**
     * {@return whether {@code id} names an image backbone}
     *
     * @param id a backbone id, e.g. {@code mobilenetv2:96}; null gives false
     */
    public static boolean isImage(String id) {
        return id != null && (TfjsBackbones.builtIn(base(id)) != null || base(id).equals(SmallCnn.ID) || imported(id)
                || id.startsWith("cnn:"));
    }

    private static boolean imported(String id) {
        return id.startsWith("tfjs:") || id.startsWith("onnx:");
    }

    private static String base(String id) {
        int colon = id.indexOf(':');
        return colon < 0 ? id : id.substring(0, colon);
    }

    /**
     * Loads an image backbone by id.
     *
     * @param id an image backbone id
     * @return the backbone, frozen, with no augmentation
     */
    public static TrainableBackbone load(String id) {
        if (id.startsWith("cnn:")) {
            return loadPretrained(id, Path.of(id.substring(4)));
        }
        if (id.startsWith("tfjs:")) {
            return TfjsBackbones.loadDirectory(id);
        }
        if (id.startsWith("onnx:")) {
            return OnnxBackbones.load(id);
        }
        String base = base(id);
        TfjsBackbones.BuiltIn net = TfjsBackbones.builtIn(base);
        int size = size(id, net == null ? SmallCnn.DEFAULT_SIZE : net.defaultSize());
        if (net == null) {
            return new SmallCnn(id, encoder(size, Normalisation.SIGNED), null);
        }
        return TfjsBackbones.load(net, id, encoder(size, Normalisation.UNIT));
    }

    /**
     * Checks an image backbone id without loading anything: the size after {@code :} is in range.
     *
     * @param id an id for which {@link #isImage} holds
     */
    public static void checkId(String id) {
        if (!id.startsWith("cnn:") && !imported(id)) {
            size(id, 0);
        }
    }

    /**
     * @param size pixels
     * @param normalisation how samples become floats
     * @return an encoder reading image files, without augmentation
     */
    public static ImageEncoder encoder(int size, Normalisation normalisation) {
        return new ImageEncoder(new ImagePipeline(size, normalisation), ImageFiles.SHARED, Augmentation.none());
    }

    private static int size(String id, int fallback) {
        int colon = id.indexOf(':');
        if (colon < 0) {
            return fallback;
        }
        try {
            int size = Integer.parseInt(id.substring(colon + 1));
            if (size >= minimum(id) && size <= 512) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new GraftException("backbone '" + id + "': the input size after ':' must be a whole number of pixels from "
                + minimum(id) + " to 512, e.g. " + base(id) + ":96");
    }

    private static int minimum(String id) {
        TfjsBackbones.BuiltIn net = TfjsBackbones.builtIn(base(id));
        return net == null ? 16 : net.minSize();
    }

    /**
     * Writes a small CNN's weights as a reusable backbone directory.
     *
     * @param cnn the trained network
     * @param dir the directory to create (must not exist yet)
     * @param source what it was trained on, for the record
     * @throws IOException if the directory or its files cannot be written
     */
    public static void save(SmallCnn cnn, Path dir, String source) throws IOException {
        if (Files.exists(dir)) {
            throw new GraftException(dir + " already exists; choose a new directory for the pretrained backbone");
        }
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "." + dir.getFileName() + ".");
        try {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("architecture", SmallCnn.ID);
            meta.put("input_size", cnn.encoder().pipeline().size());
            meta.put("normalisation", cnn.encoder().pipeline().normalisation().name());
            meta.put("trained_on", source);
            AtomicFiles.write(staging.resolve("backbone.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta));
            Safetensors.write(staging.resolve("weights.safetensors"), cnn.weights(), cnn.shapes(), Map.of("architecture", SmallCnn.ID));
            dev.graft.io.Directories.makeReadable(staging);
            Files.move(staging, dir);
        } finally {
            dev.graft.io.Directories.deleteRecursively(staging);
        }
    }

    private static TrainableBackbone loadPretrained(String id, Path dir) {
        try {
            JsonNode meta = JSON.readTree(Files.readString(dir.resolve("backbone.json")));
            if (!SmallCnn.ID.equals(meta.path("architecture").asText())) {
                throw new GraftException(dir + "/backbone.json: architecture '" + meta.path("architecture").asText()
                        + "' is not supported; expected " + SmallCnn.ID);
            }
            int size = meta.path("input_size").asInt(-1);
            if (size < 16 || size > 512) {
                throw new GraftException(dir + "/backbone.json: input_size " + size + " is out of range 16 to 512");
            }
            Normalisation normalisation;
            try {
                normalisation = Normalisation.valueOf(meta.path("normalisation").asText());
            } catch (IllegalArgumentException e) {
                throw new GraftException(dir + "/backbone.json: unknown normalisation '" + meta.path("normalisation").asText() + "'");
            }
            SafetensorsFile file = Safetensors.read(dir.resolve("weights.safetensors"));
            Map<String, float[]> weights = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : file.tensors().entrySet()) {
                weights.put(e.getKey(), e.getValue().data());
            }
            return new SmallCnn("cnn:" + dir.toAbsolutePath().normalize(), encoder(size, normalisation), weights);
        } catch (NoSuchFileException e) {
            throw new GraftException(dir + ": not a pretrained backbone directory (missing " + Path.of(e.getFile()).getFileName()
                    + "); make one with graft pretrain");
        } catch (IOException e) {
            throw new GraftException(dir + ": cannot read the pretrained backbone: " + e.getMessage());
        }
    }
}
