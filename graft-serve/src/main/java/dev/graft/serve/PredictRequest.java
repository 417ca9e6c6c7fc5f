package dev.graft.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /v1/predict}: {@code {"inputs": "one text"}} or
 * {@code {"inputs": ["a", "b"], "top_k": 2}}. Parsing refuses anything else with an
 * {@link ApiError} that names the problem.
 *
 * @param texts the inputs, cut to the character limit when the settings allow it
 * @param truncated for each input, whether it was cut
 * @param topK labels to return per input, at least 1
 */
public record PredictRequest(List<String> texts, List<Boolean> truncated, int topK) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Set<String> FIELDS = Set.of("inputs", "top_k");

    /**
     * Parses and validates a predict request body.
     *
     * @param body the raw request body
     * @param settings limits on inputs and text length
     * @return the validated request
     * @throws ApiError 400 or 413 naming what is wrong
     */
    public static PredictRequest parse(byte[] body, ServeSettings settings) {
        if (body.length == 0) {
            throw bad("empty_body", "the request body is empty; send JSON such as {\"inputs\": [\"some text\"]}");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw bad("bad_json", "the body is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw bad("bad_json", "the body could not be read as JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw bad("bad_json", "the body must be a JSON object such as {\"inputs\": [\"some text\"]}");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw bad("unknown_field", "unknown field \"" + name + "\"; the fields are \"inputs\" and \"top_k\"");
            }
        }
        JsonNode inputs = root.get("inputs");
        if (inputs == null || inputs.isNull()) {
            throw bad("missing_inputs", "the field \"inputs\" is missing: give a text or an array of texts");
        }
        List<JsonNode> items = new ArrayList<>();
        if (inputs.isArray()) {
            inputs.forEach(items::add);
        } else {
            items.add(inputs);
        }
        if (items.isEmpty()) {
            throw bad("empty_input", "\"inputs\" is an empty array; give at least one text");
        }
        if (items.size() > settings.maxInputs()) {
            throw new ApiError(413, "too_many_inputs", items.size() + " inputs in one request; the limit is "
                    + settings.maxInputs() + " (split the request, or start the server with a larger maximum of inputs per request)");
        }
        List<String> texts = new ArrayList<>(items.size());
        List<Boolean> truncated = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String where = inputs.isArray() ? "inputs[" + i + "]" : "inputs";
            if (!item.isTextual()) {
                throw bad("wrong_type", where + " is " + describe(item) + "; each input must be a string");
            }
            String text = item.textValue();
            if (text.isBlank()) {
                throw bad("empty_input", where + " is blank; give text to classify");
            }
            boolean cut = text.length() > settings.maxChars();
            if (cut && !settings.truncateLong()) {
                throw new ApiError(413, "text_too_long", where + " has " + text.length() + " characters; the limit is "
                        + settings.maxChars() + " (shorten it, or start the server with a larger maximum of characters per input, or truncating long texts)");
            }
            texts.add(cut ? text.substring(0, settings.maxChars()) : text);
            truncated.add(cut);
        }
        int topK = 1;
        JsonNode k = root.get("top_k");
        if (k != null && !k.isNull()) {
            if (!k.canConvertToInt() || !k.isIntegralNumber() || k.intValue() < 1) {
                throw bad("wrong_type", "\"top_k\" is " + describe(k) + "; it must be a whole number of at least 1");
            }
            topK = k.intValue();
        }
        return new PredictRequest(List.copyOf(texts), List.copyOf(truncated), topK);
    }

    private static String describe(JsonNode node) {
        String type = node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        String value = node.toString();
        return type + " " + (value.length() > 40 ? value.substring(0, 40) + "…" : value);
    }

    private static ApiError bad(String code, String message) {
        return new ApiError(400, code, message);
    }
}
