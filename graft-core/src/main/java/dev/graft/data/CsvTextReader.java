package dev.graft.data;

import dev.graft.GraftException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** Reads CSV or TSV with a header row: RFC 4180 quoting, fields may span lines. */
final class CsvTextReader {

    private static final Pattern AT_LINE = Pattern.compile("at line: (\\d+), position: (\\d+)");

    private CsvTextReader() {}

    /**
     * @param source the file, for messages
     * @param content the whole file, BOM removed
     * @param delimiter ',' or '\t'
     * @param options columns and strictness
     * @return the examples
     */
    static TextDataset read(String source, String content, char delimiter, TextLoadOptions options) {
        CSVFormat format = CSVFormat.RFC4180.builder()
                .setDelimiter(delimiter)
                .setIgnoreEmptyLines(false)
                .get();
        RowCollector rows = new RowCollector(source, options, "column");
        try (CSVParser parser = CSVParser.parse(content, format)) {
            Iterator<CSVRecord> records = parser.iterator();
            List<String> header = null;
            int textIndex = -1;
            int labelIndex = -1;
            while (true) {
                long line = parser.getCurrentLineNumber() + 1;
                CSVRecord record = next(records, source, line, delimiter);
                if (record == null) {
                    break;
                }
                if (isBlankLine(record)) {
                    continue;
                }
                if (header == null) {
                    header = record.toList();
                    textIndex = Columns.find(source, header, options.textColumn(), options.labelColumn(),
                            Columns.Role.TEXT, "column", delimiter);
                    labelIndex = Columns.find(source, header, options.labelColumn(), options.textColumn(),
                            Columns.Role.LABEL, "column", delimiter);
                    if (textIndex == labelIndex) {
                        throw new GraftException(source + ": the text and label columns are both "
                                + Messages.quote(header.get(textIndex))
                                + "; choose different text and label columns");
                    }
                    continue;
                }
                if (record.size() != header.size()) {
                    throw ragged(source, line, record.size(), header, delimiter);
                }
                rows.add(line, record.get(textIndex), record.get(labelIndex));
            }
        } catch (IOException e) {
            throw new GraftException(source + ": cannot parse (" + Messages.escape(String.valueOf(e.getMessage()), 160)
                    + ")", e);
        }
        return rows.finish("no data rows after the header; add rows of text and label");
    }

    private static boolean isBlankLine(CSVRecord record) {
        return record.size() == 0 || (record.size() == 1 && record.get(0).isBlank());
    }

    private static CSVRecord next(Iterator<CSVRecord> records, String source, long line, char delimiter) {
        try {
            return records.hasNext() ? records.next() : null;
        } catch (UncheckedIOException | IllegalStateException e) {
            throw malformed(source, line, e, delimiter);
        }
    }

    private static GraftException malformed(String source, long line, RuntimeException e, char delimiter) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String message = String.valueOf(cause.getMessage());
        if (message.contains("EOF reached before encapsulated token finished")) {
            return new GraftException(source + " line " + line + ": a quoted field opened on this line is never "
                    + "closed; add the closing \", and write a quote inside a quoted field as \"\"", e);
        }
        Matcher at = AT_LINE.matcher(message);
        if (message.contains("Invalid character between encapsulated token and delimiter") && at.find()) {
            String sep = delimiter == '\t' ? "tab" : "comma";
            String errorLine = at.group(1);
            String record = errorLine.equals(String.valueOf(line)) ? "" : " (record starting at line " + line + ")";
            return new GraftException(source + " line " + errorLine + ": text after a closing quote" + record
                    + "; a quoted field must end with \" right before the " + sep
                    + " or line end — write a quote inside a quoted field as \"\"", e);
        }
        return new GraftException(source + " line " + line + ": malformed "
                + (delimiter == '\t' ? "TSV" : "CSV") + " (" + Messages.escape(message, 160)
                + "); check the quoting on this line", e);
    }

    private static GraftException ragged(String source, long line, int fields, List<String> header,
            char delimiter) {
        String sep = delimiter == '\t' ? "tab" : "comma";
        String hint = fields > header.size()
                ? "put a field that contains a " + sep + " in double quotes, e.g. \"a" + (delimiter == '\t' ? "\\t" : ",")
                        + " b\""
                : "add the missing fields, or check that a quoted field above is closed";
        return new GraftException(source + " line " + line + ": " + Messages.plural(fields, "field")
                + " but the header has " + header.size() + " (" + Messages.list(header) + "); " + hint);
    }
}
