package dev.graft;

import java.util.List;
import java.util.Map;

/**
 * What a saved model is, as its files describe it.
 *
 * @param format {@code bundle} (a Graft bundle, run with its backbone) or {@code onnx} (an export run by ONNX Runtime alone)
 * @param task {@code text-classification} or {@code image-classification}
 * @param backbone the backbone's id
 * @param strategy how it was trained (e.g. {@code feature-extraction}, {@code lora}), or null when not recorded
 * @param labels the classes, in output order
 * @param metrics validation and test metrics measured when it was fitted (empty for an export)
 * @param graftVersion the Graft version that wrote it
 */
public record ModelInfo(String format, String task, String backbone, String strategy, List<String> labels,
        Map<String, Object> metrics, String graftVersion) {

    /**
     * Copies the lists and maps.
     *
     * @param format {@code bundle} or {@code onnx}
     * @param task {@code text-classification} or {@code image-classification}
     * @param backbone the backbone's id
     * @param strategy how it was trained, or null when not recorded
     * @param labels the classes, in output order; not null
     * @param metrics validation and test metrics measured when it was fitted; null is read as none
     * @param graftVersion the Graft version that wrote it
     */
    public ModelInfo {
        labels = List.copyOf(labels);
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    }
}
