package dev.graft.bundle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.graft.GraftException;
import dev.graft.Parameter;
import dev.graft.io.AtomicFiles;
import dev.graft.io.DirectorySwap;
import dev.graft.io.Hashes;
import dev.graft.io.Safetensors;
import dev.graft.io.SafetensorsFile;
import dev.graft.io.Tensor;
import dev.graft.train.FeatureScaler;
import dev.graft.train.HeadSpec;
import dev.graft.train.TrainedHead;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The saved model: {@code graft.json} plus {@code weights.safetensors}, as a directory or as a
 * {@code .graft} zip. Writes are atomic; loads check the format, every hash and every shape, and
 * never run code from the bundle.
 */
public final class Bundle {

    /** Name of the manifest inside a bundle. */
    public static final String MANIFEST = "graft.json";
    /** Name of the weights file inside a bundle. */
    public static final String WEIGHTS = "weights.safetensors";
    /** Zip-bundle extension. */
    public static final String EXTENSION = ".graft";

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * A bundle read back.
     *
     * @param manifest its manifest
     * @param head the trained head
     * @param backbone fine-tuned backbone tensors by name (empty for feature extraction)
     */
    public record Loaded(BundleManifest manifest, TrainedHead head, Map<String, float[]> backbone) {}

    /**
     * A tensor to store.
     *
     * @param shape its shape
     * @param values row-major values
     */
    public record Weights(long[] shape, float[] values) {}

    private Bundle() {}

    /**
     * Writes a bundle atomically: to a directory, or to a zip when {@code out} ends in
     * {@code .graft}. An existing bundle at {@code out} is replaced only once the new one is complete.
     *
     * @param out target path
     * @param manifest the manifest; its {@code head} and {@code weights} entries are filled in here
     * @param head the trained head
     * @return {@code out}
     */
    public static Path save(Path out, BundleManifest manifest, TrainedHead head) {
        return save(out, manifest, head, Map.of());
    }

