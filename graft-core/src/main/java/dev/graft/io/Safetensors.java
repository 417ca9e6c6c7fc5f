package dev.graft.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.GraftException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length {@code N},
 * {@code N} bytes of UTF-8 JSON {@code {"__metadata__": {str: str}, NAME: {"dtype", "shape",
 * "data_offsets": [begin, end]}, ...}}, then the data buffer, with offsets relative to its start.
 *
 * <p>Supported dtypes are {@code F32}, {@code F16}, {@code BF16} (read as {@code float[]}) and
 * {@code I64} (read as {@code long[]}). Reading checks every bound before allocating: the header
 * length (at most {@link #MAX_HEADER_BYTES} and within the file), each tensor's offsets (inside the
 * buffer, non-overlapping) and size ({@code product(shape) × dtype size}); a file that fails any
 * check raises a {@link GraftException} naming the file and the tensor. Writing lays tensors out
 * sorted by name and replaces the target atomically.
 */
public final class Safetensors {

    /** Largest header accepted on read, in bytes (as in the reference implementation). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA_KEY = "__metadata__";
    private static final int CHUNK_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private Safetensors() {}

    /**
     * Writes {@code F32} tensors.
     *
     * @param path the file to write; replaced atomically, its parent directory created if missing
     * @param data tensor name → row-major values
     * @param shapes tensor name → dimensions; exactly the names of {@code data}
     * @param metadata written as {@code __metadata__} when not empty; may be null
     * @throws GraftException if the names of {@code data} and {@code shapes} differ or a shape does
     *     not fit its values
     * @throws IOException if the file cannot be written; the target is then unchanged
     */
    public static void write(Path path, Map<String, float[]> data, Map<String, long[]> shapes,
            Map<String, String> metadata) throws IOException {
        if (!data.keySet().equals(shapes.keySet())) {
            throw new GraftException("safetensors data and shapes name different tensors (" + data.keySet()
                    + " vs " + shapes.keySet() + "); give a shape for every tensor");
        }
        Map<String, Tensor> tensors = new TreeMap<>();
        for (Map.Entry<String, float[]> e : data.entrySet()) {
            try {
                tensors.put(e.getKey(), Tensor.f32(shapes.get(e.getKey()), e.getValue()));
            } catch (GraftException ex) {
                throw new GraftException("tensor '" + e.getKey() + "': " + ex.getMessage(), ex);
            }
        }
        write(path, tensors, metadata);
    }

    /**
     * Writes tensors of any supported dtype, each in its own dtype.
     *
     * @param path the file to write; replaced atomically, its parent directory created if missing
     * @param tensors tensor name → tensor; names are non-empty and not {@code __metadata__}
     * @param metadata written as {@code __metadata__} when not empty; may be null
     * @throws GraftException if a name, tensor or metadata entry is invalid
     * @throws IOException if the file cannot be written; the target is then unchanged
     */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        TreeMap<String, Tensor> sorted = new TreeMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || name.equals(METADATA_KEY) || e.getValue() == null) {
                throw new GraftException("cannot write tensor named '" + name + "' to " + path
                        + ": names must be non-empty, not " + METADATA_KEY + ", and have a tensor");
            }
            sorted.put(name, e.getValue());
        }
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA_KEY);
            for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
                if (e.getValue() == null) {
                    throw new GraftException("metadata key '" + e.getKey() + "' for " + path + " has no value; give a string");
                }
                meta.put(e.getKey(), e.getValue());
            }
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
            Tensor t = e.getValue();
            long bytes = t.elementCount() * Tensor.dtypeSize(t.dtype());
            ObjectNode node = header.putObject(e.getKey());
            node.put("dtype", t.dtype());
            ArrayNode shape = node.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            node.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8; // keeps the data buffer 8-byte aligned
        AtomicFiles.write(path, raw -> {
            OutputStream out = new BufferedOutputStream(raw, CHUNK_BYTES);
            ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong(padded);
            buf.flip();
            out.write(buf.array(), 0, buf.limit());
            out.write(json);
            for (int i = json.length; i < padded; i++) {
                out.write(' ');
            }
            for (Tensor t : sorted.values()) {
                writeData(out, t, buf);
            }
            out.flush();
        });
    }

    private static void writeData(OutputStream out, Tensor t, ByteBuffer buf) throws IOException {
        buf.clear();
        String dtype = t.dtype();
        float[] floats = dtype.equals("I64") ? null : t.data();
        long[] longs = dtype.equals("I64") ? t.longData() : null;
        int n = (int) t.elementCount();
        for (int i = 0; i < n; i++) {
            if (buf.remaining() < 8) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            switch (dtype) {
                case "F32" -> buf.putFloat(floats[i]);
                case "F16" -> buf.putShort(HalfFloats.floatToF16(floats[i]));
                case "BF16" -> buf.putShort(HalfFloats.floatToBf16(floats[i]));
                case "I64" -> buf.putLong(longs[i]);
                default -> throw new IllegalStateException("Tensor admitted dtype " + dtype);
            }
        }
        out.write(buf.array(), 0, buf.position());
    }

    /**
     * Reads a whole safetensors file into memory.
     *
     * @param path the file
     * @return its tensors (sorted by name) and metadata
     * @throws GraftException if the file is missing, malformed, lies about sizes or offsets, or
     *     holds a dtype other than F32, F16, BF16, I64; the message names the file and the tensor
     * @throws IOException if reading fails for another reason
     */
    public static SafetensorsFile read(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw bad(path, "is " + size + " bytes long, too short for the 8-byte header length");
            }
            long n = readFully(ch, 0, ByteBuffer.allocate(8), path).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (n < 2 || n > MAX_HEADER_BYTES) {
                throw bad(path, "declares a header of " + Long.toUnsignedString(n) + " bytes, outside 2.."
                        + MAX_HEADER_BYTES);
            }
            if (n > size - 8) {
                throw bad(path, "declares a header of " + n + " bytes but only " + (size - 8)
                        + " bytes follow the length (truncated?)");
            }
            byte[] headerBytes = readFully(ch, 8, ByteBuffer.allocate((int) n), path).array();
            JsonNode root = parseHeader(path, headerBytes);
            long dataStart = 8 + n;
            long bufferSize = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : root.properties()) {
                if (field.getKey().equals(METADATA_KEY)) {
                    readMetadata(path, field.getValue(), metadata);
                } else {
                    entries.add(entry(path, field.getKey(), field.getValue(), bufferSize));
                }
            }
            checkNoOverlap(path, entries);
            Map<String, Tensor> tensors = new TreeMap<>();
            for (Entry e : entries) {
                tensors.put(e.name(), readTensor(ch, dataStart, e, path));
            }
            return new SafetensorsFile(path, tensors, metadata);
        } catch (NoSuchFileException e) {
            throw new GraftException("safetensors file not found: " + path + "; check the path", e);
        }
    }

    /** One tensor's header entry, checked against the buffer. */
    private record Entry(String name, String dtype, long[] shape, long begin, long end) {}

    private static JsonNode parseHeader(Path path, byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw bad(path, "has a header that is not UTF-8");
        }
        if (!text.stripLeading().startsWith("{")) {
            throw bad(path, "has a header that is not a JSON object");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            throw bad(path, "has a header that is not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (root == null || !root.isObject()) {
            throw bad(path, "has a header that is not a JSON object");
        }
        return root;
    }

    private static void readMetadata(Path path, JsonNode node, Map<String, String> metadata) {
        if (!node.isObject()) {
            throw bad(path, "has a " + METADATA_KEY + " that is not an object of strings");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw bad(path, "has metadata '" + e.getKey() + "' that is not a string");
            }
            metadata.put(e.getKey(), e.getValue().textValue());
        }
    }

    private static Entry entry(Path path, String name, JsonNode node, long bufferSize) {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw bad(path, "has a header entry for " + where + " that is not an object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw bad(path, "has no dtype string for " + where);
        }
        String dtype = dtypeNode.textValue();
        int dtypeSize = Tensor.dtypeSize(dtype);
        if (dtypeSize < 0) {
            throw new GraftException(where + " in " + path + " has dtype '" + dtype
                    + "', which Graft does not read (it reads F32, F16, BF16, I64); convert the file to one of those");
        }
        long[] shape = nonNegativeLongs(path, where, "shape", node.get("shape"), -1);
        long[] offsets = nonNegativeLongs(path, where, "data_offsets", node.get("data_offsets"), 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end || end > bufferSize) {
            throw bad(path, "gives " + where + " data_offsets [" + begin + ", " + end + "] outside the "
                    + bufferSize + "-byte data buffer");
        }
        long count;
        try {
            count = Tensor.elementCount(shape);
        } catch (GraftException e) {
            throw bad(path, "gives " + where + " an impossible shape: " + e.getMessage());
        }
        if (end - begin != count * dtypeSize) {
            throw bad(path, "gives " + where + " " + (end - begin) + " bytes but its shape and " + dtype + " need "
                    + count * dtypeSize);
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static long[] nonNegativeLongs(Path path, String where, String field, JsonNode node, int length) {
        if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
            throw bad(path, "has no valid " + field + " for " + where
                    + (length >= 0 ? " (an array of " + length + " integers)" : " (an array of integers)"));
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw bad(path, "has " + field + " for " + where + " with a value that is not a non-negative integer: " + v);
            }
            values[i] = v.longValue();
        }
        return values;
    }

    private static void checkNoOverlap(Path path, List<Entry> entries) {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        for (int i = 1; i < byOffset.size(); i++) {
            Entry prev = byOffset.get(i - 1);
            Entry cur = byOffset.get(i);
            if (cur.begin() < prev.end()) {
                throw bad(path, "gives tensors '" + prev.name() + "' and '" + cur.name() + "' overlapping data ["
                        + prev.begin() + ", " + prev.end() + ") and [" + cur.begin() + ", " + cur.end() + ")");
            }
        }
    }

    private static Tensor readTensor(FileChannel ch, long dataStart, Entry e, Path path) throws IOException {
        int count = (int) Tensor.elementCount(e.shape());
        int size = Tensor.dtypeSize(e.dtype());
        float[] floats = e.dtype().equals("I64") ? null : new float[count];
        long[] longs = e.dtype().equals("I64") ? new long[count] : null;
        ByteBuffer buf = ByteBuffer.allocate(Math.max(size, (int) Math.min(CHUNK_BYTES, (long) count * size)))
                .order(ByteOrder.LITTLE_ENDIAN);
        long position = dataStart + e.begin();
        int done = 0;
        while (done < count) {
            int n = Math.min(count - done, buf.capacity() / size);
            buf.clear().limit(n * size);
            readFully(ch, position, buf, path);
            switch (e.dtype()) {
                case "F32" -> buf.asFloatBuffer().get(floats, done, n);
                case "I64" -> buf.asLongBuffer().get(longs, done, n);
                case "F16" -> {
                    for (int i = 0; i < n; i++) {
                        floats[done + i] = HalfFloats.f16ToFloat(buf.getShort());
                    }
                }
                case "BF16" -> {
                    for (int i = 0; i < n; i++) {
                        floats[done + i] = HalfFloats.bf16ToFloat(buf.getShort());
                    }
                }
                default -> throw new IllegalStateException("entry admitted dtype " + e.dtype());
            }
            position += (long) n * size;
            done += n;
        }
        return new Tensor(e.dtype(), e.shape(), floats, longs);
    }

    /** Fills {@code buf} from {@code position} and flips it for reading. */
    private static ByteBuffer readFully(FileChannel ch, long position, ByteBuffer buf, Path path) throws IOException {
        long p = position;
        while (buf.hasRemaining()) {
            int read = ch.read(buf, p);
            if (read < 0) {
                throw bad(path, "ended early at byte " + p + " (it changed while being read, or is truncated)");
            }
            p += read;
        }
        buf.flip();
        return buf;
    }

    private static GraftException bad(Path path, String what) {
        return new GraftException("safetensors file " + path + " " + what
                + "; it is corrupt or not a safetensors file: re-create or re-download it");
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
