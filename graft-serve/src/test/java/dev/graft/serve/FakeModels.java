package dev.graft.serve;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Models for server tests that score without a network: the probability of "long" is the text's
 * length over 100; a text starting {@code bad:} or a file named {@code bad.png} is refused as bad input.
 */
final class FakeModels {

    /**
     * A fake model that records its batches and inputs, can be held inside a batch, can throw an
     * {@link Error} on its next passes, and knows whether it was closed.
     */
    static final class Recorder {
        final List<Integer> batches = new CopyOnWriteArrayList<>();
        final List<String> scored = new CopyOnWriteArrayList<>();
        final AtomicBoolean closed = new AtomicBoolean();
        final AtomicInteger errorsLeft = new AtomicInteger();
        volatile Error error;
        volatile CountDownLatch gate = new CountDownLatch(0);
        final CountDownLatch entered = new CountDownLatch(1);

        /** The next {@code times} passes throw {@code error} instead of scoring. */
        Recorder failing(int times, Error error) {
            this.error = error;
            errorsLeft.set(times);
            return this;
        }

        ServedModel model(String version, double validationMacroF1) {
            return model(version, validationMacroF1, false);
        }

        /** A model whose inputs are image files, as far as the server is concerned. */
        ServedModel imageModel(String version) {
            return model(version, 0.9, true);
        }

        private ServedModel model(String version, double validationMacroF1, boolean readsImages) {
            return new ServedModel(version, List.of("short", "long"), texts -> {
                batches.add(texts.size());
                entered.countDown();
                try {
                    if (!gate.await(20, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("test gate never opened");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (errorsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw error;
                }
                for (String t : texts) {
                    if (t.startsWith("bad:")) {
                        throw new dev.graft.GraftException(t + ": no such image file");
                    }
                    if (t.endsWith("bad.png")) {
                        throw new dev.graft.GraftException(t + ": corrupt image (test)");
                    }
                }
                scored.addAll(texts);
                float[][] out = new float[texts.size()][];
                for (int i = 0; i < out.length; i++) {
                    float p = Math.min(1f, texts.get(i).length() / 100f);
                    out[i] = new float[] {1 - p, p};
                }
                return out;
            }, () -> closed.set(true), Map.of("engine", "fake", "strategy", "test"), validationMacroF1, readsImages);
        }
    }

    private FakeModels() {}
}
