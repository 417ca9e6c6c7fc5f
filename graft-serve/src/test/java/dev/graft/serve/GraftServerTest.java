package dev.graft.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GraftServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> post(GraftServer server, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(GraftServer server, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static GraftServer start(ModelSlot slot, List<String> log) {
        return new GraftServer(ServeSettings.defaults().withPort(0).withLimits(8, 2048, 4, 1000, false), slot, log::add);
    }

    @Test
    void predictsWithLabelsProbabilitiesTopKAndTheModelVersion() throws Exception {
        FakeModels.Recorder fake = new FakeModels.Recorder();
        try (GraftServer server = start(new ModelSlot(fake.model("v1", 0.9)), new ArrayList<>())) {
            HttpResponse<String> r = post(server, "/v1/predict", "{\"inputs\": [\"" + "y".repeat(80) + "\", \"short\"], \"top_k\": 2}");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.get("model_version").asText()).isEqualTo("v1");
            JsonNode first = body.get("predictions").get(0);
            assertThat(first.get("label").asText()).isEqualTo("long");
            assertThat(first.get("probability").asDouble()).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(first.get("top_k").get(1).get("label").asText()).isEqualTo("short");
            assertThat(body.get("predictions").get(1).get("label").asText()).isEqualTo("short");

            JsonNode model = JSON.readTree(get(server, "/v1/model").body());
            assertThat(model.get("version").asText()).isEqualTo("v1");
            assertThat(model.get("labels")).isNull();
            assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(server, "/readyz");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"v1\"");

            String metrics = get(server, "/metrics").body();
            assertThat(metrics).contains("graft_requests_total{endpoint=\"/v1/predict\",status=\"200\"} 1",
                    "graft_batch_size_count 1", "graft_texts_scored_total 2", "graft_model_info{engine=\"fake\",strategy=\"test\",version=\"v1\"} 1",
                    "graft_request_seconds_bucket", "graft_queue_depth");
        }
    }

    @Test
    void badRequestsGetJsonErrorsWithoutStackTraces() throws Exception {
        FakeModels.Recorder fake = new FakeModels.Recorder();
        try (GraftServer server = start(new ModelSlot(fake.model("v1", 0.9)), new ArrayList<>())) {
            record Case(HttpResponse<String> response, int status, String code) {}
            List<Case> cases = List.of(
                    new Case(post(server, "/v1/predict", "{oops"), 400, "bad_json"),
                    new Case(post(server, "/v1/predict", "{\"inputs\": [1]}"), 400, "wrong_type"),
                    new Case(post(server, "/v1/predict", "{\"inputs\": \"a\", \"model\": \"x\"}"), 400, "unknown_field"),
                    new Case(post(server, "/v1/predict", "{\"inputs\": []}"), 400, "empty_input"),
                    new Case(post(server, "/v1/predict", "{\"inputs\": [\"a\",\"b\",\"c\",\"d\",\"e\"]}"), 413, "too_many_inputs"),
                    new Case(post(server, "/v1/predict", "{\"inputs\": \"" + "z".repeat(1001) + "\"}"), 413, "text_too_long"),
                    new Case(post(server, "/v1/predict", "{\"inputs\": \"" + "z".repeat(3000) + "\"}"), 413, "body_too_large"),
                    new Case(get(server, "/v1/predict"), 405, "method_not_allowed"),
                    new Case(get(server, "/v2/nothing"), 404, "not_found"));
            for (Case c : cases) {
                assertThat(c.response().statusCode()).as(c.code()).isEqualTo(c.status());
                JsonNode error = JSON.readTree(c.response().body()).get("error");
                assertThat(error.get("code").asText()).isEqualTo(c.code());
                assertThat(error.get("message").asText()).isNotBlank().doesNotContain("Exception", "\tat ");
            }
            assertThat(fake.batches).as("nothing reached the model").isEmpty();
        }
    }

    @Test
    void notReadyUntilAModelArrivesThenSwapsWithoutFailingRequests() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        FakeModels.Recorder first = new FakeModels.Recorder();
        FakeModels.Recorder second = new FakeModels.Recorder();
        try (GraftServer server = start(new ModelSlot(null), log)) {
            assertThat(get(server, "/readyz").statusCode()).isEqualTo(503);
            HttpResponse<String> early = post(server, "/v1/predict", "{\"inputs\": \"a\"}");
            assertThat(early.statusCode()).isEqualTo(503);
            assertThat(early.headers().firstValue("Retry-After")).contains("1");
            assertThat(get(server, "/v1/model").statusCode()).isEqualTo(503);

            server.swap(first.model("v1", 0.8), "first");
            assertThat(get(server, "/readyz").statusCode()).isEqualTo(200);
            first.gate = new CountDownLatch(1);
            CompletableFuture<HttpResponse<String>> during = CompletableFuture.supplyAsync(() -> {
                try {
                    return post(server, "/v1/predict", "{\"inputs\": \"in flight\"}");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(first.entered.await(10, TimeUnit.SECONDS)).isTrue();
            server.swap(second.model("v2", 0.9), "better");
            first.gate.countDown();
            assertThat(during.get(10, TimeUnit.SECONDS).body()).contains("\"model_version\":\"v1\"");
            assertThat(post(server, "/v1/predict", "{\"inputs\": \"after\"}").body()).contains("\"model_version\":\"v2\"");
            assertThat(first.closed).isTrue();
            assertThat(get(server, "/metrics").body()).contains("graft_model_swaps_total 1.0", "version=\"v2\"");
        }
        assertThat(second.closed).isTrue();
        assertThat(log).anyMatch(l -> l.contains("swapped model v1 → v2 (better)"));
    }

    @Test
    void shutdownDrainsRequestsInFlight() throws Exception {
        FakeModels.Recorder slow = new FakeModels.Recorder();
        slow.gate = new CountDownLatch(1);
        List<String> log = new CopyOnWriteArrayList<>();
        GraftServer server = start(new ModelSlot(slow.model("v1", 0.9)), log);
        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return post(server, "/v1/predict", "{\"inputs\": \"finish me\"}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(slow.entered.await(10, TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(server::close);
        closer.start();
        Thread.sleep(200);
        slow.gate.countDown();
        closer.join(15_000);
        assertThat(inFlight.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(slow.closed).isTrue();
        assertThat(log).anyMatch(l -> l.contains("every request was answered"));
    }

    @Test
    void aWorkerErrorTurnsReadinessOffUntilTheWorkerIsBack() throws Exception {
        FakeModels.Recorder fake = new FakeModels.Recorder().failing(1, new OutOfMemoryError("test: Java heap space"));
        HeldRestarts restarts = new HeldRestarts();
        List<String> log = new CopyOnWriteArrayList<>();
        try (GraftServer server = new GraftServer(ServeSettings.defaults().withPort(0), new ModelSlot(fake.model("v1", 0.9)),
                log::add, restarts)) {
            HttpResponse<String> killed = post(server, "/v1/predict", "{\"inputs\": \"a\"}");
            assertThat(killed.statusCode()).isEqualTo(500);
            JsonNode error = JSON.readTree(killed.body()).get("error");
            assertThat(error.get("code").asText()).isEqualTo("worker_failed");
            assertThat(error.get("message").asText()).contains("OutOfMemoryError").doesNotContain("\tat ");
            Runnable replacement = restarts.next();
            HttpResponse<String> down = get(server, "/readyz");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("worker_down");

            HeldRestarts.start(replacement);
            assertThat(post(server, "/v1/predict", "{\"inputs\": \"b\"}").statusCode()).isEqualTo(200);
            assertThat(get(server, "/readyz").statusCode()).isEqualTo(200);
            assertThat(get(server, "/metrics").body()).contains("graft_worker_deaths_total 1.0");
        }
        assertThat(log).anyMatch(l -> l.startsWith("the scoring worker died: java.lang.OutOfMemoryError") && l.contains("\tat "));
    }
}
