package dev.graft.datasets;

import dev.graft.GraftException;
import dev.graft.io.Directories;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The fortune cookies of BSD {@code fortune(6)} (quips, quotations, definitions, limericks...), from
 * Debian's package {@value #PACKAGE}: fetched with {@code apt-get download} (no installation, no
 * root), checked, unpacked (see {@link DebianPackage}), and prepared as {@code fortunes.jsonl}:
 * one row per fortune, {@code {id, text, label}}, where {@code label} is the category, the name of
 * the file under {@code /usr/share/games/fortunes/} it comes from (40 categories, from
 * {@code people} with 1,240 to {@code pratchett} with 2).
 *
 * <p>Fortunes are separated by lines holding only {@code %}. Each has its whitespace normalised
 * (line breaks become spaces, so ASCII art is flattened); empty ones are dropped, and so is every
 * exact repeat of an earlier fortune, also across categories, which are read in name order. Only
 * the plain-text category files are read: not the {@code .dat} indexes of {@code strfile(1)} nor
 * the {@code .u8} links to the same files.
 */
final class Fortunes implements DatasetSource {

    static final String NAME = "fortunes";
    static final String PACKAGE = "fortunes";
    static final String VERSION = "1:1.99.1-7.3";
    static final String DEB_SHA256 = "41d0551dc0ff52f875a2ecef7c39da2f672ab468c37e170119f7e0245a9d63c5";
    static final String FILE_NAME = "fortunes.jsonl";

    /** Bump when the prepared file changes, so that old caches are rebuilt. */
    static final int FORMAT_VERSION = 1;

    static final int EXPECTED_CATEGORIES = 40;
    static final int EXPECTED_ROWS = 14_283;

    /** Where the category files are inside the package. */
    static final String INSIDE = "usr/share/games/fortunes";

    private final List<String> aptGet;

    Fortunes() {
        this(DebianPackage.defaultAptGet());
    }

    /** @param aptGet the command that runs apt-get; tests pass one that must not be called */
    Fortunes(List<String> aptGet) {
        this.aptGet = List.copyOf(aptGet);
    }

    /** One row: the {@code number}th non-empty fortune (from 1) of a category file. */
    record Fortune(String category, int number, String text) {
        String id() {
            return category + "-" + number;
        }
    }

    /**
     * The rows from a set of category files, and what was left out.
     *
     * @param empty fortunes with no text
     * @param duplicates fortunes identical (after whitespace normalisation) to an earlier one
     */
    record Prepared(List<Fortune> fortunes, int empty, int duplicates) {}

    @Override
    public String name() {
        return NAME;
    }

    static String source() {
        return PACKAGE + "=" + VERSION;
    }

    static Path jsonl(Path cacheRoot) {
        return cacheRoot.resolve("datasets").resolve(NAME).resolve(FILE_NAME);
    }

    @Override
    public DatasetInfo info(Path cacheRoot) {
        return new DatasetInfo(NAME,
                "14,283 fortune cookies (quips, quotations, definitions, verse) in 40 categories, from people"
                        + " (1,240) to pratchett (2); JSONL of id, text, label (category)",
                "BSD-3-Clause",
                "Debian " + PACKAGE + " " + VERSION,
                isFetched(cacheRoot),
                jsonl(cacheRoot));
    }

    static boolean isFetched(Path cacheRoot) {
        return TextListing.isComplete(jsonl(cacheRoot), FORMAT_VERSION, source(), DEB_SHA256);
    }

