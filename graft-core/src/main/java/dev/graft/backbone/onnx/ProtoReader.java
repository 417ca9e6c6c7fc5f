package dev.graft.backbone.onnx;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A cursor over one protobuf message inside the buffer. */
final class ProtoReader {
    final ByteBuffer buf;
    int pos;
    final int end;

    ProtoReader(ByteBuffer buf, int start, int end) {
        if (start < 0 || end > buf.capacity() || start > end) {
            throw new IndexOutOfBoundsException("message outside the file");
        }
        this.buf = buf;
        this.pos = start;
        this.end = end;
    }

    boolean hasMore() {
        return pos < end;
    }

    long varint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new IndexOutOfBoundsException("varint past end");
            }
            byte b = buf.get(pos++);
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new IndexOutOfBoundsException("varint too long");
    }

    int[] lengthDelimited() {
        long len = varint();
        if (len < 0 || len > end - pos) {
            throw new IndexOutOfBoundsException("field past end");
        }
        int start = pos;
        pos += (int) len;
        return new int[] {start, pos};
    }

    String string() {
        int[] span = lengthDelimited();
        byte[] bytes = new byte[span[1] - span[0]];
        buf.get(span[0], bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    void skip(int wireType) {
        switch (wireType) {
            case 0 -> varint();
            case 1 -> advance(8);
            case 2 -> lengthDelimited();
            case 5 -> advance(4);
            default -> throw new IndexOutOfBoundsException("unsupported wire type " + wireType);
        }
    }

    private void advance(int n) {
        if (pos + n > end) {
            throw new IndexOutOfBoundsException("field past end");
        }
        pos += n;
    }
}
