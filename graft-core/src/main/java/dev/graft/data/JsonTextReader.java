package dev.graft.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.graft.GraftException;
import dev.graft.Parameter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads JSON Lines (one object per line) or, for {@code .json}, a top-level array of objects. */
final class JsonTextReader {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    /** Reads one element of an array: more elements follow, so no trailing-token check. */
    private static final ObjectReader ELEMENT_READER =
            MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final String source;
    private final TextLoadOptions options;
    private final boolean jsonExtension;
    private final RowCollector rows;
    private String textField;
    private String labelField;

    private JsonTextReader(String source, TextLoadOptions options, boolean jsonExtension) {
        this.source = source;
        this.options = options;
        this.jsonExtension = jsonExtension;
        this.rows = new RowCollector(source, options, "field");
    }

    /**
     * @param source the file, for messages
     * @param content the whole file, BOM removed
     * @param jsonExtension true for {@code .json} (an array is allowed), false for JSON Lines
     * @param options fields and strictness
     * @return the examples
     */
    static TextDataset read(String source, String content, boolean jsonExtension, TextLoadOptions options) {
        JsonTextReader reader = new JsonTextReader(source, options, jsonExtension);
        String start = content.stripLeading();
        if (start.startsWith("[")) {
            if (!jsonExtension) {
                long line = 1 + content.substring(0, content.length() - start.length()).chars()
                        .filter(c -> c == '\n').count();
                throw new GraftException(source + " line " + line + ": a JSON array, but JSON Lines needs one "
                        + "object per line; rename the file to .json to read it as an array");
            }
            reader.readArray(content);
        } else {
            reader.readLines(content);
        }
        return reader.rows.finish("no JSON objects; give one object per line, e.g. {\"" + options.textColumn()
                + "\": \"...\", \"" + options.labelColumn() + "\": \"...\"}");
    }

    /**
     * The lines of a text, split at CRLF, LF or CR, the last one kept even when empty (as
     * {@code split("\r\n|\n|\r", -1)}, which took a second on SpamAssassin's 45 MB).
     */
    static List<String> lines(String content) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (c == '\n' || c == '\r') {
                out.add(content.substring(start, i));
                if (c == '\r' && i + 1 < content.length() && content.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        out.add(content.substring(start));
        return out;
    }

    private void readLines(String content) {
        List<String> lines = lines(content);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            long lineNumber = i + 1;
            JsonNode node;
            try {
                node = MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                throw malformed(lineNumber, e, true);
            }
            take(node, lineNumber);
        }
    }

    private void readArray(String content) {
        try (JsonParser parser = MAPPER.createParser(content)) {
            parser.nextToken();
            while (true) {
                JsonToken token = parser.nextToken();
                if (token == JsonToken.END_ARRAY) {
                    break;
                }
                if (token == null) {
                    throw new GraftException(source + ": the JSON array is never closed; add the final ]");
                }
                long line = parser.currentTokenLocation().getLineNr();
                JsonNode node = ELEMENT_READER.readTree(parser);
                take(node, line);
            }
            JsonToken after = parser.nextToken();
            if (after != null) {
                throw new GraftException(source + " line " + parser.currentTokenLocation().getLineNr()
                        + ": content after the closing ] of the JSON array; remove it");
            }
        } catch (JsonProcessingException e) {
            throw malformed(-1, e, false);
        } catch (IOException e) {
            throw new GraftException(source + ": cannot read JSON (" + Messages.escape(e.getMessage()) + ")", e);
        }
    }

    private GraftException malformed(long line, JsonProcessingException e, boolean perLine) {
        JsonLocation location = e.getLocation();
        long lineNumber = perLine ? line : location == null ? -1 : location.getLineNr();
        String column = location != null && location.getColumnNr() > 0 ? ", column " + location.getColumnNr() : "";
        String reason = Messages.escape(firstLine(e.getOriginalMessage()), 160);
        String hint = perLine && jsonExtension
                ? "; a .json file must hold one object per line or a top-level array of objects"
                : "; fix or remove the line";
        String where = lineNumber > 0 ? " line " + lineNumber + column : "";
        return new GraftException(source + where + ": malformed JSON (" + reason + ")" + hint, e);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        int marker = line.indexOf(" (start marker at");
        return marker < 0 ? line : line.substring(0, marker);
    }

    private void take(JsonNode node, long line) {
        if (!node.isObject()) {
            throw new GraftException(rows.at(line) + "expected a JSON object like {\"" + options.textColumn()
                    + "\": ..., \"" + options.labelColumn() + "\": ...}, found " + typeName(node));
        }
        if (textField == null) {
            List<String> fields = new ArrayList<>();
            node.fieldNames().forEachRemaining(fields::add);
            String prefix = rows.place(line);
            textField = fields.get(Columns.find(prefix, fields, options.textColumn(), options.labelColumn(),
                    Columns.Role.TEXT, "field", (char) 0));
            labelField = fields.get(Columns.find(prefix, fields, options.labelColumn(), options.textColumn(),
                    Columns.Role.LABEL, "field", (char) 0));
            if (textField.equals(labelField)) {
                throw new GraftException(source + ": the text and label fields are both " + Messages.quote(textField)
                        + "; choose different text and label fields");
            }
        }
        JsonNode text = node.get(textField);
        JsonNode label = node.get(labelField);
        if (text == null) {
            throw missing(node, line, textField, Parameter.TEXT_COLUMN);
        }
        if (label == null) {
            throw missing(node, line, labelField, Parameter.LABEL_COLUMN);
        }
        if (text.isContainerNode()) {
            throw new GraftException(rows.at(line) + "text in field " + Messages.quote(textField) + " is "
                    + typeName(text) + "; it must be a string");
        }
        if (label.isNull()) {
            throw new GraftException(rows.at(line) + "label in field " + Messages.quote(labelField)
                    + " is null; give the object a label or remove the line");
        }
        if (label.isContainerNode()) {
            throw new GraftException(rows.at(line) + "label in field " + Messages.quote(labelField) + " is "
                    + typeName(label) + "; it must be a string, number or boolean");
        }
        rows.add(line, text.isNull() ? null : text.asText(), label.asText());
    }

    private GraftException missing(JsonNode node, long line, String field, Parameter parameter) {
        List<String> fields = new ArrayList<>();
        node.fieldNames().forEachRemaining(fields::add);
        return new GraftException(parameter, Messages.escape(field), "is not a field in "
                + rows.place(line) + " (fields: " + Messages.list(fields)
                + "); every object needs it");
    }

    private static String typeName(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
