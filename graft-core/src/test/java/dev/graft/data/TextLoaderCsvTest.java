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

class TextLoaderCsvTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void readsQuotedCommasEmbeddedNewlinesAndDoubledQuotes() throws IOException {
        Path file = write("data.csv", "id,text,label\n"
                + "1,\"Hello, world\",greet\n"
                + "2,\"line one\nline two\",multi\n"
                + "3,\"she said \"\"hi\"\"\",quote\n"
                + "4,plain,greet\n");

        TextDataset data = TextLoader.load(file, TextLoadOptions.defaults());

        assertThat(data.examples()).containsExactly(
                new TextExample("Hello, world", "greet"),
                new TextExample("line one\nline two", "multi"),
                new TextExample("she said \"hi\"", "quote"),
                new TextExample("plain", "greet"));
        assertThat(data.blankSkipped()).isZero();
    }

    @Test
    void readsTsvWithOtherColumnNames() throws IOException {
        Path file = write("data.tsv", "body\tcategory\nfirst, with comma\tham\n\"tab\tinside\"\tspam\n");

        TextDataset data = TextLoader.load(file, TextLoadOptions.defaults().withTextColumn("body")
                .withLabelColumn("category"));

        assertThat(data.texts()).containsExactly("first, with comma", "tab\tinside");
        assertThat(data.labels()).containsExactly("ham", "spam");
    }

    @Test
    void tabExtensionIsTsv() throws IOException {
        Path file = write("data.tab", "text\tlabel\na\tx\n");
        assertThat(TextLoader.load(file).examples()).containsExactly(new TextExample("a", "x"));
    }

    @Test
    void ignoresBomCrlfBlankLinesAndStripsLabels() throws IOException {
        Path file = write("data.csv", "\uFEFFtext,label\r\nfirst, spam \r\n\r\nsecond,ham\r\n\r\n");

        TextDataset data = TextLoader.load(file);

        assertThat(data.examples()).containsExactly(new TextExample("first", "spam"), new TextExample("second", "ham"));
    }

    @Test
    void matchesColumnNamesIgnoringCaseAndSpaces() throws IOException {
        Path file = write("data.csv", "Text , LABEL\nhello,a\n");
        assertThat(TextLoader.load(file).examples()).containsExactly(new TextExample("hello", "a"));
    }

    @Test
    void skipsBlankTextsAndCountsThem() throws IOException {
        Path file = write("data.csv", "text,label\nok,a\n,a\n\"   \",b\nfine,b\n");

        TextDataset data = TextLoader.load(file);

        assertThat(data.size()).isEqualTo(2);
        assertThat(data.blankSkipped()).isEqualTo(2);
    }

    @Test
    void strictRefusesFirstBlankTextWithItsLine() throws IOException {
        Path file = write("data.csv", "text,label\nok,a\n\"two\nlines\",a\n\"  \",b\n,b\n");

        assertThatThrownBy(() -> TextLoader.load(file, TextLoadOptions.defaults().withStrict(true)))
                .isInstanceOf(GraftException.class)
                .hasMessageContaining(file + " line 5:")
                .hasMessageContaining("'text'")
                .hasMessageContaining("blank");
    }

    @Test
    void missingTextColumnListsColumnsAndSuggestsFlag() throws IOException {
        Path file = write("data.csv", "id,body,category\n1,hello,a\n");

        assertThatThrownBy(() -> TextLoader.load(file))
                .isInstanceOf(GraftException.class)
                .hasMessage("text column text is not a column in " + file + " (columns: id, body, category); use body")
                .satisfies(e -> assertThat(((GraftException) e).messageNaming(p -> "--text-column"))
                        .isEqualTo("--text-column text is not a column in " + file + " (columns: id, body, category); use body"));
    }

    @Test
    void missingLabelColumnListsColumnsAndSuggestsFlag() throws IOException {
        Path file = write("data.csv", "text,kind\nhello,a\n");

        assertThatThrownBy(() -> TextLoader.load(file))
                .isInstanceOf(GraftException.class)
                .hasMessageStartingWith("label column label is not a column in")
                .hasMessageContaining("columns: text, kind")
                .satisfies(e -> assertThat(((GraftException) e).parameter()).isEqualTo(Parameter.LABEL_COLUMN));
    }

    @Test
    void semicolonSeparatedCsvGetsAHint() throws IOException {
        Path file = write("data.csv", "text;label\nhello;a\n");

        assertThatThrownBy(() -> TextLoader.load(file))
                .hasMessageStartingWith("text column text is not a column in")
                .hasMessageContaining("separated by ';'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("; use"));
    }

    @Test
    void sameColumnForTextAndLabelIsRefused() throws IOException {
        Path file = write("data.csv", "text,label\nhello,a\n");

        assertThatThrownBy(() -> TextLoader.load(file, TextLoadOptions.defaults().withLabelColumn("text")))
                .hasMessageContaining("both 'text'");
    }

    @Test
    void raggedRecordReportsItsLineCountingEmbeddedNewlines() throws IOException {
        Path file = write("data.csv", "text,label\n\"a\nb\",x\nfine,y\nhello, world,x\n");

        assertThatThrownBy(() -> TextLoader.load(file))
                .isInstanceOf(GraftException.class)
                .hasMessageStartingWith(file + " line 5: 3 fields but the header has 2")
                .hasMessageContaining("double quotes");
    }

    @Test
    void shortRecordReportsItsLine() throws IOException {
        Path file = write("data.tsv", "text\tlabel\nok\tx\nonly-text\n");

        assertThatThrownBy(() -> TextLoader.load(file))
                .hasMessageStartingWith(file + " line 3: 1 field but the header has 2");
    }

    @Test
    void unterminatedQuoteReportsTheLineWhereItOpens() throws IOException {
        Path file = write("data.csv", "text,label\nok,x\n\"never closed,x\nmore,y\nlast,y\n");

        assertThatThrownBy(() -> TextLoader.load(file))
                .isInstanceOf(GraftException.class)
                .hasMessageStartingWith(file + " line 3:")
                .hasMessageContaining("never closed");
    }

    @Test
    void textAfterClosingQuoteReportsTheLine() throws IOException {
        Path file = write("data.csv", "text,label\nok,x\n\"quoted\" then more,x\n");

        assertThatThrownBy(() -> TextLoader.load(file))
                .hasMessageStartingWith(file + " line 3:")
                .hasMessageContaining("\"\"");
    }

    @Test
    void blankLabelReportsItsLine() throws IOException {
        Path file = write("data.csv", "text,label\nok,x\nno label,  \n");

        assertThatThrownBy(() -> TextLoader.load(file))
                .hasMessageStartingWith(file + " line 3: label in column 'label' is blank");
    }

    @Test
    void headerOnlyFileHasNoRows() throws IOException {
        Path file = write("data.csv", "text,label\n");

        assertThatThrownBy(() -> TextLoader.load(file)).hasMessageContaining("no data rows");
    }

    @Test
    void allBlankTextsIsAnError() throws IOException {
        Path file = write("data.csv", "text,label\n,x\n ,y\n");

        assertThatThrownBy(() -> TextLoader.load(file))
                .hasMessageContaining("no usable rows")
                .hasMessageContaining("all 2 texts");
    }

    @Test
    void duplicateHeaderNameIsAnError() throws IOException {
        Path file = write("data.csv", "text,text,label\na,b,c\n");

        assertThatThrownBy(() -> TextLoader.load(file)).hasMessageContaining("appears 2 times");
    }

    @Test
    void messagesAreOneLine() throws IOException {
        Path file = write("data.csv", "text,label\n\"a\nb\",x,extra\n");

        assertThatThrownBy(() -> TextLoader.load(file))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
