package dev.graft.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class StatisticsTest {

    @Test
    void meanMedianAndStudentInterval() {
        double[] f1 = {0.90, 0.92, 0.94};
        assertThat(Statistics.mean(f1)).isCloseTo(0.92, offset(1e-12));
        assertThat(Statistics.median(new double[] {5, 1, 3, 100})).isEqualTo(4);
        // sd 0.02, n 3, t(2) = 4.303: 4.303 * 0.02 / sqrt(3)
        assertThat(Statistics.interval95(f1)).isCloseTo(4.303 * 0.02 / Math.sqrt(3), offset(1e-9));
        assertThat(Statistics.interval95(new double[] {0.9})).isZero();
        double[] many = new double[40];
        for (int i = 0; i < many.length; i++) {
            many[i] = i % 2;
        }
        double sd = Math.sqrt(10.0 / 39);
        assertThat(Statistics.interval95(many)).as("normal approximation past 30 degrees of freedom")
                .isCloseTo(1.96 * sd / Math.sqrt(40), offset(1e-9));
    }

    private static StrategySummary summary(String name, double f1, double seconds, long bytes) {
        return new StrategySummary(name, 3, f1, 0.01, f1, f1, seconds, bytes, 1, 1, false);
    }

    @Test
    void theParetoFrontKeepsWhatNothingBeatsOnAllThreeAxes() {
        StrategySummary fast = summary("feature-extraction", 0.95, 5, 1L << 30);
        StrategySummary accurate = summary("full", 0.97, 700, 4L << 30);
        StrategySummary dominated = summary("partial:2", 0.94, 300, 3L << 30);
        StrategySummary lean = summary("lora", 0.96, 600, 3L << 30);
        assertThat(Comparison.dominates(fast, dominated)).isTrue();
        assertThat(Comparison.dominates(accurate, lean)).isFalse();
        assertThat(Comparison.dominates(fast, fast)).as("not better in anything").isFalse();
        var runs = java.util.List.<ComparedRun>of();
        assertThat(Comparison.summarise(java.util.List.of("x"), runs)).isEmpty();
    }
}
