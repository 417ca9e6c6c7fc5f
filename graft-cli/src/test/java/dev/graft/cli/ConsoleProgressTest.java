package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AtomicLong now = new AtomicLong();

    private ConsoleProgress progress(ConsoleProgress.Mode mode) {
        return new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), "texts", mode, now::get);
    }

    private String[] lines() {
        return bytes.toString(StandardCharsets.UTF_8).split("\n");
    }

    @Test
    void withoutATerminalItPrintsAPlainLineAtEachTenthAndNoCarriageReturns() {
        ConsoleProgress p = progress(ConsoleProgress.Mode.LINES);
        p.start("features", 1000);
        for (int i = 0; i < 100; i++) {
            now.addAndGet(100_000_000L); // 0.1 s per batch of 10
            p.advance(10);
        }
        p.finish();
        String[] lines = lines();
        assertThat(lines).hasSize(10); // 10 % … 90 %, then the summary
        assertThat(lines[0]).isEqualTo("features  10% 100/1,000 texts, 100.0 texts/s, ETA 0:00:09");
        assertThat(lines[9]).isEqualTo("features 100% 1,000 texts in 0:00:10 (100.0 texts/s)");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("\r");
    }

    @Test
    void slowWorkStillReportsEveryThirtySeconds() {
        ConsoleProgress p = progress(ConsoleProgress.Mode.LINES);
        p.start("cache train", 1000);
        for (int i = 0; i < 9; i++) {
            now.addAndGet(20_000_000_000L); // 20 s per step of 1, far below a tenth
            p.advance(1);
        }
        assertThat(lines()).hasSize(4); // at 40, 80, 120 and 160 s (every second step)
    }

    @Test
    void noneIsSilent() {
        ConsoleProgress p = progress(ConsoleProgress.Mode.NONE);
        p.start("features", 10);
        p.advance(10);
        p.finish();
        assertThat(bytes.size()).isZero();
    }
}