    /**
     * Writes a bundle holding a head and fine-tuned backbone tensors.
     *
     * @param out target path
     * @param manifest the manifest; its {@code head} and {@code weights} entries are filled in here
     * @param head the trained head
     * @param backbone tuned backbone tensors by name, only those that differ from the pretrained ones
     * @return {@code out}
     */
    public static Path save(Path out, BundleManifest manifest, TrainedHead head, Map<String, Weights> backbone) {
        Path target = out.toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            Path staging = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".");
            try {
                Path weights = staging.resolve(WEIGHTS);
                writeWeights(weights, head, backbone);
                BundleManifest complete = new BundleManifest(manifest.format(), manifest.formatVersion(),
                        manifest.task(), manifest.backbone(), manifest.labels(),
                        new BundleManifest.HeadRef(head.spec().hidden(), head.spec().dropout(), head.scaler().dimension(),
                                head.temperature() == 1 ? null : head.temperature()),
                        manifest.plan(),
                        manifest.parameters(), new BundleManifest.WeightsRef(WEIGHTS, Hashes.sha256Hex(weights)),
                        manifest.training(), manifest.metrics(), manifest.provenance());
                Files.write(staging.resolve(MANIFEST), JSON.writeValueAsBytes(complete));
                if (isZip(target)) {
                    AtomicFiles.write(target, o -> zip(staging, o));
                } else {
                    replaceDirectory(staging, target);
                }
            } finally {
                dev.graft.io.Directories.deleteRecursively(staging);
            }
            return out;
        } catch (IOException e) {
            throw new GraftException("cannot write the bundle " + out + ": " + e.getMessage()
                    + "; check the path, permissions and free space", e);
        }
    }

    /**
     * Reads a bundle and checks its files against the manifest's hashes.
     *
     * @param path a bundle directory or {@code .graft} file
     * @return its manifest and head, checked
     */
    public static Loaded load(Path path) {
        recoverInterruptedReplace(path);
        if (!Files.exists(path)) {
            throw new GraftException("model " + path + " does not exist; pass the directory or .graft file written by graft fit");
        }
        try (BundleFiles files = BundleFiles.read(path)) {
            if (files.manifest() == null || files.weights() == null) {
                throw new GraftException(path + " is not a Graft bundle: " + (files.manifest() == null ? MANIFEST : WEIGHTS)
                        + " is missing; pass the directory or .graft file written by graft fit");
            }
            BundleManifest manifest = parseManifest(files.manifest(), path);
            if (!files.weightsSha256().equals(manifest.weights().sha256())) {
                throw new GraftException(path + ": " + WEIGHTS + " does not match the hash in " + MANIFEST
                        + " (the bundle was modified or damaged); fit the model again or restore it from a copy");
            }
            SafetensorsFile tensors = Safetensors.read(files.weights());
            Map<String, float[]> backbone = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : tensors.tensors().entrySet()) {
                if (!e.getKey().startsWith("head.")) {
                    if (!e.getValue().dtype().equals("F32")) {
                        throw new GraftException(path + ": tensor " + e.getKey() + " is " + e.getValue().dtype()
                                + ", expected F32; the bundle is damaged");
                    }
                    backbone.put(e.getKey(), e.getValue().data());
                }
            }
            return new Loaded(manifest, readHead(tensors, manifest, path), backbone);
        } catch (IOException e) {
            throw new GraftException("cannot read the bundle " + path + ": " + e.getMessage()
                    + " (the file is damaged or incomplete); fit the model again or restore it from a copy", e);
        }
    }

    /**
     * Reads only a bundle's manifest, without checking its files.
     *
     * @param path a bundle directory or {@code .graft} file
     * @return only its manifest (hashes unchecked), for inspection
     */
    public static BundleManifest readManifest(Path path) {
        return load(path).manifest();
    }

    static BundleManifest parseManifest(byte[] bytes, Path path) {
        BundleManifest m;
        try {
            m = JSON.readValue(bytes, BundleManifest.class);
        } catch (IOException e) {
            throw new GraftException(path + ": " + MANIFEST + " is not valid JSON (" + firstLine(e.getMessage())
                    + "); the bundle is damaged", e);
        }
        if (m == null) {
            throw new GraftException(path + ": " + MANIFEST + " holds no JSON object; the bundle is damaged");
        }
        if (!BundleManifest.FORMAT.equals(m.format())) {
            throw new GraftException(path + ": " + MANIFEST + " is not a Graft bundle manifest (format " + m.format() + ")");
        }
        if (m.formatVersion() < 1 || m.formatVersion() > BundleManifest.VERSION) {
            throw new GraftException(path + ": bundle format version " + m.formatVersion()
                    + " is newer than this Graft understands (" + BundleManifest.VERSION + "); upgrade Graft");
        }
        if (m.backbone() == null || m.labels() == null || m.labels().size() < 2 || m.head() == null || m.weights() == null) {
            throw new GraftException(path + ": " + MANIFEST + " lacks backbone, labels, head or weights; the bundle is damaged");
        }
        if (m.backbone().id() == null || m.backbone().weightsSha256() == null
                || !m.backbone().weightsSha256().matches("[0-9a-f]{64}")) {
            throw new GraftException(path + ": " + MANIFEST + " lacks the backbone's id or a SHA-256 of its weights; the bundle is damaged");
        }
        return m;
    }

    private static TrainedHead readHead(SafetensorsFile tensors, BundleManifest manifest, Path path) {
        BundleManifest.HeadRef ref = manifest.head();
        HeadSpec spec;
        try {
            spec = new HeadSpec(ref.hidden(), ref.dropout());
        } catch (GraftException e) {
            throw new GraftException(path + ": invalid head in " + MANIFEST + ": " + e.getMessage(), e);
        }
        int classes = manifest.labels().size();
        float[] mean = floats(tensors, "head.scaler.mean");
        float[] scale = floats(tensors, "head.scaler.scale");
        if (mean == null || scale == null || mean.length != ref.inputs() || scale.length != ref.inputs()) {
            throw new GraftException(path + ": the feature scaler in " + WEIGHTS + " is missing or does not match "
                    + ref.inputs() + " inputs; the bundle is damaged");
        }
        Map<String, float[]> weights = new LinkedHashMap<>();
        TrainedHead shapeProbe = new TrainedHead(spec, new FeatureScaler(mean, scale), classes, Map.of());
        for (Map.Entry<String, long[]> e : shapeProbe.shapes().entrySet()) {
            float[] w = floats(tensors, e.getKey());
            long expected = 1;
            for (long d : e.getValue()) {
                expected *= d;
            }
            if (w == null || w.length != expected) {
                throw new GraftException(path + ": head weight " + e.getKey() + " is missing or has the wrong size in "
                        + WEIGHTS + "; the bundle is damaged");
            }
            weights.put(e.getKey(), w);
        }
        Double temperature = ref.temperature();
        if (temperature != null && !(temperature >= 1e-3 && temperature <= 1e3)) {
            throw new GraftException(path + ": head temperature " + temperature + " in " + MANIFEST
                    + " is out of range (1e-3 to 1e3); the bundle is damaged");
        }
        return new TrainedHead(spec, new FeatureScaler(mean, scale), classes, weights, temperature == null ? 1 : temperature);
    }

    private static float[] floats(SafetensorsFile file, String name) {
        Tensor t = file.tensors().get(name);
        return t == null || !t.dtype().equals("F32") ? null : t.data();
    }

    private static void writeWeights(Path file, TrainedHead head, Map<String, Weights> backbone) throws IOException {
        Map<String, float[]> data = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>(head.shapes());
        backbone.forEach((name, w) -> {
            data.put(name, w.values());
            shapes.put(name, w.shape());
        });
        data.putAll(head.weights());
        data.put("head.scaler.mean", head.scaler().mean());
        data.put("head.scaler.scale", head.scaler().scale());
        shapes.put("head.scaler.mean", new long[] {head.scaler().dimension()});
        shapes.put("head.scaler.scale", new long[] {head.scaler().dimension()});
        Safetensors.write(file, data, shapes, Map.of("format", "pt", "producer", "graft"));
    }

    private static boolean isZip(Path target) {
        return target.getFileName().toString().endsWith(EXTENSION);
    }

    private static void zip(Path dir, OutputStream out) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String name : new String[] {MANIFEST, WEIGHTS}) {
                zip.putNextEntry(new ZipEntry(name));
                Files.copy(dir.resolve(name), zip);
                zip.closeEntry();
            }
        }
    }

    /**
     * Moves a saved bundle to another path on the same file system, replacing a bundle there, so
     * that the target is always either the old bundle or the new one.
     *
     * @param from a bundle written by {@link #save}
     * @param to where it should be
     */
    public static void move(Path from, Path to) {
        try {
            Path target = to.toAbsolutePath();
            if (isZip(target)) {
                AtomicFiles.move(from, target);
            } else {
                replaceDirectory(from, target);
            }
        } catch (IOException e) {
            throw new GraftException("cannot move the bundle " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    /** A kill between the two renames of a directory bundle's replacement leaves the old one aside: put it back. */
    private static void recoverInterruptedReplace(Path path) {
        try {
            DirectorySwap.recover(path);
        } catch (IOException e) {
            throw new GraftException("cannot restore the previous bundle at " + path + " from " + DirectorySwap.aside(path)
                    + ": " + e.getMessage() + "; move it back by hand", e);
        }
    }

    private static void replaceDirectory(Path staging, Path target) throws IOException {
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new GraftException(Parameter.OUT, target, "is a file; give a directory, or a name ending in " + EXTENSION);
        }
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
                for (Path p : entries) {
                    String name = p.getFileName().toString();
                    if (!name.equals(MANIFEST) && !name.equals(WEIGHTS)) {
                        throw new GraftException(Parameter.OUT, target, "is a directory that holds other files (" + name
                                + "); choose a new or empty directory");
                    }
                }
            }
        }
        DirectorySwap.replace(staging, target);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