    @Override
    public Path fetch(Path cacheRoot, Consumer<String> log) {
        Path target = jsonl(cacheRoot);
        if (isFetched(cacheRoot)) {
            log.accept(NAME + ": already fetched: " + target);
            return target;
        }
        Path work = null;
        try {
            Path downloads = cacheRoot.resolve("downloads");
            Files.createDirectories(downloads);
            work = Files.createTempDirectory(downloads, NAME + "-");
            log.accept(NAME + ": running apt-get download " + source() + " in " + work);
            Path deb = DebianPackage.downloadVerified(aptGet, PACKAGE, VERSION, DEB_SHA256, work);
            log.accept(NAME + ": package SHA-256 verified (" + Files.size(deb) / 1024 + " KiB)");
            Path unpacked = DebianPackage.extract(deb, work.resolve("unpacked"), work);
            Map<String, String> categories = readCategories(unpacked.resolve(INSIDE));
            Prepared prepared = prepare(categories);
            log.accept(NAME + ": read " + categories.size() + " category files; kept " + prepared.fortunes().size()
                    + " fortunes, dropped " + prepared.empty() + " empty and " + prepared.duplicates() + " exact repeats");
            if (categories.size() != EXPECTED_CATEGORIES || prepared.fortunes().size() != EXPECTED_ROWS) {
                throw new GraftException("expected " + EXPECTED_ROWS + " fortunes in " + EXPECTED_CATEGORIES
                        + " categories from " + deb.getFileName() + ", found " + prepared.fortunes().size() + " in "
                        + categories.size() + "; the package is not the expected one: delete it and fetch again");
            }
            TextListing.Manifest manifest = write(target, prepared.fortunes());
            log.accept(NAME + ": classes: " + TextListing.describeCounts(manifest.labels()));
            log.accept(NAME + ": wrote " + manifest.rows() + " rows (" + manifest.jsonlBytes() / (1024 * 1024)
                    + " MiB) to " + target);
            return target;
        } catch (IOException e) {
            throw new GraftException("could not fetch dataset " + NAME + " into " + target.getParent() + ": " + e
                    + "; check free disk space and permissions, or set GRAFT_CACHE to another directory", e);
        } finally {
            if (work != null) {
                try {
                    Directories.deleteRecursively(work);
                } catch (IOException e) {
                    log.accept(NAME + ": could not delete the work directory " + work + ": " + e.getMessage());
                }
            }
        }
    }

    /**
     * Reads the plain-text category files of an unpacked fortunes directory: regular files only
     * (symbolic links such as the {@code .u8} names are skipped), not {@code .dat}, {@code .u8} or
     * hidden ones. Each must be UTF-8.
     *
     * @return category (file name) to content, in name order
     * @throws GraftException if the directory is missing or has no category file, or a file is not UTF-8
     */
    static Map<String, String> readCategories(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new GraftException("the unpacked package has no " + INSIDE + "/; it is not the expected one: fetch again");
        }
        Map<String, String> categories = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || name.startsWith(".")
                        || name.endsWith(".dat") || name.endsWith(".u8")) {
                    continue;
                }
                categories.put(name, utf8(file));
            }
        }
        if (categories.isEmpty()) {
            throw new GraftException(dir + " holds no fortune files; the package is not the expected one: fetch again");
        }
        return categories;
    }

    private static String utf8(Path file) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new GraftException(file + " is not UTF-8 text; the package is not the expected one: fetch again", e);
        }
    }

    /**
     * Splits each category into fortunes (see {@link #split}), numbers the non-empty ones from 1
     * per category, and drops every exact repeat of an earlier fortune.
     *
     * @param categories category to file content, in the order to read them
     */
    static Prepared prepare(Map<String, String> categories) {
        List<Fortune> fortunes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int empty = 0;
        int duplicates = 0;
        for (Map.Entry<String, String> category : categories.entrySet()) {
            int number = 0;
            for (String raw : split(category.getValue())) {
                String text = TextListing.normaliseWhitespace(raw);
                if (text.isEmpty()) {
                    empty++;
                    continue;
                }
                number++;
                if (!seen.add(text)) {
                    duplicates++;
                    continue;
                }
                fortunes.add(new Fortune(category.getKey(), number, text));
            }
        }
        return new Prepared(fortunes, empty, duplicates);
    }

    /**
     * {@return the pieces of a fortune file between lines that hold only {@code %} (trailing
     *     whitespace allowed), as they are; the piece after the last {@code %} is included, usually empty}
     */
    static List<String> split(String content) {
        List<String> pieces = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : (Iterable<String>) content.lines()::iterator) {
            if (line.stripTrailing().equals("%")) {
                pieces.add(current.toString());
                current.setLength(0);
            } else {
                current.append(line).append('\n');
            }
        }
        pieces.add(current.toString());
        return pieces;
    }

    /** Writes the JSONL, then the manifest, each atomically; returns the manifest. */
    static TextListing.Manifest write(Path target, List<Fortune> fortunes) throws IOException {
        return TextListing.write(target, NAME, FORMAT_VERSION, source(), DEB_SHA256, fortunes, Fortunes::row);
    }

    static Map<String, Object> row(Fortune fortune) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", fortune.id());
        row.put("text", fortune.text());
        row.put("label", fortune.category());
        return row;
    }
}
