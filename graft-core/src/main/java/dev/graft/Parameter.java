package dev.graft;

/**
 * A request parameter that a {@link GraftException} can be about, with the domain term messages use
 * for it. Front ends map each to their own name (the command line to a flag such as {@code --lora-r})
 * and render messages with {@link GraftException#messageNaming}.
 */
public enum Parameter {
    /** The training data. */
    DATA("data"),
    /** The validation data. */
    VALIDATION_DATA("validation data"),
    /** The test data. */
    TEST_DATA("test data"),
    /** The column or field holding the text (or image path). */
    TEXT_COLUMN("text column"),
    /** The column or field holding the label. */
    LABEL_COLUMN("label column"),
    /** The maximum length of a text in tokens. */
    MAX_LENGTH("maximum length"),
    /** The backbone. */
    BACKBONE("backbone"),
    /** The adaptation strategy. */
    STRATEGY("strategy"),
    /** The classification head. */
    HEAD("head"),
    /** The number of epochs. */
    EPOCHS("number of epochs"),
    /** The learning rate. */
    LEARNING_RATE("learning rate"),
    /** The learning-rate schedule. */
    SCHEDULE("learning-rate schedule"),
    /** How much faster the head learns than the backbone. */
    LEARNING_RATE_RATIO("head-to-backbone learning-rate ratio"),
    /** The per-layer learning-rate decay. */
    LAYER_DECAY("layer-wise learning-rate decay"),
    /** The batch size. */
    BATCH_SIZE("batch size"),
    /** The weight decay. */
    WEIGHT_DECAY("weight decay"),
    /** The strength of the L2-SP penalty towards the pretrained weights. */
    L2SP("L2-SP strength"),
    /** The epochs without improvement before training stops early. */
    PATIENCE("patience"),
    /** The dropout inside the backbone while fine-tuning. */
    BACKBONE_DROPOUT("backbone dropout"),
    /** How the loss weighs classes. */
    CLASS_WEIGHTING("class weighting"),
    /** The rank of LoRA adapters. */
    LORA_RANK("LoRA rank"),
    /** The layers LoRA adapters attach to. */
    LORA_TARGETS("LoRA targets"),
    /** The number of prefix tokens of prefix tuning. */
    PREFIX_LENGTH("prefix length"),
    /** Where the model (or export) is written. */
    OUT("output"),
    /** Where fine-tuning checkpoints are written. */
    CHECKPOINT_DIR("checkpoint directory"),
    /** The image augmentation. */
    AUGMENTATION("augmentation"),
    /** The number of augmented views of each image whose features are cached. */
    CACHED_VIEWS("number of cached views"),
    /** The number of cross-validation folds of an audit. */
    FOLDS("number of folds"),
    /** The cosine similarity above which an audit calls two examples near duplicates. */
    NEAR_DUPLICATE_THRESHOLD("near-duplicate threshold"),
    /** The TCP port a server listens on. */
    PORT("port"),
    /** The most inputs a server scores in one forward pass. */
    MAX_BATCH("maximum batch"),
    /** How long a server's batch that is not full waits for more requests. */
    MAX_WAIT("batch wait"),
    /** The requests a server holds waiting to be scored. */
    QUEUE_CAPACITY("queue capacity"),
    /** The largest request body a server accepts. */
    MAX_BODY("maximum body size"),
    /** The most inputs in one request to a server. */
    MAX_INPUTS("maximum inputs per request"),
    /** The longest text a server accepts, in characters. */
    MAX_CHARS("maximum characters per input"),
    /** How long a server's request may wait before it is refused. */
    REQUEST_TIMEOUT("request timeout"),
    /** The inference engine of a served or predicting model. */
    ENGINE("engine"),
    /** The arithmetic a model runs in, e.g. int8 ({@link Precision}). */
    PRECISION("precision");

    private final String displayName;

    Parameter(String displayName) {
        this.displayName = displayName;
    }

    /** {@return the domain term for this parameter, e.g. {@code LoRA rank}} */
    public String displayName() {
        return displayName;
    }

    /** {@return the domain term, as {@link #displayName()}} */
    @Override
    public String toString() {
        return displayName;
    }
}
