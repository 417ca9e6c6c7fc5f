package dev.graft.advise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's peak resident memory, from Linux's {@code /proc/self/status}, with a reset so that
 * the peak of one piece of work can be measured. Unavailable elsewhere (methods return -1 / false).
 */
public final class PeakMemory {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private PeakMemory() {}

    /** {@return whether the peak was reset to the current resident size} */
    public static boolean reset() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** {@return peak resident bytes since start or the last {@link #reset()}, or -1 when unknown} */
    public static long peakBytes() {
        return field(STATUS, "VmHWM:");
    }

    /** {@return memory the kernel says is available for new work, in bytes, or -1 when unknown} */
    public static long availableBytes() {
        return field(Path.of("/proc/meminfo"), "MemAvailable:");
    }

    private static long field(Path file, String name) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | SecurityException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
