package dev.graft.spark;

import dev.graft.Parameter;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The graft-spark jobs' flag for each {@link Parameter} they take, to name it in messages; a
 * parameter the jobs do not take keeps its domain term.
 */
public final class SparkFlags {

    private static final Map<Parameter, String> FLAGS = flags();

    private SparkFlags() {}

    private static Map<Parameter, String> flags() {
        Map<Parameter, String> m = new EnumMap<>(Parameter.class);
        m.put(Parameter.DATA, "--data");
        m.put(Parameter.TEXT_COLUMN, "--text-column");
        m.put(Parameter.LABEL_COLUMN, "--label-column");
        m.put(Parameter.BACKBONE, "--backbone");
        m.put(Parameter.MAX_LENGTH, "--max-length");
        m.put(Parameter.BATCH_SIZE, "--batch-size");
        m.put(Parameter.HEAD, "--head");
        m.put(Parameter.OUT, "--out");
        m.put(Parameter.PRECISION, "--precision");
        return Collections.unmodifiableMap(m);
    }

    /**
     * Names a request parameter as graft-spark's flags do, for messages.
     *
     * @param parameter a request parameter
     * @return its graft-spark flag, e.g. {@code --text-column}; null when no job takes it
     */
    public static String of(Parameter parameter) {
        return FLAGS.get(parameter);
    }

    /** {@return the flags of the parameters the jobs take} */
    public static Map<Parameter, String> all() {
        return FLAGS;
    }
}
