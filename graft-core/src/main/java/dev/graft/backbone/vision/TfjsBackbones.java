package dev.graft.backbone.vision;

import ai.djl.ndarray.NDManager;
import dev.graft.GraftException;
import dev.graft.backbone.Engines;
import dev.graft.backbone.ModelStore;
import dev.graft.backbone.graph.GraphBackbone;
import dev.graft.backbone.graph.LayerGraph;
import dev.graft.image.ImageEncoder;
import dev.graft.image.Normalisation;
import dev.graft.io.Hashes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * TensorFlow.js layers models as image backbones: the built-in {@code mobilenetv2} and
 * {@code inceptionv3} (nsfwjs' networks, fetched by {@code graft models fetch}), and
 * {@code tfjs:DIR[#layer]}, the user's own model directory.
 */
public final class TfjsBackbones {


    /**
     * A built-in network.
     *
     * @param model where its weights come from
     * @param defaultSize its pretrained input size
     * @param minSize the smallest input it can run at
     * @param featureLayer the layer whose output, averaged over height and width, is the feature
     */
    public record BuiltIn(NsfwjsStore.Model model, int defaultSize, int minSize, String featureLayer) {

        /** {@return its id, e.g. {@code mobilenetv2}} */
        public String id() {
            return model.id();
        }
    }

    /** nsfwjs' MobileNetV2: 1280 features at {@code out_relu}, 224 px, inputs in [0, 1]. */
    public static final BuiltIn MOBILENETV2 = new BuiltIn(NsfwjsStore.MOBILENETV2, 224, 32, "out_relu");
    /** nsfwjs' InceptionV3: 2048 features at {@code mixed10}, 299 px, inputs in [0, 1]. */
    public static final BuiltIn INCEPTIONV3 = new BuiltIn(NsfwjsStore.INCEPTIONV3, 299, 75, "mixed10");

    private TfjsBackbones() {}

    /**
     * @param id a model id
     * @return the built-in network of that id, or null
     */
    public static BuiltIn builtIn(String id) {
        return id.equals(MOBILENETV2.id()) ? MOBILENETV2 : id.equals(INCEPTIONV3.id()) ? INCEPTIONV3 : null;
    }

    /**
     * Loads a built-in network, fetched beforehand.
     *
     * @param net which
     * @param id the backbone id ({@code mobilenetv2} or {@code mobilenetv2:N})
     * @param encoder reads and preprocesses images; its size must be from {@code minSize} to 512
     * @return the backbone, frozen
     */
    public static GraphBackbone load(BuiltIn net, String id, ImageEncoder encoder) {
        Path dir = ModelStore.dir(net.id());
        if (!ModelStore.isFetched(net.id())) {
            throw new GraftException("backbone '" + net.id() + "' is not fetched yet; run: graft models fetch " + net.id());
        }
        String sha = sha256(dir.resolve("weights.bin"), "; delete " + dir + " and run: graft models fetch " + net.id());
        return build(id, TfjsModel.read(dir), net.featureLayer(), encoder, sha, net.id() + "-nsfwjs-4.4.0");
    }

    /**
     * Loads the user's TensorFlow.js layers model.
     *
     * @param id {@code tfjs:DIR} or {@code tfjs:DIR#layer}
     * @return the backbone, frozen
     */
    public static GraphBackbone loadDirectory(String id) {
        String spec = id.substring("tfjs:".length());
        int hash = spec.lastIndexOf('#');
        Path dir = Path.of(hash < 0 ? spec : spec.substring(0, hash));
        String layer = hash < 0 ? null : spec.substring(hash + 1);
        if (!Files.isDirectory(dir)) {
            throw new GraftException("backbone '" + id + "': " + dir + " is not a directory; give tfjs:DIR with the"
                    + " directory holding model.json and its weight files");
        }
        TfjsModel model = TfjsModel.read(dir);
        int[] input = TfjsImport.inputShape(model);
        if (input[0] != 3) {
            throw new GraftException("backbone '" + id + "': the model takes " + input[0] + " channels; Graft feeds RGB"
                    + " images (3 channels)");
        }
        ImportedPreprocessing preprocessing = ImportedPreprocessing.read(dir, input[1], Normalisation.UNIT, id);
        String weightsSha = weightsHash(model);
        String chosen = layer == null ? TfjsImport.defaultFeatureLayer(model) : layer;
        return build(id, model, chosen, ImageBackbones.encoder(preprocessing.size(), preprocessing.normalisation()), weightsSha,
                "tfjs:" + weightsSha.substring(0, 16) + "#" + chosen);
    }

    /** The SHA-256 of the topology's weights as read (names and values), whatever files held them. */
    private static String weightsHash(TfjsModel model) {
        java.security.MessageDigest digest = Hashes.newSha256();
        model.weights().forEach((name, w) -> {
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            ByteBuffer buf = ByteBuffer.allocate(w.values().length * 4);
            buf.asFloatBuffer().put(w.values());
            digest.update(buf.array());
        });
        return HexFormat.of().formatHex(digest.digest());
    }

    private static GraphBackbone build(String id, TfjsModel model, String featureLayer, ImageEncoder encoder, String sha,
            String architectureKey) {
        Engines.configureOffline();
        NDManager manager = NDManager.newBaseManager();
        try {
            LayerGraph graph = TfjsImport.build(model, featureLayer, manager, id);
            return new GraphBackbone(id, manager, graph, encoder, sha, architectureKey);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static String sha256(Path file, String fix) {
        try {
            return Hashes.sha256Hex(file);
        } catch (IOException e) {
            throw new GraftException("cannot read " + file + ": " + e.getMessage() + fix, e);
        }
    }
}
