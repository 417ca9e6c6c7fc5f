package dev.graft.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Protocol-buffer encoding of one message, field by field (the wire format, no schema). Byte
 * fields and embedded messages are kept by reference and copied once, by {@link #toByteArray()}:
 * an encoder's weights are hundreds of megabytes, and copying them at every level of nesting
 * (tensor, graph, model) ran a Spark task out of memory.
 */
public final class ProtoWriter {

    private final List<byte[]> chunks = new ArrayList<>();
    private ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private long size;

    /**
     * A varint field (int32, int64, enum, bool).
     *
     * @param field the field number
     * @param value the value, written as an unsigned varint
     * @return this writer, for chaining
     */
    public ProtoWriter varint(int field, long value) {
        tag(field, 0);
        raw(value);
        return this;
    }

    /**
     * A 32-bit float field.
     *
     * @param field the field number
     * @param value the value, little-endian
     * @return this writer, for chaining
     */
    public ProtoWriter float32(int field, float value) {
        tag(field, 5);
        int bits = Float.floatToIntBits(value);
        for (int i = 0; i < 4; i++) {
            write(bits >>> (8 * i) & 0xff);
        }
        return this;
    }

    /**
     * A length-delimited bytes field; {@code value} is kept, not copied, so do not change it afterwards.
     *
     * @param field the field number
     * @param value the bytes; kept, not copied
     * @return this writer, for chaining
     */
    public ProtoWriter bytes(int field, byte[] value) {
        tag(field, 2);
        raw(value.length);
        append(value);
        return this;
    }

    /**
     * A string field, UTF-8.
     *
     * @param field the field number
     * @param value the text, written as UTF-8
     * @return this writer, for chaining
     */
    public ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An embedded message field; {@code value} is kept, not copied, so do not add to it afterwards.
     *
     * @param field the field number
     * @param value the embedded message; kept, not copied
     * @return this writer, for chaining
     */
    public ProtoWriter message(int field, ProtoWriter value) {
        tag(field, 2);
        raw(value.size);
        value.flush();
        value.chunks.forEach(this::append);
        return this;
    }

    /** {@return the encoded message} */
    public byte[] toByteArray() {
        flush();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("a protocol-buffer message of " + size + " bytes does not fit in one array");
        }
        byte[] out = new byte[(int) size];
        int at = 0;
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, out, at, c.length);
            at += c.length;
        }
        return out;
    }

    private void append(byte[] chunk) {
        flush();
        chunks.add(chunk);
        size += chunk.length;
    }

    private void flush() {
        if (pending.size() > 0) {
            chunks.add(pending.toByteArray());
            pending = new ByteArrayOutputStream();
        }
    }

    private void write(int b) {
        pending.write(b);
        size++;
    }

    private void tag(int field, int wireType) {
        raw((long) field << 3 | wireType);
    }

    private void raw(long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            write((int) (v & 0x7F | 0x80));
            v >>>= 7;
        }
        write((int) v);
    }
}
