package dev.graft.backbone.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.GraftException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class TfjsModelTest {

    private static final String LAYERS = "{\"modelTopology\":{\"model_config\":{\"config\":{\"layers\":["
            + "{\"name\":\"in\",\"class_name\":\"InputLayer\",\"config\":{},\"inbound_nodes\":[]},"
            + "{\"name\":\"c\",\"class_name\":\"Conv2D\",\"config\":{\"strides\":[2,2]},\"inbound_nodes\":[[[\"in\",0,0,{}]]]}]}}},";

    private static byte[] json(String manifest) {
        return (LAYERS + "\"weightsManifest\":[{\"paths\":[\"p\"],\"weights\":[" + manifest + "]}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static final String TWO = "{\"name\":\"c/kernel\",\"shape\":[1,1,3,1],\"dtype\":\"float32\","
            + "\"quantization\":{\"min\":-0.5,\"scale\":0.25,\"dtype\":\"uint8\"}},"
            + "{\"name\":\"c_bn/gamma\",\"shape\":[2],\"dtype\":\"float32\"}";

    private static byte[] weights(int extra) {
        ByteBuffer b = ByteBuffer.allocate(3 + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0).put((byte) 2).put((byte) 255).putFloat(1.5f).putFloat(-2f);
        return java.util.Arrays.copyOf(b.array(), 3 + 8 + extra);
    }

    @Test
    void readsLayersAndDequantisesTensorsBackToBack() {
        TfjsModel m = TfjsModel.parse(json(TWO), weights(0), "test");
        assertThat(m.layers()).extracting(TfjsModel.Layer::name).containsExactly("in", "c");
        assertThat(m.layer("c").inbound()).containsExactly("in");
        assertThat(m.layer("c").config().path("strides").path(0).asInt()).isEqualTo(2);
        assertThat(m.weights().keySet()).containsExactly("c/kernel", "c_bn/gamma");
        assertThat(m.weights().get("c/kernel").shape()).containsExactly(1, 1, 3, 1);
        assertThat(m.weights().get("c/kernel").values()).containsExactly(new float[] {-0.5f, 0f, 63.25f}, Offset.offset(1e-6f));
        assertThat(m.weights().get("c_bn/gamma").values()).containsExactly(1.5f, -2f);
    }

    @Test
    void refusesMalformedModelsWithAMessage() {
        assertThatThrownBy(() -> TfjsModel.parse(json(TWO), weights(-1), "t")).isInstanceOf(GraftException.class)
                .hasMessageContaining("weights.bin has 10");
        assertThatThrownBy(() -> TfjsModel.parse(json(TWO), weights(4), "t")).isInstanceOf(GraftException.class)
                .hasMessageContaining("describes 11 bytes");
        assertThatThrownBy(() -> TfjsModel.parse(json(TWO + "," + TWO), weights(11), "t")).isInstanceOf(GraftException.class)
                .hasMessageContaining("appears twice");
        assertThatThrownBy(() -> TfjsModel.parse(json("{\"name\":\"x\",\"shape\":[1],\"dtype\":\"int32\"}"), new byte[4], "t"))
                .isInstanceOf(GraftException.class).hasMessageContaining("only float32");
        assertThatThrownBy(() -> TfjsModel.parse(json("{\"name\":\"x\",\"shape\":[65536,65536,65536],\"dtype\":\"float32\"}"),
                new byte[4], "t")).isInstanceOf(GraftException.class).hasMessageContaining("more than");
        assertThatThrownBy(() -> TfjsModel.parse(json("{\"name\":\"x\",\"shape\":[-1],\"dtype\":\"float32\"}"), new byte[4], "t"))
                .isInstanceOf(GraftException.class).hasMessageContaining("invalid dimension");
        assertThatThrownBy(() -> TfjsModel.parse("[1, 2".getBytes(StandardCharsets.UTF_8), new byte[0], "t"))
                .isInstanceOf(GraftException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> TfjsModel.parse("{}".getBytes(StandardCharsets.UTF_8), new byte[0], "t"))
                .isInstanceOf(GraftException.class).hasMessageContaining("layers is missing");
        assertThatThrownBy(() -> TfjsModel.parse(json(TWO), weights(0), "t").layer("nope"))
                .isInstanceOf(GraftException.class);
    }
}
