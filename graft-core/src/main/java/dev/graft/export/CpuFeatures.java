package dev.graft.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * What this CPU's instruction set offers reduced-precision arithmetic, read from the flags Linux
 * lists in {@code /proc/cpuinfo}; on other systems nothing is assumed.
 *
 * @param vnni int8 dot products ({@code avx512_vnni} or {@code avx_vnni})
 * @param bf16 bfloat16 dot products ({@code avx512_bf16} or {@code amx_bf16})
 */
public record CpuFeatures(boolean vnni, boolean bf16) {

    private static final CpuFeatures CURRENT = read(Path.of("/proc/cpuinfo"));

    /** {@return this machine's features, read once} */
    public static CpuFeatures current() {
        return CURRENT;
    }

    /**
     * Reads the first processor's flags.
     *
     * @param cpuinfo a file in the format of Linux's {@code /proc/cpuinfo}
     * @return its features; none when the file cannot be read
     */
    static CpuFeatures read(Path cpuinfo) {
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("flags")) {
                    Set<String> flags = Set.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
                    return new CpuFeatures(flags.contains("avx512_vnni") || flags.contains("avx_vnni"),
                            flags.contains("avx512_bf16") || flags.contains("amx_bf16"));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: assume nothing
        }
        return new CpuFeatures(false, false);
    }
}
