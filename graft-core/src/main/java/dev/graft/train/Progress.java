package dev.graft.train;

/** Receives progress of long work: a named task with a known amount of steps. */
public interface Progress {

    /** Ignores everything. */
    Progress NONE = new Progress() {
        @Override
        public void start(String task, long total) {}

        @Override
        public void advance(long steps) {}

        @Override
        public void finish() {}
    };

    /**
     * @param task short name, e.g. {@code features}
     * @param total steps expected
     */
    void start(String task, long total);

    /** @param steps steps just finished */
    void advance(long steps);

    /** The task is over. */
    void finish();
}
