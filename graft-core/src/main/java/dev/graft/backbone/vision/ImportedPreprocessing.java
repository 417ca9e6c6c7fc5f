package dev.graft.backbone.vision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.GraftException;
import dev.graft.image.Normalisation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How images are fed to an imported network: the input size and the normalisation. Read from
 * {@value #FILE} beside the model ({@code {"input_size": N, "normalisation": "SIGNED"}}), or
 * from a Graft ONNX export's {@code graft_onnx.json}; otherwise the model's fixed input size (224
 * when it has none) and the given normalisation.
 *
 * @param size pixels per side
 * @param normalisation how samples become floats
 */
public record ImportedPreprocessing(int size, Normalisation normalisation) {

    /** The optional file beside an imported model. */
    public static final String FILE = "preprocessing.json";
    /** The input size when neither the model nor the file gives one. */
    public static final int DEFAULT_SIZE = 224;
    /** Largest input size accepted. */
    public static final int MAX_SIZE = 512;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param dir the model's directory
     * @param modelSize the model's fixed input size, or -1
     * @param fallback the normalisation when no file names one
     * @param id the backbone id, for messages
     * @return the preprocessing
     */
    public static ImportedPreprocessing read(Path dir, long modelSize, Normalisation fallback, String id) {
        int size = modelSize > 0 && modelSize <= MAX_SIZE ? (int) modelSize : DEFAULT_SIZE;
        Normalisation normalisation = fallback;
        for (String name : new String[] {FILE, "graft_onnx.json"}) {
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            try {
                JsonNode p = JSON.readTree(Files.readString(file));
                size = p.path("input_size").asInt(size);
                normalisation = Normalisation.valueOf(p.path("normalisation").asText(normalisation.name()));
            } catch (IOException | IllegalArgumentException e) {
                throw new GraftException(file + " is not {\"input_size\": N, \"normalisation\": \"UNIT|SIGNED|IMAGENET|PIXELS\"}: "
                        + e.getMessage());
            }
            break;
        }
        if (size < 16 || size > MAX_SIZE) {
            throw new GraftException("backbone '" + id + "': input size " + size + " is out of range 16 to " + MAX_SIZE
                    + "; set input_size in " + dir.resolve(FILE));
        }
        return new ImportedPreprocessing(size, normalisation);
    }
}
