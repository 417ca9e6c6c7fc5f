package dev.graft.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PredictRequestTest {

    private static final ServeSettings SETTINGS = ServeSettings.defaults().withLimits(16, 4096, 3, 10, true);

    private static PredictRequest parse(String body, ServeSettings settings) {
        return PredictRequest.parse(body.getBytes(StandardCharsets.UTF_8), settings);
    }

    private static void refused(String body, ServeSettings settings, int status, String code, String inMessage) {
        assertThatThrownBy(() -> parse(body, settings)).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).as(body).isEqualTo(status);
            assertThat(e.code()).as(body).isEqualTo(code);
            assertThat(e.getMessage()).as(body).contains(inMessage);
        });
    }

    @Test
    void oneTextOrManyWithTopK() {
        PredictRequest one = parse("{\"inputs\": \"free money\"}", SETTINGS);
        assertThat(one.texts()).containsExactly("free money");
        assertThat(one.topK()).isEqualTo(1);
        PredictRequest many = parse("{\"inputs\": [\"a b\", \"c\"], \"top_k\": 2}", SETTINGS);
        assertThat(many.texts()).containsExactly("a b", "c");
        assertThat(many.truncated()).containsExactly(false, false);
        assertThat(many.topK()).isEqualTo(2);
    }

    @Test
    void longTextsAreCutOrRefusedAsConfigured() {
        PredictRequest cut = parse("{\"inputs\": [\"0123456789abc\"]}", SETTINGS);
        assertThat(cut.texts()).containsExactly("0123456789");
        assertThat(cut.truncated()).containsExactly(true);
        refused("{\"inputs\": [\"ok\", \"0123456789abc\"]}", SETTINGS.withLimits(16, 4096, 3, 10, false), 413,
                "text_too_long", "inputs[1] has 13 characters; the limit is 10");
    }

    @Test
    void everyMalformedBodyNamesItsProblem() {
        refused("", SETTINGS, 400, "empty_body", "empty");
        refused("{\"inputs\": ", SETTINGS, 400, "bad_json", "not valid JSON");
        refused("[\"a\"]", SETTINGS, 400, "bad_json", "must be a JSON object");
        refused("\"a\"", SETTINGS, 400, "bad_json", "must be a JSON object");
        refused("{\"inputs\": \"a\", \"inputs\": \"b\"}", SETTINGS, 400, "bad_json", "Duplicate field");
        refused("{\"inputs\": \"a\", \"temperature\": 1}", SETTINGS, 400, "unknown_field", "\"temperature\"");
        refused("{\"top_k\": 1}", SETTINGS, 400, "missing_inputs", "\"inputs\" is missing");
        refused("{\"inputs\": null}", SETTINGS, 400, "missing_inputs", "\"inputs\" is missing");
        refused("{\"inputs\": []}", SETTINGS, 400, "empty_input", "empty array");
        refused("{\"inputs\": [\"a\", \"  \"]}", SETTINGS, 400, "empty_input", "inputs[1] is blank");
        refused("{\"inputs\": [\"a\", 7]}", SETTINGS, 400, "wrong_type", "inputs[1] is number 7");
        refused("{\"inputs\": {\"text\": \"a\"}}", SETTINGS, 400, "wrong_type", "inputs is object");
        refused("{\"inputs\": [\"a\", \"b\", \"c\", \"d\"]}", SETTINGS, 413, "too_many_inputs", "4 inputs");
        refused("{\"inputs\": \"a\", \"top_k\": 0}", SETTINGS, 400, "wrong_type", "top_k");
        refused("{\"inputs\": \"a\", \"top_k\": 1.5}", SETTINGS, 400, "wrong_type", "top_k");
        refused("{\"inputs\": \"a\", \"top_k\": \"2\"}", SETTINGS, 400, "wrong_type", "top_k");
    }
}
