package dev.graft.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.GraftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FortunesTest {

    @TempDir
    Path dir;

    @Test
    void splitsAtLinesHoldingOnlyAPercentSign() {
        String file = "A penny saved\nis a penny earned.\n%\n  Two\tspaces  \n%  \n%\n100% sure\n%%\n%\n";
        assertThat(Fortunes.split(file)).containsExactly("A penny saved\nis a penny earned.\n", "  Two\tspaces  \n", "",
                "100% sure\n%%\n", "");
    }

    @Test
    void prepareNormalisesNumbersAndDropsEmptyAndRepeatedFortunes() {
        Map<String, String> categories = new LinkedHashMap<>();
        categories.put("art", "Art is long,\n   life is short.\n%\n\n%\nLess is more.\n%\n");
        categories.put("work", "Less   is\nmore.\n%\nWork expands.\n%\n");

        Fortunes.Prepared prepared = Fortunes.prepare(categories);

        assertThat(prepared.fortunes()).containsExactly(
                new Fortunes.Fortune("art", 1, "Art is long, life is short."),
                new Fortunes.Fortune("art", 2, "Less is more."),
                new Fortunes.Fortune("work", 2, "Work expands."));
        assertThat(prepared.empty()).isEqualTo(3);
        assertThat(prepared.duplicates()).isEqualTo(1);
        assertThat(Fortunes.row(prepared.fortunes().get(2)))
                .containsExactlyEntriesOf(rowOf("work-2", "Work expands.", "work"));
    }

    @Test
    void readsOnlyThePlainCategoryFiles() throws IOException {
        Files.writeString(dir.resolve("zippy"), "Yow!\n%\n");
        Files.writeString(dir.resolve("art"), "Art.\n%\n");
        Files.write(dir.resolve("art.dat"), new byte[] {0, 0, 0, 2, (byte) 0xff});
        Files.createSymbolicLink(dir.resolve("art.u8"), dir.resolve("art").getFileName());
        Files.createSymbolicLink(dir.resolve("alias"), dir.resolve("zippy").getFileName());
        Files.writeString(dir.resolve(".hidden"), "x");
        Files.createDirectory(dir.resolve("off"));

        Map<String, String> categories = Fortunes.readCategories(dir);

        assertThat(categories.keySet()).containsExactly("art", "zippy");
        assertThat(categories.get("zippy")).isEqualTo("Yow!\n%\n");
    }

    @Test
    void aCategoryFileThatIsNotUtf8OrAMissingDirectoryIsAnError() throws IOException {
        Files.write(dir.resolve("latin1"), new byte[] {'c', 'a', 'f', (byte) 0xe9, '\n'});
        assertThatThrownBy(() -> Fortunes.readCategories(dir))
                .isInstanceOf(GraftException.class)
                .hasMessageContaining("latin1 is not UTF-8 text");
        assertThatThrownBy(() -> Fortunes.readCategories(dir.resolve("missing")))
                .isInstanceOf(GraftException.class)
                .hasMessageContaining("has no usr/share/games/fortunes/");
    }

    @Test
    void secondFetchReusesTheCacheWithoutRunningAptGet() throws IOException {
        Fortunes.Prepared prepared = Fortunes.prepare(Map.of("tao", "The Tao is empty.\n%\n"));
        TextListing.Manifest manifest = Fortunes.write(Fortunes.jsonl(dir), prepared.fortunes());
        assertThat(manifest.sourcePackage()).isEqualTo("fortunes=1:1.99.1-7.3");
        assertThat(manifest.labels()).isEqualTo(Map.of("tao", 1));
        assertThat(Fortunes.isFetched(dir)).isTrue();

        List<String> log = new ArrayList<>();
        Path path = new Fortunes(List.of("/nonexistent/apt-get-must-not-run")).fetch(dir, log::add);

        assertThat(path).isEqualTo(dir.resolve("datasets/fortunes/fortunes.jsonl"));
        assertThat(log).singleElement().asString().contains("already fetched");
        JsonNode row = new ObjectMapper().readTree(Files.readAllLines(path).get(0));
        assertThat(row.get("id").asText()).isEqualTo("tao-1");
        assertThat(row.get("label").asText()).isEqualTo("tao");
    }

    @Test
    void aMissingAptGetIsReportedWithTheFix() throws IOException {
        assertThatThrownBy(() -> new Fortunes(List.of("/nonexistent/apt-get")).fetch(dir, s -> {}))
                .isInstanceOf(GraftException.class)
                .hasMessageContaining("could not run '/nonexistent/apt-get'")
                .hasMessageContaining("not installed or not on PATH")
                .hasMessageContaining("apt-get update");
        try (var leftovers = Files.list(dir.resolve("downloads"))) {
            assertThat(leftovers).isEmpty();
        }
    }

    @Test
    void aDownloadWithTheWrongChecksumIsDeletedAndReported() throws IOException {
        Path work = Files.createDirectory(dir.resolve("work"));
        Path fakeAptGet = fakeAptGet("echo 'W: Download is performed unsandboxed' >&2\n"
                + "printf '%s' 'not the package' > 'fortunes_1%3a1.99.1-7.3_all.deb'\n");
        assertThatThrownBy(() -> DebianPackage.downloadVerified(List.of("sh", fakeAptGet.toString()),
                Fortunes.PACKAGE, Fortunes.VERSION, Fortunes.DEB_SHA256, work))
                .isInstanceOf(GraftException.class)
                .hasMessageContaining("fortunes_1%3a1.99.1-7.3_all.deb has SHA-256 ")
                .hasMessageContaining("expected " + Fortunes.DEB_SHA256);
        try (var left = Files.list(work)) {
            assertThat(left).noneMatch(p -> p.toString().endsWith(".deb"));
        }

        Path right = Files.createDirectory(dir.resolve("right"));
        String sha = dev.graft.io.Hashes.sha256Hex("not the package".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(DebianPackage.downloadVerified(List.of("sh", fakeAptGet.toString()), "fortunes", "1", sha, right))
                .hasFileName("fortunes_1%3a1.99.1-7.3_all.deb");
    }

    @Test
    void aFailingAptGetReportsItsErrorLine() throws IOException {
        Path work = Files.createDirectory(dir.resolve("work"));
        Path fakeAptGet = fakeAptGet("echo \"E: Version '9' for 'fortunes' was not found\" >&2\n"
                + "echo 'N: some note' >&2\nexit 100\n");
        assertThatThrownBy(() -> DebianPackage.downloadVerified(List.of("sh", fakeAptGet.toString()),
                "fortunes", "9", Fortunes.DEB_SHA256, work))
                .isInstanceOf(GraftException.class)
                .hasMessageContaining("'sh " + fakeAptGet + " download fortunes=9' failed (exit 100):"
                        + " E: Version '9' for 'fortunes' was not found;")
                .hasMessageContaining("apt-cache policy fortunes");
        assertThat(DebianPackage.errorLine("")).isEqualTo("no message");
        assertThat(DebianPackage.errorLine("first\n\nlast\n")).isEqualTo("last");
    }

    private Path fakeAptGet(String body) throws IOException {
        Path script = dir.resolve("fake-apt-get.sh");
        Files.writeString(script, "#!/bin/sh\n" + body);
        return script;
    }

    private static Map<String, Object> rowOf(String id, String text, String label) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("text", text);
        row.put("label", label);
        return row;
    }
}
