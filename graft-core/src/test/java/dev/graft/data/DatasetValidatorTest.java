package dev.graft.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.GraftException;
import dev.graft.Parameter;
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
                .hasMessageStartingWith("label column category holds only one class 'spam'; a classifier needs at least two")
                .satisfies(e -> assertThat(((GraftException) e).value()).isEqualTo("category"));
    }

    @Test
    void tooManyClassesSuggestsWrongLabelColumn() {
        String[] ids = new String[20];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "id-" + i;
        }
        assertThatThrownBy(() -> DatasetValidator.check(labelled(ids), "id"))
                .isInstanceOf(GraftException.class)
                .hasMessageStartingWith("label column id gives 20 classes for 20 rows")
                .hasMessageContaining("choose another label column")
                .satisfies(e -> assertThat(((GraftException) e).parameter()).isEqualTo(Parameter.LABEL_COLUMN));
    }

    @Test
    void emptyIsRefused() {
        assertThatThrownBy(() -> DatasetValidator.check(TextDataset.empty())).hasMessageContaining("no examples");
    }
}
