package dev.graft.spark;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * What an executor JVM loads once and reuses across partitions and tasks: backbones and models,
 * by key. Tasks running at the same time each borrow their own instance (a backbone serves one
 * thread at a time), so a JVM holds at most as many as it runs tasks at once.
 *
 * @param <T> what is pooled
 */
final class ExecutorPool<T extends AutoCloseable> {

    private final Function<String, T> loader;
    private final Map<String, Deque<T>> idle = new HashMap<>();
    private final AtomicInteger loads = new AtomicInteger();

    ExecutorPool(Function<String, T> loader) {
        this.loader = loader;
    }

    /** {@return an idle instance for {@code key}, loaded if there is none; give it back when done} */
    T borrow(String key) {
        synchronized (this) {
            Deque<T> free = idle.get(key);
            if (free != null && !free.isEmpty()) {
                return free.pop();
            }
        }
        loads.incrementAndGet();
        return loader.apply(key);
    }

    synchronized void giveBack(String key, T value) {
        idle.computeIfAbsent(key, k -> new ArrayDeque<>()).push(value);
    }

    /** {@return how many instances this JVM has loaded so far} */
    int loads() {
        return loads.get();
    }
}
