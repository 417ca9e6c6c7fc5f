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
 * A TensorFlow.js reference of scripts/nsfwjs-reference.sh, and the network loaded from the
 * normal Graft cache (fetched there once with npm) over images named {@code img0, img1, ...}.
 */
final class NsfwjsFixture {

    final List<DecodedImage> images = new ArrayList<>();
    final JsonNode root;

    final TfjsBackbones.BuiltIn net;

    /** MobileNetV2's fixture. */
    NsfwjsFixture() throws IOException {
        this(TfjsBackbones.MOBILENETV2);
    }

    NsfwjsFixture(TfjsBackbones.BuiltIn net) throws IOException {
        this.net = net;
        try (InputStream in = NsfwjsFixture.class.getResourceAsStream(net.id() + "-reference.json")) {
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

    /** Fetches the network into the Graft cache unless it is there, and loads it at {@code size} px. */
    GraphBackbone load(int size) {
        ModelStore.fetch(net.id(), System.out::println);
        return TfjsBackbones.load(net, net.id() + ":" + size, encoder(size));
    }
}
