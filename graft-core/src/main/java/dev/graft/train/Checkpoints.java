package dev.graft.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.graft.GraftException;
import dev.graft.adapt.FineTunePlan;
import dev.graft.backbone.TrainableBackbone;
import dev.graft.io.DirectorySwap;
import dev.graft.io.Safetensors;
import dev.graft.io.SafetensorsFile;
import dev.graft.io.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint directory, replaced atomically after every epoch: {@code state.json} (plan, seed,
 * stage, epoch, plateau counters, history), {@code weights.safetensors} (head and every backbone
 * parameter the plan trains), {@code statistics.safetensors} (the backbone's BatchNorm running
 * statistics, which are not parameters), {@code best.safetensors} (the best epoch's weights and
 * statistics) and {@code optimizer.safetensors}.
 */
final class Checkpoints {

    static final String FORMAT = "graft-checkpoint";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;
    private final JsonNode request;

    Checkpoints(Path dir, JsonNode request) {
        this.dir = dir.toAbsolutePath();
        this.request = request;
    }

    /**
     * @param dir a checkpoint directory
     * @return the fit request stored in it (JSON), or a missing node when the run stored none
     */
    static JsonNode request(Path dir) {
        try {
            DirectorySwap.recover(dir);
        } catch (IOException e) {
            throw new GraftException("cannot recover the checkpoint " + DirectorySwap.aside(dir) + ": " + e.getMessage(), e);
        }
        Path state = dir.resolve("state.json");
        if (!Files.isRegularFile(state)) {
            throw new GraftException(dir + " holds no checkpoint (state.json is missing); pass the checkpoint directory of"
                    + " an interrupted fine-tune");
        }
        try {
            return JSON.readTree(state.toFile()).path("request");
        } catch (IOException e) {
            throw new GraftException(dir + ": the checkpoint is damaged (" + e.getMessage() + ")", e);
        }
    }

    Path dir() {
        return dir;
    }

    boolean exists() {
        try {
            DirectorySwap.recover(dir);
        } catch (IOException e) {
            throw new GraftException("cannot recover the checkpoint " + DirectorySwap.aside(dir) + ": " + e.getMessage(), e);
        }
        return Files.isRegularFile(dir.resolve("state.json"));
    }

    void save(FineTunePlan plan, long seed, TrainingState state, HeadNetwork head, Map<String, Parameter> tracked,
            Map<String, float[]> statistics, AdamW optimizer) {
        try {
            Files.createDirectories(dir.getParent());
            Path tmp = Files.createTempDirectory(dir.getParent(), "." + dir.getFileName() + ".");
            try {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("format", FORMAT);
                json.put("version", 1);
                json.put("seed", seed);
                json.put("request", request);
                json.put("plan", plan);
                json.put("stage", state.stage());
                json.put("epoch_in_stage", state.epochInStage());
                json.put("global_epoch", state.globalEpoch());
                json.put("stage_best_loss", finite(state.stageBestLoss()));
                json.put("stage_bad_epochs", state.stageBadEpochs());
                json.put("best_loss", finite(state.bestLoss()));
                json.put("best_epoch", state.bestEpoch());
                json.put("history", state.history());
                json.put("optimizer_steps", optimizer.steps);
                Files.write(tmp.resolve("state.json"), JSON.writeValueAsBytes(json));

                Map<String, Tensor> weights = new LinkedHashMap<>();
                head.weights().forEach((k, v) -> weights.put(k, Tensor.f32(head.shapes().get(k), v)));
                for (Map.Entry<String, Parameter> e : tracked.entrySet()) {
                    NDArray a = e.getValue().getArray();
                    weights.put(e.getKey(), Tensor.f32(a.getShape().getShape(), a.toFloatArray()));
                }
                Safetensors.write(tmp.resolve("weights.safetensors"), weights, Map.of());
                Safetensors.write(tmp.resolve("statistics.safetensors"), vectors(statistics), Map.of());
                if (state.best() != null) {
                    Safetensors.write(tmp.resolve("best.safetensors"), vectors(state.best()), Map.of());
                }
                Map<String, Tensor> moments = new LinkedHashMap<>();
                optimizer.firstMoment.forEach((k, v) -> moments.put("m/" + k, Tensor.f32(v.getShape().getShape(), v.toFloatArray())));
                optimizer.secondMoment.forEach((k, v) -> moments.put("v/" + k, Tensor.f32(v.getShape().getShape(), v.toFloatArray())));
                Safetensors.write(tmp.resolve("optimizer.safetensors"), moments, Map.of());

                DirectorySwap.replace(tmp, dir);
            } finally {
                dev.graft.io.Directories.deleteRecursively(tmp);
            }
        } catch (IOException e) {
            throw new GraftException(dev.graft.Parameter.CHECKPOINT_DIR, dir, "cannot be written: " + e.getMessage()
                    + "; free some disk space or choose another checkpoint directory", e);
        }
    }

