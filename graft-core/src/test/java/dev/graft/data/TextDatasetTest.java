package dev.graft.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.GraftException;
import dev.graft.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextDatasetTest {

    private static final TextDataset DATA = new TextDataset(List.of(
            new TextExample("a", "spam"), new TextExample("b", "ham"), new TextExample("c", "spam")), 4);

    @Test
    void helpers() {
        assertThat(DATA.size()).isEqualTo(3);
        assertThat(DATA.labels()).containsExactly("ham", "spam");
        assertThat(DATA.texts()).containsExactly("a", "b", "c");
        assertThat(DATA.countsPerLabel()).containsExactly(Map.entry("ham", 1), Map.entry("spam", 2));
        assertThat(DATA.blankSkipped()).isEqualTo(4);
    }

    @Test
    void subsetPicksInGivenOrder() {
        TextDataset sub = DATA.subset(new int[] {2, 0});
        assertThat(sub.texts()).containsExactly("c", "a");
        assertThat(sub.blankSkipped()).isZero();
        assertThatThrownBy(() -> DATA.subset(new int[] {3})).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void isImmutable() {
        List<TextExample> source = new ArrayList<>(List.of(new TextExample("a", "x")));
        TextDataset data = TextDataset.of(source);
        source.add(new TextExample("b", "y"));
        assertThat(data.size()).isEqualTo(1);
        assertThatThrownBy(() -> data.examples().add(new TextExample("c", "z")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new TextExample(null, "x")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void optionsDefaultsAndWithers() {
        TextLoadOptions options = TextLoadOptions.defaults();
        assertThat(options).isEqualTo(new TextLoadOptions("text", "label", false));
        assertThat(options.withTextColumn("body").withLabelColumn("y").withStrict(true))
                .isEqualTo(new TextLoadOptions("body", "y", true));
        assertThatThrownBy(() -> options.withTextColumn(" "))
                .isInstanceOf(GraftException.class)
                .hasMessage("text column is blank; give the name of the column that holds the texts")
                .satisfies(e -> assertThat(((GraftException) e).parameter()).isEqualTo(Parameter.TEXT_COLUMN));
    }
}
