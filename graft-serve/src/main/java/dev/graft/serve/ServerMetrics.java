package dev.graft.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** What {@code GET /metrics} reports, in the Prometheus text format. */
public final class ServerMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder().name("graft_requests_total")
            .help("HTTP requests by endpoint and status code").labelNames("endpoint", "status").register(registry);
    private final Histogram latency = Histogram.builder().name("graft_request_seconds")
            .help("Time from request to response, by endpoint").labelNames("endpoint").classicOnly()
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .register(registry);
    private final Histogram batchSize = Histogram.builder().name("graft_batch_size")
            .help("Texts per forward pass").classicOnly().classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128)
            .register(registry);
    private final Histogram queueWait = Histogram.builder().name("graft_queue_wait_seconds")
            .help("Time a request waited before its batch started").classicOnly()
            .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1).register(registry);
    private final Counter texts = Counter.builder().name("graft_texts_scored_total")
            .help("Texts classified").register(registry);
    private final Counter swaps = Counter.builder().name("graft_model_swaps_total")
            .help("Times a better model replaced the served one").register(registry);
    private final Counter workerDeaths = Counter.builder().name("graft_worker_deaths_total")
            .help("Times the scoring worker died (an Error such as OutOfMemoryError) and was started again or gave up")
            .register(registry);
    private final Gauge queueDepth = Gauge.builder().name("graft_queue_depth")
            .help("Requests waiting to be scored").register(registry);
    private final Info model = Info.builder().name("graft_model")
            .help("The model being served").labelNames("version", "strategy", "engine").register(registry);

    void request(String endpoint, int status, double seconds) {
        requests.labelValues(endpoint, Integer.toString(status)).inc();
        latency.labelValues(endpoint).observe(seconds);
    }

    void batch(int size) {
        batchSize.observe(size);
        texts.inc(size);
    }

    void waited(double seconds) {
        queueWait.observe(seconds);
    }

    void queueDepth(int depth) {
        queueDepth.set(depth);
    }

    void workerDied() {
        workerDeaths.inc();
    }

    void serving(ServedModel served, boolean swapped) {
        Object strategy = served.summary().getOrDefault("strategy", "");
        model.setLabelValues(served.version(), String.valueOf(strategy), String.valueOf(served.summary().get("engine")));
        if (swapped) {
            swaps.inc();
        }
    }

    /** {@return every metric in the Prometheus text exposition format} */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** {@return the content type of {@link #scrape()}} */
    public static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }
}
