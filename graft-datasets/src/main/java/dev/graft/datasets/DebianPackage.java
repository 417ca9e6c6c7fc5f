package dev.graft.datasets;

import dev.graft.GraftException;
import dev.graft.io.Hashes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Downloads an exact version of a Debian package with {@code apt-get download} (no installation,
 * no root), checks its SHA-256 and unpacks it with {@code dpkg-deb -x}. The packages' payloads are
 * xz-compressed, which Java cannot read without another library, so dpkg does the unpacking.
 */
final class DebianPackage {

    /** How long {@code apt-get download} or {@code dpkg-deb} may take. */
    static final long TIMEOUT_MINUTES = 10;

    private DebianPackage() {}

    /** {@return the command that runs apt-get} */
    static List<String> defaultAptGet() {
        return List.of("apt-get");
    }

    /**
     * Runs {@code apt-get download PACKAGE=VERSION} in {@code workDir} and checks the {@code .deb}
     * against its pinned hash.
     *
     * @param aptGet the command that starts apt-get, e.g. {@link #defaultAptGet()}
     * @param pkg the package name, e.g. {@code fortunes}
     * @param version the exact version, e.g. {@code 1:1.99.1-7.3}
     * @param sha256 the {@code .deb}'s expected SHA-256 (hex)
     * @param workDir an empty directory
     * @return the verified {@code .deb}
     * @throws GraftException if apt-get is missing or fails, leaves no single {@code .deb}, or the
     *     file is not the pinned one (it is deleted)
     */
    static Path downloadVerified(List<String> aptGet, String pkg, String version, String sha256, Path workDir)
            throws IOException {
        List<String> command = new ArrayList<>(aptGet);
        command.addAll(List.of("download", pkg + "=" + version));
        run(command, workDir, "apt-get is part of Debian and Ubuntu; check that the package lists are current"
                + " ('apt-get update', 'apt-cache policy " + pkg + "' should list " + version + ") and retry");
        List<Path> debs;
        try (Stream<Path> files = Files.list(workDir)) {
            debs = files.filter(p -> p.getFileName().toString().endsWith(".deb")).toList();
        }
        if (debs.size() != 1) {
            throw new GraftException("'apt-get download " + pkg + "=" + version + "' succeeded but left " + debs.size()
                    + " .deb files in " + workDir + " instead of 1; delete that directory and retry");
        }
        Path deb = debs.get(0);
        String sha = Hashes.sha256Hex(deb);
        if (!sha.equals(sha256)) {
            Files.deleteIfExists(deb);
            throw new GraftException(deb.getFileName() + " has SHA-256 " + sha + ", expected " + sha256
                    + "; deleted it. The package archive served different bytes: run 'apt-get update' and retry, or report it");
        }
        return deb;
    }

    /**
     * Unpacks a {@code .deb}'s files into {@code into} with {@code dpkg-deb -x}.
     *
     * @return {@code into}
     * @throws GraftException if dpkg-deb is missing or fails
     */
    static Path extract(Path deb, Path into, Path workDir) throws IOException {
        run(List.of("dpkg-deb", "-x", deb.toString(), into.toString()), workDir,
                "dpkg-deb comes with dpkg on Debian and Ubuntu: install dpkg and retry");
        return into;
    }

    /**
     * Runs a command in {@code workDir} with {@link #TIMEOUT_MINUTES}, its standard error kept in
     * {@code workDir/stderr.txt}.
     *
     * @param fix what to do about a failure, appended to the error message
     * @throws GraftException if the command cannot start, hangs, or exits non-zero; the message has
     *     the last line it printed to standard error
     */
    static void run(List<String> command, Path workDir, String fix) throws IOException {
        Path err = workDir.resolve("stderr.txt");
        Process process;
        try {
            process = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        } catch (IOException e) {
            throw new GraftException("could not run '" + command.get(0) + "' (" + e.getMessage()
                    + "): it is not installed or not on PATH; " + fix);
        }
        process.getOutputStream().close();
        try {
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new GraftException("'" + String.join(" ", command) + "' did not finish within "
                        + TIMEOUT_MINUTES + " minutes; " + fix);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new GraftException("interrupted while running '" + command.get(0) + "'; fetch again");
        }
        if (process.exitValue() != 0) {
            throw new GraftException("'" + String.join(" ", command) + "' failed (exit " + process.exitValue() + "): "
                    + errorLine(new String(Files.readAllBytes(err), StandardCharsets.UTF_8)) + "; " + fix);
        }
    }

    /** {@return the last {@code E:} line of apt's error output, else its last line} */
    static String errorLine(String stderr) {
        List<String> lines = stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            return "no message";
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("E: ")) {
                return lines.get(i);
            }
        }
        return lines.get(lines.size() - 1);
    }
}
