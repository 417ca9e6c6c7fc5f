package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Renders reports from small real runs and opens them in headless Chromium (installed by
 * {@code .ci/run}, which sets {@code GRAFT_REQUIRE_BROWSER=1} so that a missing browser fails
 * instead of skipping). The screenshot lands in {@code target/report-screenshot.png}.
 */
class ReportInBrowserTest extends CacheIsolatedTest {

    record Browser(String dom, String log) {}

    static Path chromium() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        return null;
    }

    static Browser open(Path chromium, Path page, String... extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(work, "profile"), "--enable-logging=stderr",
                "--v=0", "--window-size=1280,3200"));
        command.addAll(List.of(extra));
        command.add(page.toUri().toString());
        Path out = Files.createTempFile(work, "dom", ".html");
        Path err = Files.createTempFile(work, "browser", ".log");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        return new Browser(Files.readString(out), Files.readString(err));
    }

    static int graft(String... args) {
        return GraftCommand.execute(args, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    /** Chromium, or a skip; a failure instead when GRAFT_REQUIRE_BROWSER=1 (as in .ci/run, which installs it). */
    static Path requiredChromium() {
        Path browser = chromium();
        boolean required = "1".equals(System.getenv("GRAFT_REQUIRE_BROWSER"));
        assertThat(browser != null || !required).as("GRAFT_REQUIRE_BROWSER=1 but no chromium: .ci/run installs it").isTrue();
        assumeTrue(browser != null, "no headless Chromium on this machine");
        return browser;
    }

    @Test
    void compareAndFitReportsLoadWithTheirChartsAndNoConsoleErrors() throws Exception {
        Path browser = requiredChromium();

        Path data = GraftCommandTest.topicsIn(work, "topics.csv", 30, 11);
        Path report = work.resolve("compare.html");
        Path json = work.resolve("compare.json");
        assertThat(graft("compare", "--data", data.toString(), "--strategies", "feature-extraction,partial:1", "--seeds", "2",
                "--epochs", "1", "--no-advise", "--max-length", "32", "--report", report.toString(), "--json", json.toString()))
                .isZero();
        JsonNode summary = new ObjectMapper().readTree(json.toFile());
        assertThat(summary.get("summaries")).hasSize(2);
        assertThat(summary.get("runs")).hasSize(4);
        String html = Files.readString(report, StandardCharsets.UTF_8);
        assertThat(html).doesNotContain("<script src", "<link", "src=\"http", "href=\"http", "url(http");

        Browser page = open(browser, report, "--dump-dom");
        assertThat(page.dom()).contains("data-charts=\"5/5\"", "Which strategy, and what does it cost?",
                "Confusion matrix", "Learning curves", "Plans", "Provenance", "feature-extraction", "partial:1");
        assertThat(page.dom().split("<tr", -1).length).isGreaterThan(10);
        assertThat(page.log()).doesNotContain("CONSOLE", "Uncaught");

        Path screenshot = Path.of("target", "report-screenshot.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        open(browser, report, "--screenshot=" + screenshot, "--hide-scrollbars");
        byte[] png = Files.readAllBytes(screenshot);
        assertThat(png.length).isGreaterThan(20_000);
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");

        Path fitReport = work.resolve("fit.html");
        assertThat(graft("fit", "--data", data.toString(), "--strategy", "feature-extraction", "--max-length", "32",
                "--out", work.resolve("fit.graft").toString(), "--report", fitReport.toString())).isZero();
        Browser fit = open(browser, fitReport, "--dump-dom");
        assertThat(fit.dom()).contains("data-charts=\"1/1\"", "Confusion matrix", "Per class", "Provenance");
        assertThat(fit.log()).doesNotContain("CONSOLE", "Uncaught");
    }

    @Test
    void theConsoleCheckSeesAnError() throws Exception {
        Path browser = requiredChromium();
        Path bad = work.resolve("bad.html");
        Files.writeString(bad, "<html><body><script>console.error('seen'); missingFunction();</script></body></html>");
        Browser page = open(browser, bad, "--dump-dom");
        assertThat(page.log()).contains("CONSOLE", "Uncaught ReferenceError");
    }
}
