package dev.graft.backbone;

import dev.graft.GraftException;
import dev.graft.backbone.vision.SmallCnn;
import dev.graft.io.Hashes;
import dev.graft.io.Safetensors;
import dev.graft.io.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks that a directory a bundle names as its backbone ({@code hf:DIR}, {@code cnn:DIR}) holds
 * the weights the bundle was trained on, before anything in it is built into a model: a manifest
 * edited to point elsewhere is refused with only a weights file hashed (and, for {@code cnn:DIR},
 * read by the bounds-checked safetensors reader). Built-in backbones need no check here.
 */
public final class BackboneWeightsCheck {

    private BackboneWeightsCheck() {}

    /**
     * Checks that the local backbone weights are those a bundle was trained with.
     *
     * @param id the backbone id from a bundle's manifest
     * @param expectedSha256 the backbone weights hash from the same manifest
     * @param bundle the bundle, for messages
     * @throws GraftException if the directory's weights are missing or differ
     */
    public static void verify(String id, String expectedSha256, Path bundle) {
        Path weights;
        if (id.startsWith("hf:")) {
            weights = Backbones.hfDirectory(id).resolve("model.safetensors");
        } else if (id.startsWith("cnn:")) {
            weights = Path.of(id.substring(4)).resolve("weights.safetensors");
        } else {
            return;
        }
        String advice = "; restore the directory the model was trained with, or fit the model again";
        if (!Files.isRegularFile(weights)) {
            throw new GraftException(bundle + " was trained on backbone " + id + ", but " + weights + " is missing" + advice);
        }
        String actual;
        try {
            actual = id.startsWith("hf:") ? Hashes.sha256Hex(weights) : smallCnnSha256(weights);
        } catch (IOException e) {
            throw new GraftException(bundle + ": cannot read the backbone weights " + weights + ": " + e.getMessage() + advice, e);
        }
        if (!expectedSha256.equals(actual)) {
            throw new GraftException(bundle + " was trained on backbone " + id + " with weights " + prefix(expectedSha256)
                    + "…, but " + weights + " holds " + (actual == null ? "other parameters" : prefix(actual) + "…") + advice);
        }
    }

    private static String smallCnnSha256(Path weights) throws IOException {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : Safetensors.read(weights).tensors().entrySet()) {
            if (e.getValue().dtype().equals("I64")) {
                return null;
            }
            values.put(e.getKey(), e.getValue().data());
        }
        return SmallCnn.weightsSha256Of(values);
    }

    private static String prefix(String sha256) {
        return sha256.substring(0, Math.min(12, sha256.length()));
    }
}
