package dev.graft.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads labelled texts from a file, choosing the format by extension.
 *
 * <ul>
 *   <li>{@code .csv} — comma-separated, {@code .tsv}/{@code .tab} — tab-separated: a header row, then
 *       one record per row; RFC 4180 double quotes (fields may hold separators, newlines and
 *       {@code ""}); columns are found by header name, exactly or else ignoring case and spaces.
 *   <li>{@code .jsonl}/{@code .ndjson} — one JSON object per line; {@code .json} — the same, or a
 *       top-level array of objects. Number and boolean labels become their string form
 *       ({@code 1}, {@code true}).
 * </ul>
 *
 * <p>Files must be UTF-8 (a byte order mark is ignored). Labels are stripped of surrounding
 * whitespace; texts are kept as they are. Blank lines between records are ignored. A row whose
 * text is blank is skipped and counted, or refused under {@link TextLoadOptions#strict()}. Any
 * other problem — missing or unreadable file, wrong encoding, missing column, ragged or malformed
 * record, missing label, no usable rows — is a {@link dev.graft.GraftException} naming the file
 * and line.
 */
public final class TextLoader {

    private TextLoader() {}

    /**
     * Reads labelled texts from a delimited or JSON Lines file.
     *
     * @param file a {@code .csv}, {@code .tsv}, {@code .tab}, {@code .jsonl}, {@code .ndjson} or
     *     {@code .json} file
     * @param options text and label column names, strictness
     * @return the examples in file order, with the number of blank texts skipped
     * @throws dev.graft.GraftException if the file cannot be used; the message says where and why
     */
    public static TextDataset load(Path file, TextLoadOptions options) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        if (java.nio.file.Files.isDirectory(file)) {
            return dev.graft.image.ImageFolders.load(file);
        }
        FileText.checkExists(file);
        TextFormat format = TextFormat.of(file);
        String content = FileText.read(file);
        String source = file.toString();
        return switch (format) {
            case CSV -> CsvTextReader.read(source, content, ',', options);
            case TSV -> CsvTextReader.read(source, content, '\t', options);
            case JSON_LINES -> JsonTextReader.read(source, content, false, options);
            case JSON -> JsonTextReader.read(source, content, true, options);
        };
    }

    /**
     * Reads a file with the default columns {@code text} and {@code label}, skipping blank texts.
     *
     * @param file the data file
     * @return the examples
     * @throws dev.graft.GraftException if the file cannot be used
     */
    public static TextDataset load(Path file) {
        return load(file, TextLoadOptions.defaults());
    }
}
