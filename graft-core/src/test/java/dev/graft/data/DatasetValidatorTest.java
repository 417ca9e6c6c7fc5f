package dev.graft.data;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.GraftException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetValidatorTest {

    private static TextDataset labelled(String... labels) {
        List<TextExample> examples = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            examples.add(new TextExample("text " + i, labels[i]));
        }
        return TextDataset.of(examples);
    }

    @Test
    void twoClassesWithEnoughRowsPass() {
        assertThatCode(() -> DatasetValidator.check(labelled("a", "a", "a", "a", "a", "b", "b", "b", "b", "b")))
                .doesNotThrowAnyException();
    }

    @Test
    void oneClassIsRefused() {
        assertThatThrownBy(() -> DatasetValidator.check(labelled("spam", "spam", "spam"), "category"))
                .isInstanceOf(GraftException.class)
                .hasMessageStartingWith("only one class 'spam' in column 'category'; a classifier needs at least two");
    }

    @Test
    void tooManyClassesSuggestsWrongLabelColumn() {
        String[] ids = new String[20];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "id-" + i;
        }
        assertThatThrownBy(() -> DatasetValidator.check(labelled(ids), "id"))
                .isInstanceOf(GraftException.class)
                .hasMessageContaining("20 classes for 20 rows")
                .hasMessageContaining("'id'")
                .hasMessageContaining("--label-column");
    }

    @Test
    void emptyIsRefused() {
        assertThatThrownBy(() -> DatasetValidator.check(TextDataset.empty())).hasMessageContaining("no examples");
    }
}
