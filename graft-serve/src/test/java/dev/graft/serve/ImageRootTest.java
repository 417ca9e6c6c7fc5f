package dev.graft.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image models read only inside the image root, and their refusals name only what the client sent. */
class ImageRootTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path work;
    static Path root;

    @BeforeAll
    static void files() throws Exception {
        root = Files.createDirectories(work.resolve("images"));
        Files.write(root.resolve("a.png"), new byte[] {1});
        Files.createDirectories(root.resolve("sub"));
        Files.write(root.resolve("sub/bad.png"), new byte[] {1});
        Files.write(root.resolve("digits-idx3-ubyte"), new byte[] {1});
        Files.write(work.resolve("secret.png"), new byte[] {1});
        Files.createSymbolicLink(root.resolve("escape.png"), work.resolve("secret.png"));
        Files.createSymbolicLink(root.resolve("inside.png"), root.resolve("a.png"));
    }

    private static HttpResponse<String> predict(GraftServer server, String... inputs) throws Exception {
        String body = JSON.writeValueAsString(Map.of("inputs", List.of(inputs)));
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/predict"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode error(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).get("error");
    }

    @Test
    void pathsOutsideTheRootAreRefusedWithoutSayingWhereTheRootIs() throws Exception {
        FakeModels.Recorder fake = new FakeModels.Recorder();
        ServeSettings settings = ServeSettings.defaults().withPort(0).withImageRoot(ImageRoot.at(root));
        try (GraftServer server = new GraftServer(settings, new ModelSlot(fake.imageModel("v1")), line -> {})) {
            List<String> outside = List.of("../secret.png", work.resolve("secret.png").toString(), "escape.png",
                    "sub/../../secret.png", "/etc/passwd", "../secret.png#3");
            for (String path : outside) {
                HttpResponse<String> r = predict(server, path);
                assertThat(r.statusCode()).as(path).isEqualTo(400);
                assertThat(error(r).get("code").asText()).as(path).isEqualTo("image_outside_root");
                assertThat(error(r).get("message").asText()).contains("'" + path + "'", "outside the image root")
                        .doesNotContain(root.toString(), "Exception");
            }
            HttpResponse<String> missing = predict(server, "missing.png");
            assertThat(missing.statusCode()).isEqualTo(400);
            assertThat(error(missing).get("message").asText()).isEqualTo("image 'missing.png' does not exist in the image root");
            assertThat(fake.batches).as("nothing outside the root reached the model").isEmpty();

            HttpResponse<String> corrupt = predict(server, "sub/bad.png");
            assertThat(corrupt.statusCode()).isEqualTo(400);
            assertThat(error(corrupt).get("code").asText()).isEqualTo("bad_input");
            assertThat(error(corrupt).get("message").asText()).isEqualTo("sub/bad.png: corrupt image (test)");

            assertThat(predict(server, "a.png", "inside.png", "./sub/../a.png").statusCode()).isEqualTo(200);
            String a = root.toRealPath().resolve("a.png").toString();
            assertThat(fake.scored).containsExactly(a, a, a);
        }
    }

    @Test
    void withoutARootEveryImageRequestIsRefusedAndTheMessageSaysHowToSetOne() throws Exception {
        FakeModels.Recorder fake = new FakeModels.Recorder();
        ServeSettings settings = ServeSettings.defaults().withPort(0)
                .withImageRoot(ImageRoot.none("start the server with --image-root DIR"));
        try (GraftServer server = new GraftServer(settings, new ModelSlot(fake.imageModel("v1")), line -> {})) {
            HttpResponse<String> r = predict(server, root.resolve("a.png").toString());
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(error(r).get("code").asText()).isEqualTo("no_image_root");
            assertThat(error(r).get("message").asText())
                    .isEqualTo("this server reads no image files: it has no image root; start the server with --image-root DIR");
            assertThat(fake.batches).isEmpty();
        }
    }

    @Test
    void anIdxReferenceKeepsItsIndexAndAnUnusableRootIsRefused() throws Exception {
        ImageRoot images = ImageRoot.at(root);
        assertThat(images.resolve(List.of("digits-idx3-ubyte#7")))
                .containsExactly(root.toRealPath().resolve("digits-idx3-ubyte") + "#7");
        assertThatThrownBy(() -> images.resolve(List.of("sub"))).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.getMessage()).isEqualTo("image 'sub' is not a file"));
        assertThatThrownBy(() -> ImageRoot.at(work.resolve("absent"))).isInstanceOf(dev.graft.GraftException.class)
                .hasMessageContaining("cannot be read");
        FakeModels.Recorder fake = new FakeModels.Recorder();
        try (GraftServer server = new GraftServer(ServeSettings.defaults().withPort(0), new ModelSlot(fake.model("v1", 0.9)),
                line -> {})) {
            assertThat(predict(server, "../not/an/image/path").statusCode()).as("text models ignore the image root").isEqualTo(200);
        }
    }
}
