package dev.graft.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EpochLogTest {

    @TempDir
    Path dir;

    @Test
    void skippedStepsAreLoggedAndOlderLinesWithoutThemReadAsNone() throws IOException {
        Path file = dir.resolve("log.jsonl");
        try (EpochLog log = new EpochLog(file)) {
            log.write(new EpochRecord(1, "unfreeze", 0.5, 0.4, 0.9, 1e-3, 2, 0.88, 2));
        }
        Files.writeString(file, "{\"epoch\":2,\"stage\":\"unfreeze\",\"trainLoss\":0.3,\"validationLoss\":0.3,"
                + "\"validationAccuracy\":0.95,\"learningRate\":5.0E-4,\"seconds\":2.0,\"validationMacroF1\":0.94}\n",
                java.nio.file.StandardOpenOption.APPEND);
        List<EpochRecord> records = EpochLog.read(file);
        assertThat(records).extracting(EpochRecord::skippedSteps).containsExactly(2, 0);
    }
}
