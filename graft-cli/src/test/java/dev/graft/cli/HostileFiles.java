package dev.graft.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Small files that claim to be huge: the shapes of decompression bombs, built in a few milliseconds. */
final class HostileFiles {

    private HostileFiles() {}

    /** @return a PNG whose header declares {@code w × h} grey pixels, followed by a few rows of zeros */
    static byte[] pngDeclaring(int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put(new byte[] {8, 0, 0, 0, 0}).array());
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        try (OutputStream z = new DeflaterOutputStream(rows)) {
            z.write(new byte[4 * (w + 1)]);
        }
        chunk(out, "IDAT", rows.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(typeBytes);
        out.write(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** Writes a zip holding {@code manifest} and a weights entry of {@code mebibytes} MiB of zeros, deflated. */
    static Path deflateBomb(Path file, byte[] manifest, int mebibytes) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.setLevel(9);
            zip.putNextEntry(new ZipEntry("weights.safetensors"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < mebibytes; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("graft.json"));
            zip.write(manifest);
            zip.closeEntry();
        }
        return file;
    }
}
