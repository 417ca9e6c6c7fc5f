package dev.graft.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.graft.GraftException;
import dev.graft.Parameter;
import org.junit.jupiter.api.Test;

class ServeSettingsTest {

    @Test
    void aBadSettingIsNamedInDomainTermsAndCarriesItsParameter() {
        GraftException batch = catchThrowableOfType(GraftException.class,
                () -> ServeSettings.defaults().withBatching(0, 2_000));
        assertThat(batch.parameter()).isEqualTo(Parameter.MAX_BATCH);
        assertThat(batch.getMessage()).isEqualTo("maximum batch 0 must be at least 1 (1 turns micro-batching off)");

        GraftException port = catchThrowableOfType(GraftException.class, () -> ServeSettings.defaults().withPort(70_000));
        assertThat(port.parameter()).isEqualTo(Parameter.PORT);
        assertThat(port.getMessage()).doesNotContain("--").contains("70000", "between 0 and 65535");
        assertThat(port.messageNaming(p -> p == Parameter.PORT ? "--port" : null))
                .isEqualTo("--port 70000 must be between 0 and 65535");
    }
}
