package dev.graft;

import dev.graft.train.EpochRecord;
import dev.graft.train.Progress;

/** Hears what a long {@link Graft#fit} is doing. */
public interface FitListener {

    /** Silent. */
    FitListener NONE = new FitListener() {};

    /** @param line a human-readable status line */
    default void info(String line) {}

    /** {@return progress sink for feature extraction} */
    default Progress progress() {
        return Progress.NONE;
    }

    /** @param epoch one finished epoch of head training */
    default void epoch(EpochRecord epoch) {}
}
