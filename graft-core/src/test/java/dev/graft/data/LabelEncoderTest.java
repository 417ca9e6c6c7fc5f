package dev.graft.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.GraftException;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelEncoderTest {

    @Test
    void fitSortsDistinctLabels() {
        LabelEncoder encoder = LabelEncoder.fit(List.of("spam", "ham", "spam", "eggs"));

        assertThat(encoder.labels()).containsExactly("eggs", "ham", "spam");
        assertThat(encoder.size()).isEqualTo(3);
        assertThat(encoder.encode("ham")).isEqualTo(1);
        assertThat(encoder.decode(2)).isEqualTo("spam");
    }

    @Test
    void ofKeepsOrderAndRejectsDuplicates() {
        assertThat(LabelEncoder.of(List.of("z", "a")).encode("z")).isZero();
        assertThatThrownBy(() -> LabelEncoder.of(List.of("a", "b", "a")))
                .isInstanceOf(GraftException.class)
                .hasMessageContaining("'a' appears twice");
    }

    @Test
    void unseenLabelNamesItAndListsKnownOnes() {
        LabelEncoder encoder = LabelEncoder.fit(List.of("ham", "spam"));

        assertThatThrownBy(() -> encoder.encode("eggs"))
                .isInstanceOf(GraftException.class)
                .hasMessageContaining("'eggs'")
                .hasMessageContaining("known labels: ham, spam");
    }

    @Test
    void encodeAll() {
        TextDataset data = TextDataset.of(List.of(new TextExample("a", "spam"), new TextExample("b", "ham")));
        assertThat(LabelEncoder.fit(data.labels()).encodeAll(data)).containsExactly(1, 0);
        assertThat(LabelEncoder.fit(data.labels())).isEqualTo(LabelEncoder.of(List.of("ham", "spam")));
    }
}
