package dev.graft.data;

import dev.graft.GraftException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The file formats {@link TextLoader} reads, chosen by file extension. */
enum TextFormat {
    CSV(List.of(".csv")),
    TSV(List.of(".tsv", ".tab")),
    JSON_LINES(List.of(".jsonl", ".ndjson")),
    JSON(List.of(".json"));

    private final List<String> extensions;

    TextFormat(List<String> extensions) {
        this.extensions = extensions;
    }

    /** {@return the format for the file's extension (case-insensitive)} */
    static TextFormat of(Path file) {
        Path name = file.getFileName();
        String lower = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        for (TextFormat format : values()) {
            for (String ext : format.extensions) {
                if (lower.endsWith(ext)) {
                    return format;
                }
            }
        }
        int dot = lower.lastIndexOf('.');
        String ext = dot < 0 ? "no extension" : "extension '" + Messages.escape(lower.substring(dot)) + "'";
        throw new GraftException(file + ": unsupported file type (" + ext + "); supported: "
                + supported() + " — rename the file to match its content");
    }

    /** {@return ".csv, .tsv, .tab, .jsonl, .ndjson, .json"} */
    static String supported() {
        StringBuilder out = new StringBuilder();
        for (TextFormat format : values()) {
            for (String ext : format.extensions) {
                if (out.length() > 0) {
                    out.append(", ");
                }
                out.append(ext);
            }
        }
        return out.toString();
    }
}
