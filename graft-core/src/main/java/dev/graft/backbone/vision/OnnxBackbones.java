package dev.graft.backbone.vision;

import ai.djl.ndarray.NDManager;
import dev.graft.GraftException;
import dev.graft.backbone.Engines;
import dev.graft.backbone.graph.GraphBackbone;
import dev.graft.backbone.graph.LayerGraph;
import dev.graft.backbone.onnx.OnnxImport;
import dev.graft.backbone.onnx.OnnxModel;
import dev.graft.image.Normalisation;
import dev.graft.io.Hashes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The user's ONNX convolutional network as a trainable image backbone, {@code onnx:FILE[#node]}:
 * the features are the named node's output (default: the last global average pool), averaged over
 * height and width. Images are normalised with ImageNet's mean and deviation unless
 * {@link ImportedPreprocessing#FILE} (or a Graft export's {@code graft_onnx.json}) beside the file
 * says otherwise.
 */
public final class OnnxBackbones {

    private OnnxBackbones() {}

    /**
     * @param id {@code onnx:FILE} or {@code onnx:FILE#node}
     * @return the backbone, frozen
     */
    public static GraphBackbone load(String id) {
        String spec = id.substring("onnx:".length());
        int hash = spec.lastIndexOf('#');
        Path file = Path.of(hash < 0 ? spec : spec.substring(0, hash)).toAbsolutePath().normalize();
        String node = hash < 0 ? null : spec.substring(hash + 1);
        if (!Files.isRegularFile(file)) {
            throw new GraftException("backbone '" + id + "': " + file + " is not a file; give onnx:FILE with the path of an"
                    + " .onnx file");
        }
        String sha;
        try {
            sha = Hashes.sha256Hex(file);
        } catch (IOException e) {
            throw new GraftException("cannot read " + file + ": " + e.getMessage(), e);
        }
        OnnxModel model = OnnxModel.read(file);
        OnnxModel.Value input = OnnxImport.imageInput(model, file.toString());
        if (input.dims()[1] != 3) {
            throw new GraftException("backbone '" + id + "': the network takes " + input.dims()[1] + " channels; Graft feeds"
                    + " RGB images (3 channels)");
        }
        long fixed = input.dims()[2] == input.dims()[3] ? input.dims()[2] : -1;
        ImportedPreprocessing preprocessing = ImportedPreprocessing.read(file.getParent(), fixed, Normalisation.IMAGENET, id);
        Engines.configureOffline();
        NDManager manager = NDManager.newBaseManager();
        try {
            LayerGraph graph = OnnxImport.build(model, node, manager, file.toString());
            String feature = graph.nodes().get(graph.nodes().size() - 1).name();
            return new GraphBackbone(id, manager, graph,
                    ImageBackbones.encoder(preprocessing.size(), preprocessing.normalisation()), sha,
                    "onnx:" + sha.substring(0, 16) + "#" + feature);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }
}
