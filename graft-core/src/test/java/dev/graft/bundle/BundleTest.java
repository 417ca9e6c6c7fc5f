package dev.graft.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.GraftException;
import dev.graft.adapt.FineTunePlan;
import dev.graft.train.FeatureScaler;
import dev.graft.train.HeadSpec;
import dev.graft.train.TrainedHead;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleTest {

    static TrainedHead head(int hidden) {
        Random r = new Random(5);
        int dim = 6;
        int classes = 3;
        HeadSpec spec = new HeadSpec(hidden, 0.1);
        float[] mean = new float[dim];
        float[] scale = new float[dim];
        for (int j = 0; j < dim; j++) {
            mean[j] = (float) r.nextGaussian();
            scale[j] = 1 + r.nextFloat();
        }
        TrainedHead probe = new TrainedHead(spec, new FeatureScaler(mean, scale), classes, Map.of());
        Map<String, float[]> weights = new LinkedHashMap<>();
        probe.shapes().forEach((name, shape) -> {
            float[] w = new float[(int) (shape.length == 1 ? shape[0] : shape[0] * shape[1])];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) r.nextGaussian();
            }
            weights.put(name, w);
        });
        return new TrainedHead(spec, new FeatureScaler(mean, scale), classes, weights);
    }

    static BundleManifest manifest() {
        FineTunePlan plan = dev.graft.adapt.Strategy.parse("two-stage").plan(List.of("embeddings", "block0"),
                dev.graft.adapt.TrainingOptions.defaults());
        return new BundleManifest(BundleManifest.FORMAT, BundleManifest.VERSION, "text-classification",
                new BundleManifest.BackboneRef("minilm", "ab".repeat(32), "maxLength=128", 128),
                List.of("a", "b", "c"), new BundleManifest.HeadRef(4, 0.1, 6), plan,
                new BundleManifest.Parameters(100, 1000), null, Map.of("best_epoch", 3),
                Map.of("test", Map.of("accuracy", 0.9)), Map.of("seed", 42));
    }

    static final float[][] FEATURES = {{0, 1, 2, 3, 4, 5}, {-1, 0.5f, 2, 0, 0, 1}};

    @Test
    void directoryAndZipBundlesRoundTrip(@TempDir Path dir) {
        TrainedHead head = head(4);
        for (Path out : List.of(dir.resolve("model"), dir.resolve("model.graft"))) {
            Bundle.save(out, manifest(), head);
            Bundle.Loaded loaded = Bundle.load(out);
            assertThat(loaded.manifest().labels()).containsExactly("a", "b", "c");
            assertThat(loaded.manifest().plan()).isEqualTo(manifest().plan());
            assertThat(loaded.manifest().weights().sha256()).hasSize(64);
            assertThat(loaded.head().probabilities(FEATURES)).isDeepEqualTo(head.probabilities(FEATURES));
            assertThat(loaded.backbone()).isEmpty();
        }
        assertThat(Files.isRegularFile(dir.resolve("model.graft"))).isTrue();
    }

    @Test
    void tunedBackboneTensorsRoundTrip(@TempDir Path dir) {
        Map<String, Bundle.Weights> tuned = Map.of("encoder.layer.1.output.dense.bias",
                new Bundle.Weights(new long[] {3}, new float[] {1, -2, 3.5f}));
        Path out = dir.resolve("tuned.graft");
        Bundle.save(out, manifest(), head(4), tuned);
        assertThat(Bundle.load(out).backbone()).containsOnlyKeys("encoder.layer.1.output.dense.bias");
        assertThat(Bundle.load(out).backbone().get("encoder.layer.1.output.dense.bias")).containsExactly(1, -2, 3.5f);
    }

    @Test
    void savingReplacesAnOldBundleAndLeavesNoTemporaryFiles(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("model");
        Bundle.save(out, manifest(), head(4));
        Bundle.save(out, manifest(), head(0));
        assertThat(Bundle.load(out).head().spec().hidden()).isZero();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("model");
        }
    }

    @Test
    void refusesToOverwriteADirectoryWithOtherFiles(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("mine");
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "keep me");
        assertThatThrownBy(() -> Bundle.save(out, manifest(), head(4)))
                .isInstanceOf(GraftException.class).hasMessageContaining("notes.txt");
        assertThat(out.resolve("notes.txt")).hasContent("keep me");
    }

    @Test
    void aTamperedWeightsFileIsRefused(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("model");
        Bundle.save(out, manifest(), head(4));
        byte[] w = Files.readAllBytes(out.resolve(Bundle.WEIGHTS));
        w[w.length - 1] ^= 1;
        Files.write(out.resolve(Bundle.WEIGHTS), w);
        assertThatThrownBy(() -> Bundle.load(out)).isInstanceOf(GraftException.class)
                .hasMessageContaining("does not match the hash");
    }

    @Test
    void aTruncatedZipAndForeignEntriesAreRefused(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("model.graft");
        Bundle.save(out, manifest(), head(4));
        byte[] zip = Files.readAllBytes(out);
        Path truncated = dir.resolve("truncated.graft");
        Files.write(truncated, java.util.Arrays.copyOf(zip, zip.length / 2));
        assertThatThrownBy(() -> Bundle.load(truncated)).isInstanceOf(GraftException.class);

        Path evil = dir.resolve("evil.graft");
        try (OutputStream o = Files.newOutputStream(evil); ZipOutputStream z = new ZipOutputStream(o)) {
            z.putNextEntry(new ZipEntry("../../etc/passwd"));
            z.write(1);
            z.closeEntry();
        }
        assertThatThrownBy(() -> Bundle.load(evil)).isInstanceOf(GraftException.class)
                .hasMessageContaining("unexpected entry");
    }

    @Test
    void missingOrForeignFilesGiveClearErrors(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> Bundle.load(dir.resolve("nope"))).hasMessageContaining("does not exist");
        Path notZip = dir.resolve("x.graft");
        Files.writeString(notZip, "hello");
        assertThatThrownBy(() -> Bundle.load(notZip)).isInstanceOf(GraftException.class);
        Path future = dir.resolve("future");
        Bundle.save(future, manifest(), head(4));
        String json = Files.readString(future.resolve(Bundle.MANIFEST)).replace("\"format_version\" : 1", "\"format_version\" : 99");
        Files.writeString(future.resolve(Bundle.MANIFEST), json);
        assertThatThrownBy(() -> Bundle.load(future)).hasMessageContaining("upgrade Graft");
    }

    /** Runs {@code load} with the weights limit set to {@code bytes}. */
    static Bundle.Loaded loadWithWeightsLimit(Path bundle, long bytes) {
        System.setProperty(BundleFiles.MAX_WEIGHTS_PROPERTY, Long.toString(bytes));
        try {
            return Bundle.load(bundle);
        } finally {
            System.clearProperty(BundleFiles.MAX_WEIGHTS_PROPERTY);
        }
    }

    @Test
    void aDeflateBombIsRefusedOnceItInflatesPastTheLimit(@TempDir Path dir) throws IOException {
        Path bomb = dir.resolve("bomb.graft");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
            zip.setLevel(9);
            zip.putNextEntry(new ZipEntry(Bundle.WEIGHTS));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(Bundle.MANIFEST));
            zip.write(Bundle.JSON.writeValueAsBytes(manifest()));
            zip.closeEntry();
        }
        assertThat(Files.size(bomb)).as("64 MiB of zeros deflate to a small file").isLessThan(1 << 20);
        assertThatThrownBy(() -> loadWithWeightsLimit(bomb, 8L << 20)).isInstanceOf(GraftException.class)
                .hasMessageContaining("bomb.graft: weights.safetensors holds more than 8388608 bytes")
                .hasMessageContaining(BundleFiles.MAX_WEIGHTS_PROPERTY)
                .hasMessageNotContaining("\n");
    }

    @Test
    void weightsExactlyAtTheLimitLoadAndOneByteOverAreRefusedNeverCut(@TempDir Path dir) throws IOException {
        Path zip = Bundle.save(dir.resolve("model.graft"), manifest(), head(4));
        Path directory = Bundle.save(dir.resolve("model"), manifest(), head(4));
        long size = Files.size(directory.resolve(Bundle.WEIGHTS));
        for (Path bundle : List.of(zip, directory)) {
            assertThat(loadWithWeightsLimit(bundle, size).head().probabilities(FEATURES))
                    .isDeepEqualTo(head(4).probabilities(FEATURES));
            assertThatThrownBy(() -> loadWithWeightsLimit(bundle, size - 1)).isInstanceOf(GraftException.class)
                    .hasMessageContaining("holds more than " + (size - 1) + " bytes");
        }
    }

    @Test
    void aZipThatHoldsAFileTwiceIsRefused(@TempDir Path dir) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String name : List.of(Bundle.MANIFEST, "graft.jsoN")) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(Bundle.JSON.writeValueAsBytes(manifest()));
                zip.closeEntry();
            }
        }
        // ZipOutputStream refuses a repeated name, so the second one is renamed in the bytes
        String latin = bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1).replace("graft.jsoN", Bundle.MANIFEST);
        Path twice = Files.write(dir.resolve("twice.graft"), latin.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> Bundle.load(twice)).isInstanceOf(GraftException.class)
                .hasMessageContaining("holds graft.json twice");
    }

    @Test
    void aManifestEditedToPointAtAnotherDirectoryIsRefusedBeforeTheDirectoryIsRead(@TempDir Path dir) throws IOException {
        Path hf = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(hf.resolve("model.safetensors"), "not the weights the model was trained on");
        Files.createDirectories(hf.resolve("config.json"));
        Files.writeString(hf.resolve("tokenizer.json"), "{ hostile");
        Path model = Bundle.save(dir.resolve("model"), manifest(), head(4));
        Path manifest = model.resolve(Bundle.MANIFEST);
        Files.writeString(manifest, Files.readString(manifest).replace("\"minilm\"", "\"hf:" + hf + "\""));
        assertThatThrownBy(() -> BundleClassifier.load(model, null)).isInstanceOf(GraftException.class)
                .hasMessageStartingWith(model + " was trained on backbone hf:" + hf + " with weights abababababab…, but "
                        + hf.resolve("model.safetensors") + " holds ");
    }

    @Test
    void aManifestWithoutTheBackboneWeightsHashIsRefused(@TempDir Path dir) throws IOException {
        Path model = Bundle.save(dir.resolve("model"), manifest(), head(4));
        Path manifest = model.resolve(Bundle.MANIFEST);
        Files.writeString(manifest, Files.readString(manifest).replace("\"" + "ab".repeat(32) + "\"", "null"));
        assertThatThrownBy(() -> Bundle.load(model)).isInstanceOf(GraftException.class)
                .hasMessageContaining("lacks the backbone's id or a SHA-256 of its weights");
    }
}
