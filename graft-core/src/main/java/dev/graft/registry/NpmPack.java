package dev.graft.registry;

import dev.graft.GraftException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Downloads a package tarball with {@code npm pack}, the only way Graft fetches data. */
public final class NpmPack {

    /** How long {@code npm pack} may take. */
    public static final Duration TIMEOUT = Duration.ofMinutes(10);

    private NpmPack() {}

    /** {@return the npm launcher for this platform: {@code npm}, or {@code npm.cmd} on Windows} */
    public static List<String> defaultCommand() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        return List.of(windows ? "npm.cmd" : "npm");
    }

    /**
     * Runs {@code npm pack SPEC} in {@code workDir} with {@link #TIMEOUT} and checks the tarball
     * against its pinned hash.
     *
     * @param npm the command that starts npm, e.g. {@link #defaultCommand()}
     * @param spec an exact package spec, {@code name@version}
     * @param sha256 the tarball's expected SHA-256 (hex)
     * @param workDir an empty directory
     * @return the verified tarball
     * @throws GraftException if npm fails (see {@link #pack}) or the tarball is not the pinned one (it is deleted)
     * @throws IOException if the tarball cannot be read or deleted
     */
    public static Path packVerified(List<String> npm, String spec, String sha256, Path workDir) throws IOException {
        Path tgz = pack(npm, spec, workDir, TIMEOUT);
        String sha = dev.graft.io.Hashes.sha256Hex(tgz);
        if (!sha.equals(sha256)) {
            Files.deleteIfExists(tgz);
            throw new GraftException("npm pack " + spec + " gave a tarball with SHA-256 " + sha + ", expected "
                    + sha256 + "; deleted it. The registry or npm cache served different bytes:"
                    + " run 'npm cache verify' and fetch again");
        }
        return tgz;
    }

    /**
     * Runs {@code npm pack SPEC} in {@code workDir} and returns the tarball it wrote there.
     *
     * @param npm the command that starts npm, e.g. {@link #defaultCommand()}
     * @param spec an exact package spec, {@code name@version}
     * @param workDir an empty directory; npm's output logs are kept there too
     * @param timeout how long npm may run before it is killed
     * @return the tarball npm wrote into {@code workDir}
     * @throws GraftException if npm is missing, fails, hangs, or writes no single tarball
     * @throws IOException if the work directory or npm's logs cannot be read or written
     */
    public static Path pack(List<String> npm, String spec, Path workDir, Duration timeout) throws IOException {
        List<String> command = new ArrayList<>(npm);
        command.addAll(List.of("pack", "--ignore-scripts", "--loglevel=warn", spec));
        Path stdout = workDir.resolve("npm-stdout.txt");
        Path stderr = workDir.resolve("npm-stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new GraftException("could not run '" + npm.get(0) + "' to fetch " + spec
                    + ": npm is not installed or not on PATH; install Node.js with npm (e.g. 'apt-get install npm') and retry", e);
        }
        process.getOutputStream().close();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new GraftException("'npm pack " + spec + "' did not finish within " + timeout.toMinutes()
                        + " minutes; check that npm can reach its registry ('npm ping') and retry");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new GraftException("interrupted while waiting for 'npm pack " + spec + "'; run the fetch again", e);
        }
        int exit = process.exitValue();
        if (exit != 0) {
            throw new GraftException("'npm pack " + spec + "' failed (exit " + exit + "): "
                    + npmErrorLine(Files.readString(stderr, StandardCharsets.UTF_8))
                    + "; check that npm can reach its registry ('npm ping', 'npm config get registry') and retry");
        }
        List<Path> tarballs;
        try (Stream<Path> files = Files.list(workDir)) {
            tarballs = files.filter(p -> p.getFileName().toString().endsWith(".tgz")).toList();
        }
        if (tarballs.size() != 1) {
            throw new GraftException("'npm pack " + spec + "' succeeded but left " + tarballs.size()
                    + " tarballs in " + workDir + " instead of 1; delete that directory and retry");
        }
        return tarballs.get(0);
    }

    /**
     * Picks the most telling line of npm's error output: the first {@code npm error} line that is
     * not the error code, errno, syscall or the pointer to the debug log; else the last line.
     */
    static String npmErrorLine(String stderr) {
        List<String> lines = stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            return "npm printed no error message";
        }
        for (String line : lines) {
            String rest = stripPrefix(line);
            if (rest != null && !rest.isEmpty()
                    && !rest.matches("(?i)(code|errno|syscall)\\s.*")
                    && !rest.startsWith("A complete log of this run")) {
                return rest;
            }
        }
        return lines.get(lines.size() - 1);
    }

    private static String stripPrefix(String line) {
        for (String prefix : List.of("npm error ", "npm ERR! ")) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).strip();
            }
        }
        return null;
    }
}
