package dev.graft.backbone.text;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The encoder's parameters under their Hugging Face names, grouped by layer group (embeddings,
 * block0 …). Linear weights are [out, in], as in PyTorch checkpoints.
 */
final class BertParameters {

    private BertParameters() {}

    static List<Map<String, Parameter>> byGroup(BertEncoder encoder) {
        List<Map<String, Parameter>> groups = new ArrayList<>();
        Map<String, Parameter> e = new LinkedHashMap<>();
        e.put("embeddings.word_embeddings.weight", encoder.embeddings.words);
        e.put("embeddings.position_embeddings.weight", encoder.embeddings.positions);
        e.put("embeddings.token_type_embeddings.weight", encoder.embeddings.tokenTypes);
        e.put("embeddings.LayerNorm.weight", param(encoder.embeddings.norm, "gamma"));
        e.put("embeddings.LayerNorm.bias", param(encoder.embeddings.norm, "beta"));
        groups.add(e);
        for (int i = 0; i < encoder.layers.size(); i++) {
            BertLayer l = encoder.layers.get(i);
            String p = "encoder.layer." + i + ".";
            Map<String, Parameter> g = new LinkedHashMap<>();
            linear(g, p + "attention.self.query", l.query);
            linear(g, p + "attention.self.key", l.key);
            linear(g, p + "attention.self.value", l.value);
            linear(g, p + "attention.output.dense", l.attentionOutput);
            norm(g, p + "attention.output.LayerNorm", l.attentionNorm);
            linear(g, p + "intermediate.dense", l.intermediate);
            linear(g, p + "output.dense", l.output);
            norm(g, p + "output.LayerNorm", l.outputNorm);
            groups.add(g);
        }
        return groups;
    }

    /** {@return true for weights that decay: matrices and embedding tables, not norms or biases} */
    static boolean decays(String name) {
        return name.endsWith(".weight") && !name.contains("LayerNorm");
    }

    private static void linear(Map<String, Parameter> g, String prefix, Block block) {
        g.put(prefix + ".weight", param(block, "weight"));
        g.put(prefix + ".bias", param(block, "bias"));
    }

    private static void norm(Map<String, Parameter> g, String prefix, Block block) {
        g.put(prefix + ".weight", param(block, "gamma"));
        g.put(prefix + ".bias", param(block, "beta"));
    }

    static Parameter param(Block block, String name) {
        Parameter p = block.getParameters().get(name);
        if (p == null) {
            throw new IllegalStateException("block has no parameter " + name + ": " + block.getParameters().keys());
        }
        return p;
    }
}