    TrainingState restore(FineTunePlan plan, long seed, HeadNetwork head, Map<String, Parameter> tracked,
            TrainableBackbone backbone, AdamW optimizer, NDManager manager) {
        try {
            JsonNode json = JSON.readTree(dir.resolve("state.json").toFile());
            if (!FORMAT.equals(json.path("format").asText())) {
                throw new GraftException(dir + " is not a Graft checkpoint; pass the directory graft fit wrote");
            }
            FineTunePlan saved = JSON.treeToValue(json.get("plan"), FineTunePlan.class);
            if (!saved.equals(plan) || json.get("seed").asLong() != seed) {
                throw new GraftException("the checkpoint in " + dir + " was made with another plan or seed;"
                        + " resume with the same options, or delete it to start over");
            }
            SafetensorsFile weights = Safetensors.read(dir.resolve("weights.safetensors"));
            Map<String, float[]> headWeights = new LinkedHashMap<>();
            for (String k : head.shapes().keySet()) {
                headWeights.put(k, weights.tensor(k).data());
            }
            head.load(headWeights);
            for (Map.Entry<String, Parameter> e : tracked.entrySet()) {
                e.getValue().getArray().set(weights.tensor(e.getKey()).data());
            }
            if (Files.exists(dir.resolve("statistics.safetensors"))) {
                backbone.restoreStatistics(read(dir.resolve("statistics.safetensors")));
            }
            SafetensorsFile moments = Safetensors.read(dir.resolve("optimizer.safetensors"));
            for (Map.Entry<String, Tensor> e : moments.tensors().entrySet()) {
                String name = e.getKey().substring(2);
                NDArray a = manager.create(e.getValue().data(), new ai.djl.ndarray.types.Shape(e.getValue().shape()));
                (e.getKey().startsWith("m/") ? optimizer.firstMoment : optimizer.secondMoment).put(name, a);
            }
            optimizer.steps.putAll(JSON.convertValue(json.get("optimizer_steps"), new TypeReference<Map<String, Integer>>() {}));
            Map<String, float[]> best = Files.exists(dir.resolve("best.safetensors"))
                    ? read(dir.resolve("best.safetensors")) : null;
            List<EpochRecord> history = JSON.convertValue(json.get("history"), new TypeReference<List<EpochRecord>>() {});
            return new TrainingState(json.get("stage").asInt(), json.get("epoch_in_stage").asInt(),
                    json.get("global_epoch").asInt(), infinite(json.get("stage_best_loss")),
                    json.get("stage_bad_epochs").asInt(), infinite(json.get("best_loss")), json.get("best_epoch").asInt(),
                    best, history);
        } catch (IOException | RuntimeException e) {
            if (e instanceof GraftException g) {
                throw g;
            }
            throw new GraftException("cannot resume from " + dir + " (" + e.getMessage()
                    + "); the checkpoint is damaged: delete it to start over", e);
        }
    }

    private static Map<String, Tensor> vectors(Map<String, float[]> values) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, Tensor.f32(new long[] {v.length}, v)));
        return out;
    }

    private static Map<String, float[]> read(Path file) throws IOException {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : Safetensors.read(file).tensors().entrySet()) {
            out.put(e.getKey(), e.getValue().data());
        }
        return out;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double infinite(JsonNode n) {
        return n == null || n.isNull() ? Double.POSITIVE_INFINITY : n.asDouble();
    }
}
