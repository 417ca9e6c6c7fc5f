package dev.graft.backbone.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.GraftException;
import dev.graft.io.ProtoWriter;
import org.junit.jupiter.api.Test;

class OnnxInitializersTest {

    /** A model whose graph holds one float initializer named {@code w} with these dimensions and raw values. */
    static byte[] modelWithInitializer(long[] dims, float... values) {
        ProtoWriter tensor = new ProtoWriter();
        for (long d : dims) {
            tensor.varint(1, d);
        }
        tensor.varint(2, 1).string(8, "w");
        if (values.length > 0) {
            java.nio.ByteBuffer raw = java.nio.ByteBuffer.allocate(4 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            raw.asFloatBuffer().put(values);
            tensor.bytes(9, raw.array());
        }
        return new ProtoWriter().message(7, new ProtoWriter().message(5, tensor)).toByteArray();
    }

    @Test
    void readsAFloatInitializer() {
        OnnxInitializers.FloatTensor w = OnnxInitializers.read(modelWithInitializer(new long[] {2}, 1.5f, -2), "tiny.onnx").get("w");
        assertThat(w.dims()).containsExactly(2);
        assertThat(w.values()).containsExactly(1.5f, -2);
    }

    @Test
    void dimensionsWhoseProductOverflowsToZeroAreRefused() {
        long[] dims = {1 << 16, 1 << 16, 1 << 16, 1 << 16};
        assertThatThrownBy(() -> OnnxInitializers.read(modelWithInitializer(dims), "bomb.onnx"))
                .isInstanceOf(GraftException.class)
                .hasMessage("bomb.onnx: initializer 'w' declares dimensions [65536, 65536, 65536, 65536], more than the "
                        + (1L << 28) + " elements a tensor may hold; the ONNX file is corrupt or not a supported model,"
                        + " fetch the model again");
    }

    @Test
    void aNegativeDimensionIsRefused() {
        assertThatThrownBy(() -> OnnxInitializers.read(modelWithInitializer(new long[] {-1, -4}), "negative.onnx"))
                .isInstanceOf(GraftException.class)
                .hasMessageContaining("negative.onnx: initializer 'w' declares dimensions [-1, -4] with a negative one");
    }

    @Test
    void aZeroDimensionIsAnEmptyTensorHoweverLargeTheOthers() {
        assertThat(OnnxInitializers.read(modelWithInitializer(new long[] {Long.MAX_VALUE, 0}), "empty.onnx").get("w").values())
                .isEmpty();
    }
}
