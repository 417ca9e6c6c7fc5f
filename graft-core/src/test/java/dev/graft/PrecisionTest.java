package dev.graft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PrecisionTest {

    @Test
    void namesParseAndBundlesRecordThePrecisionInTheirPreprocessingKey() {
        assertThat(Precision.parse(" INT8 ")).isEqualTo(Precision.INT8);
        assertThat(Precision.parse("fp32")).isEqualTo(Precision.FP32);
        assertThat(Precision.ofKey("tokenizer=ab;maxLength=128;mean+l2;precision=int8")).isEqualTo(Precision.INT8);
        assertThat(Precision.ofKey("tokenizer=ab;maxLength=128;mean+l2")).isEqualTo(Precision.FP32);
        assertThat(Precision.ofKey(null)).isEqualTo(Precision.FP32);
        assertThatThrownBy(() -> Precision.parse("int4")).isInstanceOf(GraftException.class)
                .hasMessage("precision int4 is not known; use fp32 or int8");
    }

    @Test
    void bfloat16IsRefusedWithTheReason() {
        assertThatThrownBy(() -> Precision.parse("bf16")).isInstanceOf(GraftException.class)
                .hasMessageStartingWith("precision bf16 is not available: fine-tuning runs on DJL's PyTorch engine, whose native"
                        + " layer has no bfloat16 tensors")
                .hasMessageEndingWith("fine-tune in fp32, and use int8 for frozen features and exports");
    }
}
