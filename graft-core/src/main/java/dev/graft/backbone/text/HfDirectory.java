package dev.graft.backbone.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.GraftException;
import dev.graft.backbone.onnx.OnnxInitializers.FloatTensor;
import dev.graft.io.AtomicFiles;
import dev.graft.io.Hashes;
import dev.graft.io.Safetensors;
import dev.graft.io.SafetensorsFile;
import dev.graft.io.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Hugging Face model directory of a BERT-family encoder: {@code config.json},
 * {@code model.safetensors}, {@code tokenizer.json}, and the sentence-transformers files
 * ({@code modules.json}, {@code 1_Pooling/config.json}) when present. Reads it into a
 * {@link BertBackbone}; writes one from Graft's weights.
 */
public final class HfDirectory {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HfDirectory() {}

    /**
     * Loads a BERT-style encoder from a Hugging Face model directory.
     *
     * @param id the backbone's id, e.g. {@code hf:/models/bge-small} or {@code hf:/models/e5#mean}
     * @param dir the directory
     * @param pooling {@code mean} or {@code cls} to override the directory's pooling, or null
     * @param maxLength truncation length in tokens
     * @return the backbone
     */
    public static BertBackbone load(String id, Path dir, String pooling, int maxLength) {
        String source = dir.toString();
        if (!Files.isDirectory(dir)) {
            throw new GraftException(source + " is not a directory; a backbone hf:DIR needs a Hugging Face model directory"
                    + " (config.json, model.safetensors, tokenizer.json)");
        }
        JsonNode config = readJson(dir.resolve("config.json"), source);
        BertConfig shape = config(config, source);
        Path weights = dir.resolve("model.safetensors");
        if (!Files.isRegularFile(weights)) {
            boolean pickle = Files.exists(dir.resolve("pytorch_model.bin"));
            throw new GraftException(source + ": model.safetensors is missing" + (pickle
                    ? "; Graft does not read pickled pytorch_model.bin, save the model with safe_serialization=True"
                    : "; a Hugging Face model directory holds config.json, model.safetensors and tokenizer.json"));
        }
        Path tokenizer = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizer)) {
            throw new GraftException(source + ": tokenizer.json is missing; save the tokenizer with a fast tokenizer"
                    + " (tokenizer.save_pretrained) next to the model");
        }
        try {
            SafetensorsFile file = Safetensors.read(weights);
            Map<String, FloatTensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : file.tensors().entrySet()) {
                String name = e.getKey().startsWith("bert.") ? e.getKey().substring("bert.".length()) : e.getKey();
                if (e.getValue().dtype().equals("I64") || name.startsWith("pooler.")) {
                    continue;
                }
                tensors.put(name, new FloatTensor(e.getValue().shape(), e.getValue().data()));
            }
            return BertBackbone.build(id, shape, pooling(dir, pooling, source), tensors, false,
                    Hashes.sha256Hex(weights), Files.readAllBytes(tokenizer), maxLength, source);
        } catch (IOException e) {
            throw new GraftException(source + ": cannot read the model: " + e.getMessage(), e);
        }
    }

    /**
     * Writes a directory that {@code transformers} ({@code AutoModel}) and
     * {@code sentence-transformers} load: config.json, model.safetensors ([out, in] linear
     * weights, Hugging Face names), tokenizer.json, modules.json and 1_Pooling/config.json.
     *
     * @param dir the directory to create; must not exist or be empty
     * @param backbone the encoder whose current weights are written (merge adapters first)
     * @param tokenizerJson the tokenizer
     */
    public static void write(Path dir, BertBackbone backbone, byte[] tokenizerJson) {
        write(dir, backbone.config(), backbone.pooling(), backbone.weights(), backbone.shapes(), tokenizerJson);
    }

    /**
     * As {@link #write(Path, BertBackbone, byte[])}, from an encoder's shape, pooling and weights
     * rather than a loaded backbone (the model store converts ONNX weights this way).
     *
     * @param dir the directory to create; must not exist or be empty
     * @param config the encoder's shape
     * @param pooling how hidden states are pooled
     * @param weights values by Hugging Face name, linear weights [out, in]
     * @param shapes the shape of each of {@code weights}
     * @param tokenizerJson the tokenizer
     */
    public static void write(Path dir, BertConfig config, Pooling pooling, Map<String, float[]> weights,
            Map<String, long[]> shapes, byte[] tokenizerJson) {
        try {
            Files.createDirectories(dir);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            weights.forEach((name, values) -> tensors.put(name, Tensor.f32(shapes.get(name), values)));
            Path st = dir.resolve("model.safetensors");
            Path tmp = dir.resolve(".model.safetensors.tmp");
            Safetensors.write(tmp, tensors, Map.of("format", "pt"));
            AtomicFiles.move(tmp, st);
            AtomicFiles.write(dir.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson(config)));
            AtomicFiles.write(dir.resolve("tokenizer.json"), tokenizerJson);
            ArrayNode modules = JSON.createArrayNode();
            modules.addObject().put("idx", 0).put("name", "0").put("path", "").put("type", "sentence_transformers.models.Transformer");
            modules.addObject().put("idx", 1).put("name", "1").put("path", "1_Pooling").put("type", "sentence_transformers.models.Pooling");
            if (pooling.normalize()) {
                modules.addObject().put("idx", 2).put("name", "2").put("path", "2_Normalize").put("type", "sentence_transformers.models.Normalize");
                Files.createDirectories(dir.resolve("2_Normalize"));
            }
            AtomicFiles.write(dir.resolve("modules.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(modules));
            ObjectNode p = JSON.createObjectNode();
            p.put("word_embedding_dimension", config.hidden());
            p.put("pooling_mode_cls_token", pooling.mode().equals("cls"));
            p.put("pooling_mode_mean_tokens", pooling.mode().equals("mean"));
            p.put("pooling_mode_max_tokens", false);
            p.put("pooling_mode_mean_sqrt_len_tokens", false);
            Files.createDirectories(dir.resolve("1_Pooling"));
            AtomicFiles.write(dir.resolve("1_Pooling/config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(p));
        } catch (IOException e) {
            throw new GraftException("cannot write " + dir + ": " + e.getMessage(), e);
        }
    }

    static ObjectNode toJson(BertConfig c) {
        ObjectNode o = JSON.createObjectNode();
        o.putArray("architectures").add("BertModel");
        o.put("model_type", "bert");
        o.put("vocab_size", c.vocabSize());
        o.put("hidden_size", c.hidden());
        o.put("num_hidden_layers", c.layers());
        o.put("num_attention_heads", c.heads());
        o.put("intermediate_size", c.intermediate());
        o.put("max_position_embeddings", c.maxPositions());
        o.put("type_vocab_size", c.typeVocabSize());
        o.put("layer_norm_eps", c.layerNormEps());
        o.put("hidden_act", "gelu");
        o.put("hidden_dropout_prob", 0.1);
        o.put("attention_probs_dropout_prob", 0.1);
        o.put("position_embedding_type", "absolute");
        o.put("initializer_range", 0.02);
        o.put("pad_token_id", 0);
        return o;
    }

    static BertConfig config(JsonNode c, String source) {
        String type = c.path("model_type").asText("");
        if (!type.equals("bert")) {
            throw new GraftException(source + ": model_type '" + type + "' is not supported; Graft imports BERT-family"
                    + " encoders (model_type bert: BERT, MiniLM, BGE, E5, GTE-small…)");
        }
        String act = c.path("hidden_act").asText("gelu");
        if (!act.equals("gelu")) {
            throw new GraftException(source + ": hidden_act '" + act + "' is not supported; Graft's BERT blocks use gelu (erf)");
        }
        String positions = c.path("position_embedding_type").asText("absolute");
        if (!positions.equals("absolute")) {
            throw new GraftException(source + ": position_embedding_type '" + positions + "' is not supported; only absolute");
        }
        return new BertConfig(required(c, "vocab_size", source), required(c, "hidden_size", source),
                required(c, "num_hidden_layers", source), required(c, "num_attention_heads", source),
                required(c, "intermediate_size", source), required(c, "max_position_embeddings", source),
                c.path("type_vocab_size").asInt(2), (float) c.path("layer_norm_eps").asDouble(1e-12));
    }

    private static int required(JsonNode c, String field, String source) {
        JsonNode n = c.get(field);
        if (n == null || !n.canConvertToInt() || n.asInt() < 1) {
            throw new GraftException(source + ": config.json has no positive '" + field + "'; is this a BERT config?");
        }
        return n.asInt();
    }

    private static Pooling pooling(Path dir, String override, String source) {
        boolean normalize = false;
        Path modules = dir.resolve("modules.json");
        if (Files.isRegularFile(modules)) {
            for (JsonNode m : readJson(modules, source)) {
                normalize |= m.path("type").asText("").endsWith("Normalize");
            }
        }
        if (override != null) {
            return new Pooling(override, normalize);
        }
        Path config = dir.resolve("1_Pooling/config.json");
        if (!Files.isRegularFile(config)) {
            return new Pooling("mean", normalize);
        }
        JsonNode p = readJson(config, source);
        if (p.path("pooling_mode_cls_token").asBoolean(false)) {
            return new Pooling("cls", normalize);
        }
        if (p.path("pooling_mode_mean_tokens").asBoolean(false)) {
            return new Pooling("mean", normalize);
        }
        throw new GraftException(source + ": 1_Pooling/config.json asks for a pooling Graft does not have (max or"
                + " sqrt-length); choose one with backbone hf:DIR#mean or hf:DIR#cls");
    }

    private static JsonNode readJson(Path file, String source) {
        if (!Files.isRegularFile(file)) {
            throw new GraftException(source + ": " + file.getFileName() + " is missing; a Hugging Face model directory"
                    + " holds config.json, model.safetensors and tokenizer.json");
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new GraftException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
