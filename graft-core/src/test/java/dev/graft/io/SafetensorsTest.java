package dev.graft.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.GraftException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

    @TempDir
    Path dir;

    @Test
    void f32RoundTripWithShapesAndMetadata() throws IOException {
        Path file = dir.resolve("sub/weights.safetensors");
        Map<String, float[]> data = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        data.put("head.weight", new float[] {1f, -2.5f, 3e-8f, Float.MAX_VALUE, -0f, 6f});
        shapes.put("head.weight", new long[] {2, 3});
        data.put("a.bias", new float[] {0.125f});
        shapes.put("a.bias", new long[] {});
        data.put("empty", new float[0]);
        shapes.put("empty", new long[] {0, 4});

        Safetensors.write(file, data, shapes, Map.of("format", "pt", "graft", "0.1"));
        SafetensorsFile read = Safetensors.read(file);

        assertThat(read.tensors().keySet()).containsExactly("a.bias", "empty", "head.weight");
        assertThat(read.metadata()).containsExactly(Map.entry("format", "pt"), Map.entry("graft", "0.1"));
        Tensor w = read.tensor("head.weight");
        assertThat(w.dtype()).isEqualTo("F32");
        assertThat(w.shape()).containsExactly(2, 3);
        assertThat(w.data()).containsExactly(data.get("head.weight"));
        assertThat(read.tensor("a.bias").shape()).isEmpty();
        assertThat(read.tensor("a.bias").data()).containsExactly(0.125f);
        assertThat(read.tensor("empty").elementCount()).isZero();
        assertThatThrownBy(() -> read.tensor("missing")).isInstanceOf(GraftException.class)
                .hasMessageContaining("no tensor 'missing'");
    }

    @Test
    void fileLayoutFollowsTheFormat() throws IOException {
        Path file = dir.resolve("layout.safetensors");
        Safetensors.write(file, Map.of("b", Tensor.f32(new long[] {1}, new float[] {2f}),
                "a", Tensor.f32(new long[] {2}, new float[] {0f, 1f})), Map.of());
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat((8 + n) % 8).isZero();
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8).strip();
        assertThat(header).isEqualTo("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}");
        assertThat(bytes.length).isEqualTo(8 + n + 12);
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) (8 + n), 12).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new float[] {data.getFloat(), data.getFloat(), data.getFloat()}).containsExactly(0f, 1f, 2f);
    }

    @Test
    void f16Bf16AndI64RoundTrip() throws IOException {
        Path file = dir.resolve("mixed.safetensors");
        float[] halves = {0f, -0f, 1f, -2f, 0.5f, 65504f, 6.1035156e-5f, 5.9604645e-8f, Float.POSITIVE_INFINITY};
        float[] bf16s = {1f, -3.140625f, 0x1p100f, Float.NEGATIVE_INFINITY};
        long[] ids = {0, 1, Long.MAX_VALUE, Long.MIN_VALUE};
        Map<String, Tensor> tensors = Map.of(
                "h", new Tensor("F16", new long[] {halves.length}, halves, null),
                "b", new Tensor("BF16", new long[] {2, 2}, bf16s, null),
                "position_ids", Tensor.i64(new long[] {1, 4}, ids));
        Safetensors.write(file, tensors, null);
        SafetensorsFile read = Safetensors.read(file);
        assertThat(read.tensors()).isEqualTo(tensors);
        assertThat(read.tensor("position_ids").longData()).containsExactly(ids);
        assertThat(Files.size(file) - headerEnd(file)).isEqualTo(halves.length * 2 + 4 * 2 + 4 * 8);
        assertThatThrownBy(() -> read.tensor("position_ids").data()).isInstanceOf(GraftException.class)
                .hasMessageContaining("longData()");
    }

    @Test
    void halfPrecisionConversionsRoundTripEveryBitPattern() {
        for (int bits = 0; bits < 0x10000; bits++) {
            short h = (short) bits;
            float f = HalfFloats.f16ToFloat(h);
            if (Float.isNaN(f)) {
                assertThat(HalfFloats.f16ToFloat(HalfFloats.floatToF16(f))).isNaN();
            } else {
                assertThat(HalfFloats.floatToF16(f)).as("f16 %04x", bits).isEqualTo(h);
            }
            float b = HalfFloats.bf16ToFloat(h);
            if (Float.isNaN(b)) {
                assertThat(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(b))).isNaN();
            } else {
                assertThat(HalfFloats.floatToBf16(b)).as("bf16 %04x", bits).isEqualTo(h);
            }
        }
        // rounding: nearest, ties to even
        assertThat(HalfFloats.f16ToFloat(HalfFloats.floatToF16(1f + 0x1p-11f))).isEqualTo(1f);
        assertThat(HalfFloats.f16ToFloat(HalfFloats.floatToF16(1f + 0x1p-11f + 0x1p-20f))).isEqualTo(1f + 0x1p-10f);
        assertThat(HalfFloats.f16ToFloat(HalfFloats.floatToF16(1e6f))).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(HalfFloats.f16ToFloat(HalfFloats.floatToF16(1e-9f))).isEqualTo(0f);
        assertThat(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(1f + 0x1p-8f))).isEqualTo(1f);
    }

    @Test
    void headerThatLiesAboutOffsetsIsRejected() throws IOException {
        // offsets beyond the buffer
        assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4), "outside the 4-byte");
        // size disagrees with shape × dtype
        assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), "need 12");
        // overlapping tensors
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "overlapping");
        // begin after end, negative values, wrong arity
        assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", 8), "data_offsets");
        assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 8), "non-negative");
        assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 8), "data_offsets");
        // a shape whose product overflows
        assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}", 8),
                "impossible shape");
        // duplicate names, metadata that is not strings, not an object
        assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "not valid JSON");
        assertRejected(file("{\"__metadata__\":{\"k\":1}}", 0), "not a string");
        assertRejected(file("[1,2]", 0), "not a JSON object");
    }

    @Test
    void unknownDtypeNamesTheTensorAndFile() throws IOException {
        Path f = file("{\"encoder.w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8);
        assertThatThrownBy(() -> Safetensors.read(f)).isInstanceOf(GraftException.class)
                .hasMessageContaining("tensor 'encoder.w'")
                .hasMessageContaining(f.toString())
                .hasMessageContaining("F64");
    }

    @Test
    void truncatedFileIsRejected() throws IOException {
        Path good = dir.resolve("good.safetensors");
        Safetensors.write(good, Map.of("w", Tensor.f32(new long[] {4}, new float[] {1, 2, 3, 4})), Map.of());
        byte[] bytes = Files.readAllBytes(good);
        for (int cut : new int[] {0, 5, 8, 20, bytes.length - 1}) {
            Path truncated = dir.resolve("cut" + cut + ".safetensors");
            Files.write(truncated, Arrays.copyOf(bytes, cut));
            assertThatThrownBy(() -> Safetensors.read(truncated)).as("cut at %d", cut)
                    .isInstanceOf(GraftException.class)
                    .hasMessageContaining(truncated.toString());
        }
        assertThatThrownBy(() -> Safetensors.read(dir.resolve("absent.safetensors")))
                .isInstanceOf(GraftException.class).hasMessageContaining("not found");
    }

    @Test
    void hugeHeaderLengthIsRejectedWithoutAllocating() throws IOException {
        Path file = dir.resolve("huge.safetensors");
        ByteBuffer buf = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(Long.MAX_VALUE);
        Files.write(file, buf.array());
        assertThatThrownBy(() -> Safetensors.read(file)).isInstanceOf(GraftException.class)
                .hasMessageContaining("outside 2..100000000");
        buf.clear();
        buf.putLong(200_000_000L);
        Files.write(file, buf.array());
        assertThatThrownBy(() -> Safetensors.read(file)).isInstanceOf(GraftException.class)
                .hasMessageContaining("outside 2..100000000");
        buf.clear();
        buf.putLong(1000);
        Files.write(file, buf.array());
        assertThatThrownBy(() -> Safetensors.read(file)).isInstanceOf(GraftException.class)
                .hasMessageContaining("only 56 bytes follow");
    }

    @Test
    void writeValidatesNamesAndShapes() {
        Path file = dir.resolve("x.safetensors");
        assertThatThrownBy(() -> Safetensors.write(file, Map.of("w", new float[3]), Map.of("w", new long[] {2, 2}), null))
                .isInstanceOf(GraftException.class).hasMessageContaining("tensor 'w'").hasMessageContaining("needs 4");
        assertThatThrownBy(() -> Safetensors.write(file, Map.of("w", new float[3]), Map.of(), null))
                .isInstanceOf(GraftException.class).hasMessageContaining("give a shape");
        assertThatThrownBy(() -> Safetensors.write(file, Map.of("__metadata__", Tensor.f32(new long[] {0}, new float[0])), null))
                .isInstanceOf(GraftException.class);
        assertThatThrownBy(() -> new Tensor("F64", new long[] {1}, new float[1], null)).isInstanceOf(GraftException.class);
        assertThat(file).doesNotExist();
    }

    @Test
    void largeTensorRoundTripsAcrossChunks() throws IOException {
        float[] values = new float[700_001];
        Random random = new Random(7);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        Path file = dir.resolve("big.safetensors");
        Safetensors.write(file, Map.of("w", values), Map.of("w", new long[] {values.length}), Map.of());
        assertThat(Safetensors.read(file).tensor("w").data()).isEqualTo(values);
    }

    private static long headerEnd(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return 8 + ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private Path file(String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json);
        return Files.write(Files.createTempFile(dir, "t", ".safetensors"), buf.array());
    }

    private static void assertRejected(Path file, String message) {
        assertThatThrownBy(() -> Safetensors.read(file)).isInstanceOf(GraftException.class)
                .hasMessageContaining(message)
                .hasMessageContaining(file.toString())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
