package dev.graft.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Starts a replacement scoring worker only when the test says so, so a test can see the server while its worker is down. */
final class HeldRestarts implements Executor {

    private final BlockingQueue<Runnable> requested = new LinkedBlockingQueue<>();

    @Override
    public void execute(Runnable worker) {
        requested.add(worker);
    }

    /** @return the next replacement worker asked for, waiting for the request up to 10 s */
    Runnable next() throws InterruptedException {
        Runnable worker = requested.poll(10, TimeUnit.SECONDS);
        assertThat(worker).as("a replacement worker was asked for").isNotNull();
        return worker;
    }

    /** Runs {@code worker} on a thread of its own, as the server does. */
    static void start(Runnable worker) {
        Thread thread = new Thread(worker, "test-batcher");
        thread.setDaemon(true);
        thread.start();
    }
}
