package dev.graft.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdxCacheTest {

    private final List<Path> reads = new ArrayList<>();

    private IdxFile read(Path file) {
        reads.add(file);
        int bytes = Integer.parseInt(file.getFileName().toString());
        return new IdxFile(1, 1, bytes, new byte[bytes]);
    }

    @Test
    void keepsRecentlyUsedFilesWithinItsBudgetAndAlwaysTheLastOne() {
        IdxCache cache = new IdxCache(100, this::read);
        Path a = Path.of("40");
        Path b = Path.of("50");
        Path c = Path.of("30");
        cache.get(a);
        cache.get(b);
        cache.get(a);
        assertThat(reads).as("read once while kept").containsExactly(a, b);
        cache.get(c);
        assertThat(cache.size()).as("b, least recently used, made room for c").isEqualTo(2);
        cache.get(a);
        cache.get(b);
        assertThat(reads).containsExactly(a, b, c, b);

        Path huge = Path.of("500");
        assertThat(cache.get(huge).data()).hasSize(500);
        assertThat(cache.size()).as("over the budget alone, yet kept as the last one read").isEqualTo(1);
        cache.get(huge);
        assertThat(reads).endsWith(huge).filteredOn(huge::equals).hasSize(1);
    }
}
