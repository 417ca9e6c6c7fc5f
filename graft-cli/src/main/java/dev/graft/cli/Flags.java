package dev.graft.cli;

import dev.graft.Parameter;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** The {@code graft} command's flag for each {@link Parameter}, to name it in messages. */
public final class Flags {

    private static final Map<Parameter, String> FLAGS = flags();

    private Flags() {}

    private static Map<Parameter, String> flags() {
        Map<Parameter, String> m = new EnumMap<>(Parameter.class);
        m.put(Parameter.DATA, "--data");
        m.put(Parameter.VALIDATION_DATA, "--validation");
        m.put(Parameter.TEST_DATA, "--test");
        m.put(Parameter.TEXT_COLUMN, "--text-column");
        m.put(Parameter.LABEL_COLUMN, "--label-column");
        m.put(Parameter.MAX_LENGTH, "--max-length");
        m.put(Parameter.BACKBONE, "--backbone");
        m.put(Parameter.STRATEGY, "--strategy");
        m.put(Parameter.HEAD, "--head");
        m.put(Parameter.EPOCHS, "--epochs");
        m.put(Parameter.LEARNING_RATE, "--lr");
        m.put(Parameter.SCHEDULE, "--schedule");
        m.put(Parameter.LEARNING_RATE_RATIO, "--lr-ratio");
        m.put(Parameter.LAYER_DECAY, "--layer-decay");
        m.put(Parameter.BATCH_SIZE, "--batch-size");
        m.put(Parameter.WEIGHT_DECAY, "--weight-decay");
        m.put(Parameter.L2SP, "--l2sp");
        m.put(Parameter.PATIENCE, "--patience");
        m.put(Parameter.BACKBONE_DROPOUT, "--backbone-dropout");
        m.put(Parameter.CLASS_WEIGHTING, "--class-weights");
        m.put(Parameter.LORA_RANK, "--lora-r");
        m.put(Parameter.LORA_TARGETS, "--lora-targets");
        m.put(Parameter.PREFIX_LENGTH, "--prefix-tokens");
        m.put(Parameter.OUT, "--out");
        m.put(Parameter.CHECKPOINT_DIR, "--checkpoint-dir");
        m.put(Parameter.AUGMENTATION, "--augment");
        m.put(Parameter.CACHED_VIEWS, "--cached-views");
        m.put(Parameter.FOLDS, "--folds");
        m.put(Parameter.NEAR_DUPLICATE_THRESHOLD, "--near");
        m.put(Parameter.PORT, "--port");
        m.put(Parameter.MAX_BATCH, "--max-batch");
        m.put(Parameter.MAX_WAIT, "--max-wait");
        m.put(Parameter.QUEUE_CAPACITY, "--queue");
        m.put(Parameter.MAX_BODY, "--max-body");
        m.put(Parameter.MAX_INPUTS, "--max-inputs");
        m.put(Parameter.MAX_CHARS, "--max-chars");
        m.put(Parameter.REQUEST_TIMEOUT, "--timeout");
        m.put(Parameter.ENGINE, "--engine");
        m.put(Parameter.PRECISION, "--precision");
        return Collections.unmodifiableMap(m);
    }

    /**
     * @param parameter a request parameter
     * @return its flag, e.g. {@code --lora-r}; null for a parameter the command line has no flag for
     */
    public static String of(Parameter parameter) {
        return FLAGS.get(parameter);
    }

    /** @return every parameter's flag, in the order of {@link Parameter} */
    public static Map<Parameter, String> all() {
        return FLAGS;
    }
}
