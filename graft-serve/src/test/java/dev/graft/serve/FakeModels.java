package dev.graft.serve;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Models for server tests that score without a network: the probability of "long" is the text's
 * length over 100; a text starting {@code bad:} is refused as bad input.
 */
final class FakeModels {

    /** A fake model that records its batches, can be held inside a batch, and knows whether it was closed. */
    static final class Recorder {
        final List<Integer> batches = new CopyOnWriteArrayList<>();
        final AtomicBoolean closed = new AtomicBoolean();
        volatile CountDownLatch gate = new CountDownLatch(0);
        final CountDownLatch entered = new CountDownLatch(1);

        ServedModel model(String version, double validationMacroF1) {
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
                for (String t : texts) {
                    if (t.startsWith("bad:")) {
                        throw new dev.graft.GraftException(t + ": no such image file");
                    }
                }
                float[][] out = new float[texts.size()][];
                for (int i = 0; i < out.length; i++) {
                    float p = Math.min(1f, texts.get(i).length() / 100f);
                    out[i] = new float[] {1 - p, p};
                }
                return out;
            }, () -> closed.set(true), Map.of("engine", "fake", "strategy", "test"), validationMacroF1);
        }
    }

    private FakeModels() {}
}
