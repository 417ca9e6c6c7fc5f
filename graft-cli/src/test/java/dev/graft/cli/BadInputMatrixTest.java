package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bad-input matrix of docs/errors.md: every case gives exit status 2, one line naming what is
 * wrong, where and how to fix it, and leaves no output behind. Each case id must appear in the
 * document, so the two cannot drift apart.
 */
class BadInputMatrixTest extends CacheIsolatedTest {

    static Path model;

    @BeforeAll
    static void fitAModel() throws IOException {
        Path data = GraftCommandTest.topicsIn(work, "topics.csv", 12, 5);
        model = work.resolve("good.graft");
        assertThat(run("fit", "--data", data.toString(), "--strategy", "feature-extraction", "--max-length", "32",
                "--out", model.toString()).status).isZero();
    }

    record Result(int status, String err) {}

    record Case(String id, String expected, Path mustNotExist, String... args) {}

    static Result run(String... args) {
        StringWriter err = new StringWriter();
        int status = GraftCommand.execute(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
        return new Result(status, err.toString());
    }

    static Path write(String name, byte[] bytes) throws IOException {
        Path file = work.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    static Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Rewrites the model's zip, passing each entry through {@code edit}; a null name drops the entry. */
    interface Edit {
        Object[] apply(String name, byte[] data);
    }

    static Path rezip(String name, Edit edit) throws IOException {
        Path out = work.resolve(name);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(model));
                ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                Object[] edited = edit.apply(entry.getName(), in.readAllBytes());
                zip.putNextEntry(new ZipEntry((String) edited[0]));
                zip.write((byte[]) edited[1]);
                zip.closeEntry();
            }
        }
        return out;
    }

    List<Case> cases() throws IOException {
        Path out = work.resolve("never.graft");
        String o = out.toString();
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("missing-file", "no such file", out, "fit", "--data", work.resolve("absent.csv").toString(), "--out", o));
        cases.add(new Case("empty-file", "is empty (0 bytes)", out, "fit", "--data", write("empty.csv", "").toString(), "--out", o));
        byte[] binary = new byte[2048];
        new java.util.Random(1).nextBytes(binary);
        binary[10] = 0;
        cases.add(new Case("binary-file", "looks binary", out, "fit", "--data", write("binary.csv", binary).toString(), "--out", o));
        byte[] latin = "text,label\ncaf\u00e9 au lait,a\nok,b\n".getBytes(StandardCharsets.ISO_8859_1);
        cases.add(new Case("wrong-encoding", "not valid UTF-8", out, "fit", "--data", write("latin.csv", latin).toString(), "--out", o));
        cases.add(new Case("ragged-csv", "3 fields but the header has 2", out, "fit", "--data",
                write("ragged.csv", "text,label\nhello,a\nworld,b,extra\n").toString(), "--out", o));
        cases.add(new Case("unclosed-quote", "line", out, "fit", "--data",
                write("quote.csv", "text,label\n\"never closed,a\nok,b\n").toString(), "--out", o));
        cases.add(new Case("missing-column", "--text-column text is not a column in", out, "fit", "--data",
                write("nocol.csv", "body,category\nx,a\ny,b\n").toString(), "--out", o));
        cases.add(new Case("blank-label", "label in column 'label' is blank", out, "fit", "--data",
                write("blanklabel.csv", "text,label\nhello,a\nworld,\n").toString(), "--out", o));
        cases.add(new Case("blank-text-strict", "is blank (strict mode)", out, "fit", "--strict", "--data",
                write("blanktext.csv", "text,label\n  ,a\nok,b\nfine,a\n").toString(), "--out", o));
        cases.add(new Case("one-class", "only one class", out, "fit", "--data",
                write("oneclass.csv", "text,label\nhello,a\nworld,a\n").toString(), "--out", o));
        cases.add(new Case("malformed-jsonl", "malformed JSON", out, "fit", "--data",
                write("broken.jsonl", "{\"text\": \"a\", \"label\": \"x\"}\n{\"text\": \"b\", \"label\": \n").toString(), "--out", o));
        cases.add(new Case("unseen-label", "is not one the model knows", null, "evaluate", "--model", model.toString(), "--data",
                write("unseen.csv", "text,label\nI am cooking rice,food\nit will snow,hail\n").toString()));
        cases.add(new Case("missing-bundle", "does not exist", null, "predict", "--model", work.resolve("absent.graft").toString(), "hi"));
        byte[] whole = Files.readAllBytes(model);
        cases.add(new Case("truncated-bundle", "damaged or incomplete", null, "predict", "--model",
                write("truncated.graft", java.util.Arrays.copyOf(whole, whole.length / 2)).toString(), "hi"));
        cases.add(new Case("tampered-bundle", "does not match the hash in graft.json", null, "predict", "--model",
                rezip("tampered.graft", (n, d) -> {
                    if (n.endsWith(".safetensors")) {
                        d[d.length - 3] ^= 0x55;
                    }
                    return new Object[] {n, d};
                }).toString(), "hi"));
        cases.add(new Case("zip-slip", "unexpected entry '../", null, "predict", "--model",
                rezip("slip.graft", (n, d) -> new Object[] {n.equals("graft.json") ? "../escaped/graft.json" : n, d}).toString(), "hi"));
        cases.add(new Case("other-backbone", "was trained on backbone", null, "predict", "--model",
                rezip("other.graft", (n, d) -> {
                    String text = new String(d, StandardCharsets.UTF_8);
                    return new Object[] {n, n.equals("graft.json")
                            ? text.replaceFirst("\"weights_sha256\"\\s*:\\s*\"[0-9a-f]+\"", "\"weights_sha256\":\"" + "0".repeat(64) + "\"")
                                    .getBytes(StandardCharsets.UTF_8) : d};
                }).toString(), "hi"));
        cases.add(new Case("bad-option-value", "--max-length", out, "fit", "--data", work.resolve("topics.csv").toString(),
                "--max-length", "4", "--out", o));
        cases.add(new Case("precision-bf16", "has no bfloat16 tensors", out, "fit", "--data", work.resolve("topics.csv").toString(),
                "--precision", "bf16", "--out", o));
        cases.add(new Case("precision-int8-fine-tune", "--precision int8 applies to frozen features", out, "fit", "--data",
                work.resolve("topics.csv").toString(), "--strategy", "partial:1", "--epochs", "1", "--max-length", "32",
                "--precision", "int8", "--out", o));
        Path zeroByte = ImageCommandsTest.stripes(work.resolve("zero-byte-images"), 2, 1);
        Files.write(zeroByte.resolve("vertical/0.png"), new byte[0]);
        cases.add(new Case("zero-byte-image", "image file is empty (0 bytes)", out, "fit", "--strict", "--data", zeroByte.toString(),
                "--backbone", "smallcnn:16", "--out", o));
        Path corrupt = ImageCommandsTest.stripes(work.resolve("corrupt-images"), 2, 1);
        Files.writeString(corrupt.resolve("horizontal/1.png"), "this is not a picture");
        cases.add(new Case("corrupt-image", "not an image Graft can decode", out, "fit", "--strict", "--data", corrupt.toString(),
                "--backbone", "smallcnn:16", "--out", o));
        Path none = Files.createDirectories(work.resolve("unreadable-images/a"));
        Files.createDirectories(work.resolve("unreadable-images/b"));
        Files.write(none.resolve("x.png"), new byte[0]);
        Files.writeString(work.resolve("unreadable-images/b/y.jpg"), "nope");
        cases.add(new Case("no-image-readable", "none of the 2 images could be read", out, "fit", "--data",
                work.resolve("unreadable-images").toString(), "--backbone", "smallcnn:16", "--out", o));
        Path flat = Files.createDirectories(work.resolve("flat-images"));
        Files.copy(ImageCommandsTest.stripes(work.resolve("flat-source"), 1, 1).resolve("vertical/0.png"), flat.resolve("0.png"));
        cases.add(new Case("no-label-folders", "is a directory without label folders", out, "fit", "--data", flat.toString(), "--backbone", "smallcnn:16",
                "--out", o));
        byte[] idx = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 16, 0, 0, 0, 16, 1, 2, 3};
        Path truncatedIdx = write("cut-idx3-ubyte", idx);
        cases.add(new Case("truncated-idx", "IDX file is truncated", out, "fit", "--strict", "--data",
                write("idx.jsonl", "{\"image\": \"" + truncatedIdx + "#0\", \"label\": \"a\"}\n{\"image\": \"" + truncatedIdx
                        + "#1\", \"label\": \"b\"}\n").toString(), "--backbone", "smallcnn:16", "--out", o));
        Path stripes = ImageCommandsTest.stripes(work.resolve("good-images"), 8, 1);
        cases.add(new Case("bad-image-size", "whole number of pixels from 16 to 512", out, "fit", "--data", stripes.toString(),
                "--backbone", "smallcnn:4", "--out", o));
        cases.add(new Case("cached-views-without-augment", "needs augmentation", out, "fit", "--data", stripes.toString(),
                "--backbone", "smallcnn:16", "--cached-views", "2", "--out", o));
        Path bombImages = ImageCommandsTest.stripes(work.resolve("bomb-images"), 2, 1);
        Files.write(bombImages.resolve("vertical/0.png"), HostileFiles.pngDeclaring(50_000, 50_000));
        cases.add(new Case("decompression-bomb-image", "image is 50000×50000 pixels, over the limit", out, "fit", "--strict", "--data",
                bombImages.toString(), "--backbone", "smallcnn:16", "--out", o));
        Path elsewhere = Files.createDirectories(work.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("model.safetensors"), "not the weights the model was trained on");
        cases.add(new Case("manifest-points-elsewhere", "was trained on backbone hf:" + elsewhere, null, "predict", "--model",
                rezip("elsewhere.graft", (n, d) -> new Object[] {n, n.equals("graft.json")
                        ? new String(d, StandardCharsets.UTF_8).replace("\"minilm\"", "\"hf:" + elsewhere + "\"")
                                .getBytes(StandardCharsets.UTF_8) : d}).toString(), "hi"));
        return cases;
    }

    @Test
    void everyBadInputGivesOneLineExitTwoAndNoOutput() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "errors.md"));
        List<Case> cases = cases();
        List<Result> results = new ArrayList<>();
        for (Case c : cases) {
            Result r = run(c.args());
            results.add(r);
            System.out.println("| `" + c.id() + "` | " + r.status() + " | " + r.err().strip().replace(work.toString(), "…") + " |");
        }
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Result r = results.get(i);
            List<String> lines = r.err().strip().lines().filter(l -> !l.isBlank()).toList();
            assertThat(r.status()).as(c.id() + ": " + r.err()).isEqualTo(2);
            assertThat(lines).as(c.id() + " prints one line").hasSize(1);
            assertThat(lines.get(0)).as(c.id()).startsWith("graft: ").contains(c.expected()).doesNotContain("Exception", "\tat ");
            if (c.mustNotExist() != null) {
                assertThat(c.mustNotExist()).as(c.id() + " leaves no output").doesNotExist();
            }
            assertThat(doc).as("docs/errors.md has a row for " + c.id()).contains("`" + c.id() + "`");
        }
        assertThat(work.resolve("escaped")).as("nothing written outside the bundle").doesNotExist();
        assertThat(work.getParent().resolve("escaped")).doesNotExist();
    }

    /** A bundle whose weights inflate from a small zip past the weights limit, lowered here so the test inflates megabytes, not gigabytes. */
    @Test
    void aDeflateBombBundleGivesOneLineExitTwo() throws IOException {
        byte[] manifest;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(model))) {
            ZipEntry e;
            while (!(e = in.getNextEntry()).getName().equals("graft.json")) {
                in.closeEntry();
            }
            manifest = in.readAllBytes();
        }
        Path bomb = HostileFiles.deflateBomb(work.resolve("bomb.graft"), manifest, 64);
        assertThat(Files.size(bomb)).isLessThan(1 << 20);
        System.setProperty("graft.bundle.maxWeightsBytes", Long.toString(8L << 20));
        Result r;
        try {
            r = run("predict", "--model", bomb.toString(), "hi");
        } finally {
            System.clearProperty("graft.bundle.maxWeightsBytes");
        }
        System.out.println("| `deflate-bomb` | " + r.status() + " | " + r.err().strip().replace(work.toString(), "…") + " |");
        List<String> lines = r.err().strip().lines().filter(l -> !l.isBlank()).toList();
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("graft: ").contains("bomb.graft: weights.safetensors holds more than 8388608 bytes")
                .doesNotContain("Exception");
        assertThat(Files.readString(Path.of("..", "docs", "errors.md"))).contains("`deflate-bomb`");
    }

    /** A case set outside the arguments: the frozen engine comes from a property (or the environment). */
    @Test
    void anUnknownFrozenEngineGivesOneLineExitTwoAndNoOutput() throws IOException {
        Path out = work.resolve("engine.graft");
        Path data = GraftCommandTest.topicsIn(work, "engine.csv", 12, 6);
        System.setProperty("graft.frozenEngine", "tensorflow");
        Result r;
        try {
            r = run("fit", "--data", data.toString(), "--strategy", "feature-extraction", "--max-length", "32",
                    "--out", out.toString());
        } finally {
            System.clearProperty("graft.frozenEngine");
        }
        List<String> lines = r.err().strip().lines().filter(l -> !l.isBlank()).toList();
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("graft: ").contains("unknown frozen engine 'tensorflow'", "onnxruntime or pytorch");
        assertThat(out).doesNotExist();
        assertThat(Files.readString(Path.of("..", "docs", "errors.md"))).contains("`unknown-frozen-engine`");
    }
}
