package dev.graft.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class DatasetProfileTest {

    private static final ToIntFunction<String> WORDS = s -> s.isBlank() ? 0 : s.strip().split("\\s+").length;

    /** Texts of 1…10 words: 6 ham (1-6 words), 3 spam (7-9), 1 eggs (10). */
    private static TextDataset data() {
        List<TextExample> examples = new ArrayList<>();
        for (int n = 1; n <= 10; n++) {
            String label = n <= 6 ? "ham" : n <= 9 ? "spam" : "eggs";
            examples.add(new TextExample("w ".repeat(n).strip(), label));
        }
        return new TextDataset(examples, 2);
    }

    @Test
    void numbers() {
        DatasetProfile profile = DatasetProfile.of(data(), WORDS, 8);

        assertThat(profile.rows()).isEqualTo(10);
        assertThat(profile.classes()).isEqualTo(3);
        assertThat(profile.perClass()).containsExactly(Map.entry("eggs", 1), Map.entry("ham", 6),
                Map.entry("spam", 3));
        assertThat(profile.imbalanceRatio()).isCloseTo(6.0, within(1e-9));
        assertThat(profile.blankSkipped()).isEqualTo(2);
        assertThat(profile.tokenLengthPercentiles()).containsExactly(5, 9, 10, 10);
        assertThat(profile.p50()).isEqualTo(5);
        assertThat(profile.maxTokens()).isEqualTo(10);
        assertThat(profile.truncatedFraction()).isCloseTo(0.2, within(1e-9));
        assertThat(profile).isEqualTo(DatasetProfile.of(data(), WORDS, 8));
    }

    @Test
    void table() {
        String table = DatasetProfile.of(data(), WORDS, 8).toTable();

        assertThat(table).isEqualTo("""
                rows 10 · classes 3 · imbalance 6.00 · blank skipped 2
                  eggs  1   10.0%
                  ham   6   60.0%
                  spam  3   30.0%
                tokens p50 5 · p90 9 · p99 10 · max 10
                20.0% truncated at 8 tokens""");
    }

    @Test
    void largeCountsUseThousandsSeparators() {
        List<TextExample> examples = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            examples.add(new TextExample("x", i < 1000 ? "ham" : "spam"));
        }
        String table = DatasetProfile.of(TextDataset.of(examples), WORDS, 128).toTable();

        assertThat(table).startsWith("rows 1,500 · classes 2 · imbalance 2.00\n  ham   1,000   66.7%\n  spam    500   33.3%");
        assertThat(table).endsWith("0.0% truncated at 128 tokens");
    }
}
