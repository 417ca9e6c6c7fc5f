package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bundle.Bundle;
import dev.graft.bundle.BundleManifest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Same data and seed → the same weights (the SHA-256 of weights.safetensors) and the same metrics,
 * for feature extraction and for fine-tuning, each fit starting from an empty feature cache. The
 * bundle file itself differs by design: graft.json records when it was written
 * ({@code provenance.created_at}).
 */
class ReproducibilityTest extends CacheIsolatedTest {

    /** Fits with a feature cache of its own, empty: a second fit must not read the first one's features. */
    static BundleManifest fit(Path data, String strategy, String name) {
        Path out = work.resolve(name);
        System.setProperty("graft.cache", work.resolve("cache-" + name).toString());
        int status = GraftCommand.execute(new String[] {"fit", "--data", data.toString(), "--strategy", strategy, "--epochs", "1",
            "--max-length", "32", "--seed", "7", "--out", out.toString()}, new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()));
        assertThat(status).isZero();
        return Bundle.readManifest(out);
    }

    /** The record with every wall-time field removed (times vary from run to run). */
    @SuppressWarnings("unchecked")
    static Object withoutTimes(Object value) {
        if (value instanceof java.util.Map<?, ?> map) {
            java.util.Map<String, Object> out = new java.util.TreeMap<>();
            ((java.util.Map<String, Object>) map).forEach((k, v) -> {
                if (!k.equals("seconds")) {
                    out.put(k, withoutTimes(v));
                }
            });
            return out;
        }
        if (value instanceof java.util.List<?> list) {
            return list.stream().map(ReproducibilityTest::withoutTimes).toList();
        }
        return value;
    }

    @Test
    void sameDataAndSeedGiveTheSameWeightsAndMetrics() throws Exception {
        Path data = GraftCommandTest.topicsIn(work, "topics.csv", 16, 9);
        for (String strategy : new String[] {"feature-extraction", "partial:1"}) {
            BundleManifest first = fit(data, strategy, strategy.replace(':', '-') + "-1.graft");
            BundleManifest second = fit(data, strategy, strategy.replace(':', '-') + "-2.graft");
            assertThat(second.weights().sha256()).as(strategy + " weights").isEqualTo(first.weights().sha256());
            assertThat(second.metrics()).as(strategy + " metrics").isEqualTo(first.metrics());
            assertThat(withoutTimes(second.training())).as(strategy + " training record, times aside")
                    .isEqualTo(withoutTimes(first.training()));
        }
    }
}
