package dev.graft.serve;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A closed-loop load test against {@code POST /v1/predict}: each client sends one request, waits
 * for the answer, and sends the next, for a fixed time. Latencies of the measured window give the
 * percentiles; every status other than 200 counts as an error.
 */
public final class LoadGenerator {

    /**
     * What one run measured.
     *
     * @param clients concurrent clients
     * @param seconds length of the measured window
     * @param requests requests answered in the window
     * @param errors answers other than 200, and transport failures
     * @param throughput requests per second
     * @param p50Millis median latency
     * @param p99Millis 99th percentile latency
     * @param maxMillis slowest answer
     * @param statuses count per HTTP status (0 = no answer)
     * @param versions count per model version named in the answers
     */
    public record Result(int clients, double seconds, long requests, long errors, double throughput, double p50Millis,
            double p99Millis, double maxMillis, Map<Integer, Long> statuses, Map<String, Long> versions) {}

    private static final Pattern VERSION = Pattern.compile("\"model_version\":\"([^\"]+)\"");

    private LoadGenerator() {}

    /**
     * Sends requests from concurrent clients and measures throughput and latency.
     *
     * @param url the predict endpoint, e.g. {@code http://127.0.0.1:8080/v1/predict}
     * @param texts inputs, sent one per request in turn
     * @param clients concurrent clients
     * @param warmupSeconds load before the measured window (not counted)
     * @param seconds the measured window
     * @return the measurements
     * @throws InterruptedException if the calling thread is interrupted while the clients run
     */
    public static Result run(String url, List<String> texts, int clients, double warmupSeconds, double seconds)
            throws InterruptedException {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("no texts to send");
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<byte[]> bodies = new ArrayList<>();
        for (String t : texts) {
            bodies.add(("{\"inputs\":" + quote(t) + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        long begin = System.nanoTime();
        long measureFrom = begin + (long) (warmupSeconds * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        AtomicLong next = new AtomicLong();
        final class Latencies {
            long[] values = new long[1024];
            int count;

            void add(long nanos) {
                if (count == values.length) {
                    values = Arrays.copyOf(values, count * 2);
                }
                values[count++] = nanos;
            }
        }
        List<Latencies> latencies = new ArrayList<>();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        Map<String, AtomicLong> versions = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Latencies mine = new Latencies();
            latencies.add(mine);
            Thread t = new Thread(() -> {
                while (true) {
                    long sent = System.nanoTime();
                    if (sent >= end) {
                        break;
                    }
                    byte[] body = bodies.get((int) (next.getAndIncrement() % bodies.size()));
                    int status;
                    String answer = "";
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                        status = r.statusCode();
                        answer = r.body();
                    } catch (Exception e) {
                        status = 0;
                    }
                    long done = System.nanoTime();
                    if (sent >= measureFrom && done <= end) {
                        statuses.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
                        Matcher m = VERSION.matcher(answer);
                        if (m.find()) {
                            versions.computeIfAbsent(m.group(1), k -> new AtomicLong()).incrementAndGet();
                        }
                        mine.add(done - sent);
                    }
                }
            }, "load-client-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long[] all = new long[latencies.stream().mapToInt(l -> l.count).sum()];
        int at = 0;
        for (Latencies l : latencies) {
            System.arraycopy(l.values, 0, all, at, l.count);
            at += l.count;
        }
        Arrays.sort(all);
        Map<Integer, Long> byStatus = new TreeMap<>();
        statuses.forEach((k, v) -> byStatus.put(k, v.get()));
        Map<String, Long> byVersion = new TreeMap<>();
        versions.forEach((k, v) -> byVersion.put(k, v.get()));
        long ok = byStatus.getOrDefault(200, 0L);
        long requests = byStatus.values().stream().mapToLong(Long::longValue).sum();
        return new Result(clients, seconds, requests, requests - ok, requests / seconds, percentile(all, 0.50),
                percentile(all, 0.99), all.length == 0 ? Double.NaN : all[all.length - 1] / 1e6, byStatus, byVersion);
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    private static String quote(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
