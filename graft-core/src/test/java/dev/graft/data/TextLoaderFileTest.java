package dev.graft.data;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.GraftException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextLoaderFileTest {

    @TempDir
    Path dir;

    @Test
    void missingFile() {
        Path file = dir.resolve("nope.csv");
        assertThatThrownBy(() -> TextLoader.load(file))
                .isInstanceOf(GraftException.class)
                .hasMessage(file + ": no such file; check the path");
    }

    @Test
    void directory() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("data"));
        assertThatThrownBy(() -> TextLoader.load(sub))
                .isInstanceOf(GraftException.class)
                .hasMessageContaining(sub + " is a directory")
                .hasMessageContaining(".csv");
    }

    @Test
    void unknownExtensionListsSupportedOnes() throws IOException {
        Path file = Files.writeString(dir.resolve("data.xlsx"), "text,label\na,b\n");
        assertThatThrownBy(() -> TextLoader.load(file))
                .isInstanceOf(GraftException.class)
                .hasMessageContaining("'.xlsx'")
                .hasMessageContaining(".csv, .tsv, .tab, .jsonl, .ndjson, .json");
    }

    @Test
    void emptyFile() throws IOException {
        Path file = Files.write(dir.resolve("data.csv"), new byte[0]);
        assertThatThrownBy(() -> TextLoader.load(file)).hasMessageContaining(file + " is empty");
    }

    @Test
    void whitespaceOnlyFileIsEmpty() throws IOException {
        Path file = Files.writeString(dir.resolve("data.jsonl"), "\uFEFF\n  \n");
        assertThatThrownBy(() -> TextLoader.load(file)).hasMessageContaining("is empty");
    }

    @Test
    void invalidUtf8NamesLineAndOffsetAndSuggestsIconv() throws IOException {
        byte[] head = "text,label\nok,a\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'c', 'a', 'f', (byte) 0xE9, ',', 'b', '\n'};
        byte[] all = new byte[head.length + bad.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bad, 0, all, head.length, bad.length);
        Path file = Files.write(dir.resolve("latin1.csv"), all);

        assertThatThrownBy(() -> TextLoader.load(file))
                .isInstanceOf(GraftException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("not valid UTF-8")
                .hasMessageContaining("0xE9")
                .hasMessageContaining("byte offset " + (head.length + 3))
                .hasMessageContaining("iconv");
    }

    @Test
    void binaryFile() throws IOException {
        Path file = Files.write(dir.resolve("data.csv"), new byte[] {'t', 'e', 'x', 't', 0, 1, 2, 3});
        assertThatThrownBy(() -> TextLoader.load(file))
                .hasMessageContaining("binary")
                .hasMessageContaining("NUL byte at byte offset 4");
    }

    @Test
    void utf16File() throws IOException {
        Path file = Files.write(dir.resolve("data.csv"), "text,label\n".getBytes(StandardCharsets.UTF_16));
        assertThatThrownBy(() -> TextLoader.load(file)).hasMessageContaining("UTF-16").hasMessageContaining("iconv");
    }

    @Test
    void gzipFile() throws IOException {
        Path file = Files.write(dir.resolve("data.csv"), new byte[] {0x1F, (byte) 0x8B, 8, 0});
        assertThatThrownBy(() -> TextLoader.load(file)).hasMessageContaining("gzip");
    }
}
