package dev.graft.data;

import dev.graft.GraftException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Reads a whole text data file as strict UTF-8, refusing binary, compressed and UTF-16 files. */
final class FileText {

    /** Largest file read into memory; bigger text datasets should be split. */
    static final long MAX_BYTES = Integer.MAX_VALUE - 64L;

    private FileText() {}

    /** Fails unless {@code file} is an existing regular file. */
    static void checkExists(Path file) {
        if (Files.isDirectory(file)) {
            throw new GraftException(file + " is a directory; pass a data file (" + TextFormat.supported()
                    + ") inside it");
        }
        if (!Files.exists(file)) {
            Path parent = file.toAbsolutePath().getParent();
            String where = parent != null && !Files.isDirectory(parent)
                    ? "; its directory " + parent + " does not exist either"
                    : "";
            throw new GraftException(file + ": no such file" + where + "; check the path");
        }
        if (!Files.isReadable(file)) {
            throw new GraftException(file + ": not readable; check its permissions");
        }
    }

    /** {@return the content without a leading byte order mark; never blank} */
    static String read(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new GraftException(file + ": too large to load (" + Messages.count(size)
                        + " bytes); split it into files under 2 GB");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new GraftException(file + ": cannot read (" + Messages.escape(String.valueOf(e.getMessage()))
                    + "); check the file and its permissions", e);
        }
        if (bytes.length == 0) {
            throw new GraftException(file + " is empty (0 bytes); give a file with a header and rows");
        }
        checkNotBinary(file, bytes);
        String text = decode(file, bytes);
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            throw new GraftException(file + " is empty (only whitespace); give a file with a header and rows");
        }
        return text;
    }

    private static void checkNotBinary(Path file, byte[] bytes) {
        if (bytes.length >= 2 && ((bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE)
                || (bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF))) {
            throw new GraftException(file + " is UTF-16 text; convert it to UTF-8, e.g. iconv -f UTF-16 -t UTF-8 "
                    + file + " > " + utf8Name(file));
        }
        if (bytes.length >= 2 && bytes[0] == (byte) 0x1F && bytes[1] == (byte) 0x8B) {
            throw new GraftException(file + " is gzip-compressed; decompress it first (gunzip -k " + file + ")");
        }
        if (bytes.length >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4) {
            throw new GraftException(file + " is a zip archive; extract the data file from it first");
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new GraftException(file + " looks binary (NUL byte at byte offset " + i + ", line "
                        + lineAt(bytes, i) + "); give a UTF-8 text file (" + TextFormat.supported() + ")");
            }
        }
    }

    private static String decode(Path file, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            StringBuilder hex = new StringBuilder();
            for (int i = offset; i < Math.min(bytes.length, offset + Math.max(1, result.length())); i++) {
                hex.append(hex.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "0x%02X", bytes[i] & 0xFF));
            }
            throw new GraftException(file + " line " + lineAt(bytes, offset) + ": not valid UTF-8 (byte " + hex
                    + " at byte offset " + offset + "); convert the file to UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8 "
                    + file + " > " + utf8Name(file));
        }
        out.flip();
        return out.toString();
    }

    private static long lineAt(byte[] bytes, int offset) {
        long line = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String utf8Name(Path file) {
        String name = file.toString();
        int dot = name.lastIndexOf('.');
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        return dot > slash ? name.substring(0, dot) + ".utf8" + name.substring(dot) : name + ".utf8";
    }
}
