package dev.graft.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.GraftException;
import dev.graft.Parameter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextLoaderJsonTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void readsJsonLinesWithNumberAndBooleanLabels() throws IOException {
        Path file = write("data.jsonl", "{\"text\": \"good\", \"label\": 1}\n"
                + "\n"
                + "{\"label\": 0, \"text\": \"bad\", \"extra\": [1, 2]}\n"
                + "{\"text\": \"so-so\", \"label\": true}\n"
                + "{\"text\": \"half\", \"label\": 2.5}\n");

        TextDataset data = TextLoader.load(file);

        assertThat(data.examples()).containsExactly(new TextExample("good", "1"), new TextExample("bad", "0"),
                new TextExample("so-so", "true"), new TextExample("half", "2.5"));
    }

    @Test
    void ndjsonAndCustomFields() throws IOException {
        Path file = write("data.ndjson", "{\"body\": \"hi\", \"y\": \"a\"}\r\n{\"body\": \"yo\", \"y\": \"b\"}\r\n");

        TextDataset data = TextLoader.load(file, TextLoadOptions.defaults().withTextColumn("body")
                .withLabelColumn("y"));

        assertThat(data.texts()).containsExactly("hi", "yo");
    }

    @Test
    void jsonFileMayBeAnArrayOrLines() throws IOException {
        Path array = write("array.json", "[\n  {\"text\": \"a\", \"label\": \"x\"},\n  {\"text\": \"b\", \"label\": \"y\"}\n]\n");
        Path lines = write("lines.json", "{\"text\": \"a\", \"label\": \"x\"}\n{\"text\": \"b\", \"label\": \"y\"}\n");

        assertThat(TextLoader.load(array).examples()).containsExactly(new TextExample("a", "x"),
                new TextExample("b", "y"));
        assertThat(TextLoader.load(lines)).isEqualTo(TextLoader.load(array));
    }

    @Test
    void bomIsIgnored() throws IOException {
        Path file = write("data.jsonl", "\uFEFF{\"text\": \"a\", \"label\": \"x\"}\n");
        assertThat(TextLoader.load(file).examples()).containsExactly(new TextExample("a", "x"));
    }

    @Test
    void malformedLineReportsLineAndColumn() throws IOException {
        Path file = write("data.jsonl", "{\"text\": \"a\", \"label\": \"x\"}\n{\"text\": \"b\", \"label\": }\n");

        assertThatThrownBy(() -> TextLoader.load(file))
                .isInstanceOf(GraftException.class)
                .hasMessageStartingWith(file + " line 2, column ")
                .hasMessageContaining("malformed JSON")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void malformedArrayElementReportsItsLine() throws IOException {
        Path file = write("data.json", "[\n{\"text\": \"a\", \"label\": \"x\"},\n{\"text\": \"b\" \"label\": \"y\"}\n]");

        assertThatThrownBy(() -> TextLoader.load(file)).hasMessageStartingWith(file + " line 3");
    }

    @Test
    void unclosedArrayIsMalformedWithoutParserNoise() throws IOException {
        Path file = write("data.json", "[{\"text\": \"a\", \"label\": \"x\"}");

        assertThatThrownBy(() -> TextLoader.load(file))
                .hasMessageStartingWith(file + " line 1")
                .hasMessageContaining("expected close marker for Array")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Source"));
    }

    @Test
    void arrayInJsonLinesFileIsRefused() throws IOException {
        Path file = write("data.jsonl", "[{\"text\": \"a\", \"label\": \"x\"}]");

        assertThatThrownBy(() -> TextLoader.load(file)).hasMessageContaining("rename the file to .json");
    }

    @Test
    void missingTextFieldListsFields() throws IOException {
        Path file = write("data.jsonl", "{\"content\": \"a\", \"label\": \"x\"}\n");

        assertThatThrownBy(() -> TextLoader.load(file))
                .hasMessage("text column text is not a field in " + file + " line 1 (fields: content, label); use content")
                .satisfies(e -> assertThat(((GraftException) e).parameter()).isEqualTo(Parameter.TEXT_COLUMN));
    }

    @Test
    void missingLabelInLaterObjectReportsLine() throws IOException {
        Path file = write("data.jsonl", "{\"text\": \"a\", \"label\": \"x\"}\n{\"text\": \"b\"}\n");

        assertThatThrownBy(() -> TextLoader.load(file))
                .hasMessageStartingWith("label column label is not a field in " + file + " line 2 (fields: text)");
    }

    @Test
    void nullLabelReportsLine() throws IOException {
        Path file = write("data.jsonl", "{\"text\": \"a\", \"label\": \"x\"}\n{\"text\": \"b\", \"label\": null}\n");

        assertThatThrownBy(() -> TextLoader.load(file))
                .hasMessageStartingWith(file + " line 2: label in field 'label' is null");
    }

    @Test
    void blankLabelReportsLine() throws IOException {
        Path file = write("data.jsonl", "{\"text\": \"a\", \"label\": \" \"}\n");

        assertThatThrownBy(() -> TextLoader.load(file))
                .hasMessageStartingWith(file + " line 1: label in field 'label' is blank");
    }

    @Test
    void nonObjectLineIsRefused() throws IOException {
        Path file = write("data.jsonl", "{\"text\": \"a\", \"label\": \"x\"}\n\"just a string\"\n");

        assertThatThrownBy(() -> TextLoader.load(file))
                .hasMessageStartingWith(file + " line 2: expected a JSON object")
                .hasMessageContaining("found a string");
    }

    @Test
    void nullAndBlankTextsAreSkippedOrRefused() throws IOException {
        Path file = write("data.jsonl", "{\"text\": \"a\", \"label\": \"x\"}\n{\"text\": null, \"label\": \"x\"}\n"
                + "{\"text\": \"\", \"label\": \"y\"}\n");

        assertThat(TextLoader.load(file).blankSkipped()).isEqualTo(2);
        assertThatThrownBy(() -> TextLoader.load(file, TextLoadOptions.defaults().withStrict(true)))
                .hasMessageStartingWith(file + " line 2: text in field 'text' is null (strict mode)");
    }

    @Test
    void trailingGarbageOnALineIsMalformed() throws IOException {
        Path file = write("data.jsonl", "{\"text\": \"a\", \"label\": \"x\"} oops\n");

        assertThatThrownBy(() -> TextLoader.load(file)).hasMessageContaining("line 1").hasMessageContaining("malformed");
    }

    @Test
    void linesSplitAsTheLineBreakRegexDoes() {
        java.util.Random random = new java.util.Random(5);
        String alphabet = "ab\r\n {}\"";
        for (int round = 0; round < 2000; round++) {
            StringBuilder b = new StringBuilder();
            for (int i = random.nextInt(30); i > 0; i--) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = b.toString();
            assertThat(JsonTextReader.lines(text)).as("%s", text.replace("\r", "\\r").replace("\n", "\\n"))
                    .containsExactly(text.split("\r\n|\n|\r", -1));
        }
    }
}
