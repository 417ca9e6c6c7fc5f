package dev.graft.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.GraftException;
import dev.graft.data.TextDataset;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {

    @TempDir
    Path dir;

    static Path png(Path file, int w, int h, int type) throws IOException {
        BufferedImage image = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, (x * 20) << 16 | (y * 30) << 8 | 77);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    @Test
    void decodesColourAndGreyPngs() throws IOException {
        DecodedImage rgb = ImageFiles.decode(png(dir.resolve("c.png"), 5, 4, BufferedImage.TYPE_INT_RGB));
        assertThat(rgb.channels()).isEqualTo(3);
        assertThat(rgb.sample(3, 2, 0)).isEqualTo(60);
        assertThat(rgb.sample(3, 2, 1)).isEqualTo(60);
        assertThat(rgb.sample(3, 2, 2)).isEqualTo(77);
        DecodedImage grey = ImageFiles.decode(png(dir.resolve("g.png"), 5, 4, BufferedImage.TYPE_BYTE_GRAY));
        assertThat(grey.channels()).isEqualTo(1);
        assertThat(grey.width()).isEqualTo(5);
    }

    @Test
    void unreadableImagesNameTheFileAndTheReason() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.png"));
        assertThatThrownBy(() -> ImageFiles.decode(empty)).isInstanceOf(GraftException.class)
                .hasMessageContaining("empty.png").hasMessageContaining("empty (0 bytes)");
        Path text = Files.writeString(dir.resolve("text.png"), "not an image at all");
        assertThatThrownBy(() -> ImageFiles.decode(text)).isInstanceOf(GraftException.class)
                .hasMessageContaining("text.png").hasMessageContaining("not an image Graft can decode");
        byte[] whole = Files.readAllBytes(png(dir.resolve("whole.png"), 40, 40, BufferedImage.TYPE_INT_RGB));
        Path cut = Files.write(dir.resolve("cut.png"), java.util.Arrays.copyOf(whole, whole.length / 3));
        assertThatThrownBy(() -> ImageFiles.decode(cut)).isInstanceOf(GraftException.class).hasMessageContaining("cut.png");
        assertThatThrownBy(() -> ImageFiles.decode(dir.resolve("absent.png"))).isInstanceOf(GraftException.class)
                .hasMessageContaining("no such image file");
    }

    static byte[] idx(int count, int rows, int cols) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0, 0, 8, 3});
        for (int v : new int[] {count, rows, cols}) {
            out.write(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        }
        for (int i = 0; i < count * rows * cols; i++) {
            out.write(i % 251);
        }
        return out.toByteArray();
    }

    @Test
    void readsIdxImagesPlainAndGzippedByReference() throws IOException {
        Path plain = Files.write(dir.resolve("images-idx3-ubyte"), idx(3, 2, 4));
        Path gz = dir.resolve("images-idx3-ubyte.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(idx(3, 2, 4));
        }
        ImageFiles reader = new ImageFiles();
        for (Path file : List.of(plain, gz)) {
            DecodedImage second = reader.read(file + "#1");
            assertThat(second.width()).isEqualTo(4);
            assertThat(second.height()).isEqualTo(2);
            assertThat(second.sample(0, 0, 2)).isEqualTo(8);
        }
        assertThatThrownBy(() -> reader.read(plain + "#3")).isInstanceOf(GraftException.class).hasMessageContaining("outside 0..2");
        byte[] whole = idx(3, 2, 4);
        Path cut = Files.write(dir.resolve("cut-idx3-ubyte"), java.util.Arrays.copyOf(whole, whole.length - 5));
        assertThatThrownBy(() -> reader.read(cut + "#0")).isInstanceOf(GraftException.class).hasMessageContaining("truncated");
        Path notIdx = Files.writeString(dir.resolve("x-idx3-ubyte"), "hello world, long enough");
        assertThatThrownBy(() -> reader.read(notIdx + "#0")).isInstanceOf(GraftException.class).hasMessageContaining("not an IDX file");
    }

    @Test
    void classPerFolderDatasetsAndTheReadabilityCheck() throws IOException {
        png(dir.resolve("data/cat/a.png"), 4, 4, BufferedImage.TYPE_INT_RGB);
        png(dir.resolve("data/cat/b.png"), 4, 4, BufferedImage.TYPE_INT_RGB);
        png(dir.resolve("data/dog/c.png"), 6, 3, BufferedImage.TYPE_INT_RGB);
        Files.createFile(dir.resolve("data/dog/zero.png"));
        Files.writeString(dir.resolve("data/dog/notes.txt"), "ignored");
        TextDataset data = ImageFolders.load(dir.resolve("data"));
        assertThat(data.examples().stream().map(e -> e.label()).toList()).containsExactly("cat", "cat", "dog", "dog");
        assertThat(data.texts().get(0)).endsWith("a.png").startsWith("/");
        List<String> warnings = new ArrayList<>();
        TextDataset readable = ImageCheck.readable(data, ImageFiles.SHARED, false, warnings::add);
        assertThat(readable.size()).isEqualTo(3);
        assertThat(warnings).anyMatch(w -> w.contains("zero.png") && w.contains("empty"));
        assertThat(warnings).anyMatch(w -> w.startsWith("1 unreadable image(s) skipped of 4"));
        assertThatThrownBy(() -> ImageCheck.readable(data, ImageFiles.SHARED, true, w -> {}))
                .isInstanceOf(GraftException.class).hasMessageContaining("zero.png").hasMessageContaining("strict mode off");
        Files.createDirectories(dir.resolve("flat"));
        png(dir.resolve("flat/x.png"), 2, 2, BufferedImage.TYPE_INT_RGB);
        assertThatThrownBy(() -> ImageFolders.load(dir.resolve("flat"))).isInstanceOf(GraftException.class)
                .hasMessageContaining("without label folders");
    }

    /**
     * A PNG whose header declares {@code w × h} grey pixels, followed by a few rows of zeros: a
     * decompression bomb's shape, a few hundred bytes on disk.
     */
    static byte[] pngDeclaring(int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(13).putInt(w).putInt(h).put(new byte[] {8, 0, 0, 0, 0});
        chunk(out, "IHDR", header.array());
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        try (OutputStream z = new java.util.zip.DeflaterOutputStream(rows)) {
            z.write(new byte[4 * (w + 1)]);
        }
        chunk(out, "IDAT", rows.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        byte[] typeBytes = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.write(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(typeBytes);
        out.write(data);
        out.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void anImageWhoseHeaderDeclaresTooManyPixelsIsRefusedBeforeDecoding() throws IOException {
        byte[] bomb = pngDeclaring(50_000, 50_000);
        assertThat(bomb.length).isLessThan(4096);
        Path file = Files.write(dir.resolve("bomb.png"), bomb);
        assertThatThrownBy(() -> ImageFiles.decode(file)).isInstanceOf(GraftException.class)
                .hasMessageContaining("bomb.png: image is 50000×50000 pixels, over the limit of 67108864 (8192×8192)");
        Path fine = Files.write(dir.resolve("fine.png"), pngDeclaring(6, 4));
        assertThat(ImageFiles.decode(fine).width()).isEqualTo(6);
    }
}
