package dev.graft.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.graft.adapt.FineTunePlan;
import java.util.List;
import java.util.Map;

/**
 * The {@code graft.json} of a bundle: everything needed to rebuild the model and to know where it
 * came from. Weights live beside it in {@code weights.safetensors}.
 *
 * @param format always {@value #FORMAT}
 * @param formatVersion {@value #VERSION} for bundles written by this version
 * @param task {@code text-classification} or {@code image-classification}
 * @param backbone which pretrained backbone, with its weights hash and preprocessing
 * @param labels class names, in output order
 * @param head the head's architecture
 * @param plan what trained and how
 * @param parameters trainable and total parameter counts
 * @param weights file name and SHA-256 of the weights file
 * @param training hyperparameters and the best epoch
 * @param metrics validation and test metrics measured at fit time
 * @param provenance data hash, seed, versions, timestamps
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BundleManifest(
        String format,
        @JsonProperty("format_version") int formatVersion,
        String task,
        BackboneRef backbone,
        List<String> labels,
        HeadRef head,
        FineTunePlan plan,
        Parameters parameters,
        WeightsRef weights,
        Map<String, Object> training,
        Map<String, Object> metrics,
        Map<String, Object> provenance) {

    /** Value of {@code format}. */
    public static final String FORMAT = "graft-bundle";
    /** The format version this code writes and reads. */
    public static final int VERSION = 1;

    /**
     * The backbone a bundle was trained on, so that loading can find and check it.
     *
     * @param id backbone registry id
     * @param weightsSha256 SHA-256 of its pretrained weights
     * @param preprocessing the backbone's preprocessing key
     * @param maxLength truncation length in tokens
     */
    public record BackboneRef(String id, @JsonProperty("weights_sha256") String weightsSha256, String preprocessing,
            @JsonProperty("max_length") int maxLength) {}

    /**
     * The classification head's architecture and calibration.
     *
     * @param hidden hidden width, 0 for linear
     * @param dropout dropout rate used in training
     * @param inputs feature length
     * @param temperature divides the logits before the softmax (temperature scaling); null for 1
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HeadRef(int hidden, double dropout, int inputs, Double temperature) {

        /**
         * A head without temperature scaling.
         *
         * @param hidden hidden width, 0 for linear
         * @param dropout dropout rate used in training
         * @param inputs feature length
         */
        public HeadRef(int hidden, double dropout, int inputs) {
            this(hidden, dropout, inputs, null);
        }
    }

    /**
     * How many parameters the model has, and how many training changed.
     *
     * @param trainable parameters that training changed
     * @param total all parameters of backbone and head
     */
    public record Parameters(long trainable, long total) {}

    /**
     * A weights file of the bundle, with the hash that loading checks.
     *
     * @param file file name inside the bundle
     * @param sha256 its SHA-256
     */
    public record WeightsRef(String file, String sha256) {}
}
