package dev.graft.datasets;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.GraftException;
import dev.graft.io.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The prepared form of an image dataset: a JSONL file of {@code {"image": "IDXFILE#INDEX",
 * "label": NAME}} rows beside the IDX file it points into, plus a manifest that marks the fetch
 * complete.
 */
final class ImageListing {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageListing() {}

    /**
     * @param jsonl the listing to write (atomically)
     * @param images the IDX images file, absolute
     * @param labels one class index per image
     * @param names class names by index
     */
    static void write(Path jsonl, Path images, byte[] labels, List<String> names) throws IOException {
        AtomicFiles.write(jsonl, out -> {
            OutputStream buffered = new BufferedOutputStream(out, 1 << 16);
            for (int i = 0; i < labels.length; i++) {
                int label = labels[i] & 0xff;
                if (label >= names.size()) {
                    throw new GraftException(images + ": label " + label + " of image " + i + " is not one of the "
                            + names.size() + " classes; fetch the dataset again");
                }
                Map<String, String> row = new LinkedHashMap<>();
                row.put("image", images + "#" + i);
                row.put("label", names.get(label));
                buffered.write(JSON.writeValueAsBytes(row));
                buffered.write('\n');
            }
            buffered.flush();
        });
    }

    /** Marks a fetch complete: written last, read by {@link #isComplete}. */
    static void markComplete(Path dir, String source, String sha256) throws IOException {
        AtomicFiles.write(dir.resolve("manifest.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(
                Map.of("source", source, "sha256", sha256)).clone());
    }

    /** {@return whether {@code dir} holds a complete fetch of {@code source} with every file in {@code files}} */
    static boolean isComplete(Path dir, String source, String sha256, List<String> files) {
        try {
            Path manifest = dir.resolve("manifest.json");
            if (!Files.isRegularFile(manifest)) {
                return false;
            }
            var tree = JSON.readTree(Files.readString(manifest, StandardCharsets.UTF_8));
            if (!source.equals(tree.path("source").asText()) || !sha256.equals(tree.path("sha256").asText())) {
                return false;
            }
            return files.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
