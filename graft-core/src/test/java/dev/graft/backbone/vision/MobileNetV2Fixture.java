package dev.graft.backbone.vision;

import dev.graft.backbone.graph.GraphBackbone;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.GraftException;
import dev.graft.backbone.ModelStore;
import dev.graft.image.Augmentation;
import dev.graft.image.DecodedImage;
import dev.graft.image.ImageEncoder;
import dev.graft.image.ImagePipeline;
import dev.graft.image.Normalisation;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The TensorFlow.js reference of scripts/mobilenetv2-reference.sh, and MobileNetV2 loaded from
 * the normal Graft cache (fetched there once with npm) over images named {@code img0, img1, ...}.
 */
final class MobileNetV2Fixture {

    final List<DecodedImage> images = new ArrayList<>();
    final JsonNode root;

    MobileNetV2Fixture() throws IOException {
        try (InputStream in = MobileNetV2Fixture.class.getResourceAsStream("mobilenetv2-reference.json")) {
            root = new ObjectMapper().readTree(in);
        }
        for (JsonNode image : root.get("images")) {
            JsonNode p = image.get("pixels");
            byte[] pixels = new byte[p.size()];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (byte) p.get(i).asInt();
            }
            images.add(new DecodedImage(image.get("width").asInt(), image.get("height").asInt(), 3, pixels));
        }
    }

    /** @return the names the encoder reads, one per fixture image */
    List<String> names() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            out.add("img" + i);
        }
        return out;
    }

    float[][] reference(int size) {
        JsonNode f = root.get("features").get(Integer.toString(size));
        float[][] out = new float[f.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new float[f.get(i).size()];
            for (int d = 0; d < out[i].length; d++) {
                out[i][d] = (float) f.get(i).get(d).asDouble();
            }
        }
        return out;
    }

    ImageEncoder encoder(int size) {
        return new ImageEncoder(new ImagePipeline(size, Normalisation.UNIT), ref -> {
            if (!ref.startsWith("img")) {
                throw new GraftException("no fixture image " + ref);
            }
            return images.get(Integer.parseInt(ref.substring(3)));
        }, Augmentation.none());
    }

    /** Fetches mobilenetv2 into the Graft cache unless it is there, and loads it at {@code size} px. */
    GraphBackbone load(int size) {
        ModelStore.fetch(TfjsBackbones.MOBILENETV2.id(), System.out::println);
        return TfjsBackbones.load(TfjsBackbones.MOBILENETV2, TfjsBackbones.MOBILENETV2.id() + ":" + size, encoder(size));
    }
}
