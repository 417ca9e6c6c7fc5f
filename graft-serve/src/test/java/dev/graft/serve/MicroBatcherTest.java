package dev.graft.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MicroBatcherTest {

    private static String text(int length) {
        return "x".repeat(length);
    }

    @Test
    void concurrentRequestsShareAForwardPassAndGetTheirOwnScores() throws Exception {
        FakeModels.Recorder fake = new FakeModels.Recorder();
        ModelSlot slot = new ModelSlot(fake.model("v1", 0.9));
        fake.gate = new CountDownLatch(1);
        try (MicroBatcher batcher = new MicroBatcher(slot, ServeSettings.defaults().withBatching(8, 0), new ServerMetrics())) {
            CompletableFuture<MicroBatcher.Scored> first = batcher.submit(List.of(text(10)));
            assertThat(fake.entered.await(10, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<MicroBatcher.Scored>> queued = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                queued.add(batcher.submit(List.of(text(10 + i))));
            }
            fake.gate.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).probabilities()[0][1]).isEqualTo(0.10f);
            for (int i = 0; i < queued.size(); i++) {
                MicroBatcher.Scored scored = queued.get(i).get(10, TimeUnit.SECONDS);
                assertThat(scored.version()).isEqualTo("v1");
                assertThat(scored.probabilities()).hasDimensions(1, 2);
                assertThat(scored.probabilities()[0][1]).as("request %d gets its own row", i).isEqualTo((11 + i) / 100f);
            }
            assertThat(fake.batches).as("1 alone while the others queue, then batches of at most 8").containsExactly(1, 8, 2);
        }
    }

    @Test
    void oneBadInputFailsOnlyItsOwnRequestWith400() throws Exception {
        FakeModels.Recorder fake = new FakeModels.Recorder();
        ModelSlot slot = new ModelSlot(fake.model("v1", 0.9));
        fake.gate = new CountDownLatch(1);
        try (MicroBatcher batcher = new MicroBatcher(slot, ServeSettings.defaults().withBatching(8, 0), new ServerMetrics())) {
            CompletableFuture<MicroBatcher.Scored> first = batcher.submit(List.of(text(10)));
            assertThat(fake.entered.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<MicroBatcher.Scored> good = batcher.submit(List.of(text(20)));
            CompletableFuture<MicroBatcher.Scored> bad = batcher.submit(List.of("bad:/x.png"));
            fake.gate.countDown();
            first.get(10, TimeUnit.SECONDS);
            assertThat(good.get(10, TimeUnit.SECONDS).probabilities()[0][1]).isEqualTo(0.2f);
            assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ApiError.class)
                    .cause().satisfies(e -> {
                        assertThat(((ApiError) e).status()).isEqualTo(400);
                        assertThat(e.getMessage()).contains("bad:/x.png: no such image file");
                    });
        }
    }

    @Test
    void withoutBatchingEveryRequestIsItsOwnPass() throws Exception {
        FakeModels.Recorder fake = new FakeModels.Recorder();
        ModelSlot slot = new ModelSlot(fake.model("v1", 0.9));
        try (MicroBatcher batcher = new MicroBatcher(slot, ServeSettings.defaults().withBatching(1, 2_000), new ServerMetrics())) {
            List<CompletableFuture<MicroBatcher.Scored>> all = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                all.add(batcher.submit(List.of(text(5))));
            }
            all.add(batcher.submit(List.of(text(5), text(6), text(7))));
            for (CompletableFuture<MicroBatcher.Scored> f : all) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertThat(fake.batches).containsExactly(1, 1, 1, 1, 1, 3);
        }
    }

    @Test
    void aFullQueueRefusesAtOnceWith503() throws Exception {
        FakeModels.Recorder fake = new FakeModels.Recorder();
        fake.gate = new CountDownLatch(1);
        ModelSlot slot = new ModelSlot(fake.model("v1", 0.9));
        ServeSettings settings = ServeSettings.defaults().withBatching(1, 0).withLimits(2, 4096, 8, 100, true);
        try (MicroBatcher batcher = new MicroBatcher(slot, settings, new ServerMetrics())) {
            CompletableFuture<MicroBatcher.Scored> running = batcher.submit(List.of("a"));
            assertThat(fake.entered.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<MicroBatcher.Scored> second = batcher.submit(List.of("b"));
            CompletableFuture<MicroBatcher.Scored> third = batcher.submit(List.of("c"));
            assertThatThrownBy(() -> batcher.submit(List.of("d"))).isInstanceOfSatisfying(ApiError.class,
                    e -> assertThat(e.status()).isEqualTo(503));
            fake.gate.countDown();
            running.get(10, TimeUnit.SECONDS);
            second.get(10, TimeUnit.SECONDS);
            third.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSwapLetsTheRunningBatchFinishOnTheOldModelThenFreesIt() throws Exception {
        FakeModels.Recorder old = new FakeModels.Recorder();
        old.gate = new CountDownLatch(1);
        FakeModels.Recorder better = new FakeModels.Recorder();
        ModelSlot slot = new ModelSlot(old.model("v1", 0.8));
        try (MicroBatcher batcher = new MicroBatcher(slot, ServeSettings.defaults().withBatching(8, 0), new ServerMetrics())) {
            CompletableFuture<MicroBatcher.Scored> inFlight = batcher.submit(List.of("scored by the old model"));
            assertThat(old.entered.await(10, TimeUnit.SECONDS)).isTrue();
            slot.swap(better.model("v2", 0.9));
            assertThat(old.closed).as("still scoring a batch").isFalse();
            CompletableFuture<MicroBatcher.Scored> after = batcher.submit(List.of("scored by the new model"));
            old.gate.countDown();
            assertThat(inFlight.get(10, TimeUnit.SECONDS).version()).isEqualTo("v1");
            assertThat(after.get(10, TimeUnit.SECONDS).version()).isEqualTo("v2");
            assertThat(old.closed).as("freed once its last batch returned it").isTrue();
            assertThat(better.closed).isFalse();
        }
        slot.close();
        assertThat(better.closed).isTrue();
    }

    @Test
    void closingScoresWhatIsQueuedThenRefuses() throws Exception {
        FakeModels.Recorder fake = new FakeModels.Recorder();
        fake.gate = new CountDownLatch(1);
        ModelSlot slot = new ModelSlot(fake.model("v1", 0.9));
        MicroBatcher batcher = new MicroBatcher(slot, ServeSettings.defaults().withBatching(1, 0), new ServerMetrics());
        CompletableFuture<MicroBatcher.Scored> running = batcher.submit(List.of("a"));
        CompletableFuture<MicroBatcher.Scored> queued = batcher.submit(List.of("b"));
        assertThat(fake.entered.await(10, TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(batcher::close);
        closer.start();
        fake.gate.countDown();
        closer.join(10_000);
        assertThat(running.get(1, TimeUnit.SECONDS).version()).isEqualTo("v1");
        assertThat(queued.get(1, TimeUnit.SECONDS).version()).isEqualTo("v1");
        assertThatThrownBy(() -> batcher.submit(List.of("c"))).isInstanceOf(ApiError.class);
    }

    @Test
    void noModelYetMeans503() {
        try (MicroBatcher batcher = new MicroBatcher(new ModelSlot(null), ServeSettings.defaults(), new ServerMetrics())) {
            assertThatThrownBy(() -> batcher.submit(List.of("a")).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(ApiError.class,
                            e -> assertThat(e.code()).isEqualTo("not_ready"));
        }
    }

    @Test
    void aRequestThatTimesOutWhileQueuedLeavesTheQueueAndIsNeverScored() throws Exception {
        FakeModels.Recorder fake = new FakeModels.Recorder();
        fake.gate = new CountDownLatch(1);
        ModelSlot slot = new ModelSlot(fake.model("v1", 0.9));
        MicroBatcher batcher = new MicroBatcher(slot, ServeSettings.defaults().withBatching(8, 0), new ServerMetrics());
        CompletableFuture<MicroBatcher.Scored> running = batcher.submit(List.of("running"), 60_000);
        assertThat(fake.entered.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<MicroBatcher.Scored> late = batcher.submit(List.of("timed out"), 1);
        assertThatThrownBy(() -> late.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(TimeoutException.class);
        CompletableFuture<MicroBatcher.Scored> next = batcher.submit(List.of("next"), 60_000);
        fake.gate.countDown();
        assertThat(running.get(10, TimeUnit.SECONDS).version()).isEqualTo("v1");
        assertThat(next.get(10, TimeUnit.SECONDS).version()).isEqualTo("v1");
        batcher.close();
        assertThat(fake.scored).containsExactly("running", "next");
        assertThat(batcher.waiting()).isZero();
    }

    @Test
    void aWorkerKilledByAnErrorFailsItsBatchIsReportedDownAndComesBack() throws Exception {
        FakeModels.Recorder fake = new FakeModels.Recorder().failing(1, new OutOfMemoryError("test: Java heap space"));
        HeldRestarts restarts = new HeldRestarts();
        List<String> log = new CopyOnWriteArrayList<>();
        AtomicBoolean gaveUp = new AtomicBoolean();
        try (MicroBatcher batcher = new MicroBatcher(new ModelSlot(fake.model("v1", 0.9)), ServeSettings.defaults(),
                new ServerMetrics(), log::add, () -> gaveUp.set(true), restarts)) {
            CompletableFuture<MicroBatcher.Scored> killed = batcher.submit(List.of("a"));
            assertThatThrownBy(() -> killed.get(10, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(ApiError.class, e -> {
                assertThat(e.status()).isEqualTo(500);
                assertThat(e.code()).isEqualTo("worker_failed");
                assertThat(e.getMessage()).contains("OutOfMemoryError").doesNotContain("\tat ");
            });
            assertThat(batcher.working()).isFalse();
            Runnable replacement = restarts.next();
            CompletableFuture<MicroBatcher.Scored> queuedWhileDown = batcher.submit(List.of("bb"));
            assertThat(queuedWhileDown).isNotDone();
            HeldRestarts.start(replacement);
            assertThat(queuedWhileDown.get(10, TimeUnit.SECONDS).probabilities()[0][1]).isEqualTo(0.02f);
            assertThat(batcher.working()).isTrue();
        }
        assertThat(gaveUp).isFalse();
        assertThat(log).anyMatch(l -> l.startsWith("the scoring worker died: java.lang.OutOfMemoryError: test: Java heap space\n")
                && l.contains("\tat "));
        assertThat(log).anyMatch(l -> l.startsWith("restarting the scoring worker"));
    }

    @Test
    void aWorkerThatKeepsDyingStaysDownRefusesRequestsAndCallsTheGiveUpAction() throws Exception {
        FakeModels.Recorder fake = new FakeModels.Recorder().failing(Integer.MAX_VALUE, new StackOverflowError("test"));
        List<String> log = new CopyOnWriteArrayList<>();
        CountDownLatch gaveUp = new CountDownLatch(1);
        try (MicroBatcher batcher = new MicroBatcher(new ModelSlot(fake.model("v1", 0.9)), ServeSettings.defaults(),
                new ServerMetrics(), log::add, gaveUp::countDown, MicroBatcher::startThread)) {
            for (int death = 1; death <= MicroBatcher.MAX_DEATHS; death++) {
                CompletableFuture<MicroBatcher.Scored> killed = batcher.submit(List.of("a"));
                assertThatThrownBy(() -> killed.get(10, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(ApiError.class,
                        e -> assertThat(e.code()).isEqualTo("worker_failed"));
            }
            assertThat(gaveUp.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(batcher.working()).isFalse();
            assertThatThrownBy(() -> batcher.submit(List.of("b"))).isInstanceOfSatisfying(ApiError.class, e -> {
                assertThat(e.status()).isEqualTo(503);
                assertThat(e.code()).isEqualTo("worker_stopped");
            });
        }
        assertThat(log).anyMatch(l -> l.contains("died " + MicroBatcher.MAX_DEATHS + " times within"));
        assertThat(log.stream().filter(l -> l.startsWith("restarting"))).hasSize(MicroBatcher.MAX_DEATHS - 1);
    }
}
