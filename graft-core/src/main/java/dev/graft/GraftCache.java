package dev.graft;

import java.nio.file.Path;

/** Where Graft keeps fetched datasets, converted weights and cached features. */
public final class GraftCache {

    private GraftCache() {}

    /**
     * {@return the system property {@code graft.cache} if set, else {@code $GRAFT_CACHE} if set, else
     *     {@code ~/.cache/graft}}
     */
    public static Path root() {
        String property = System.getProperty("graft.cache");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath();
        }
        String env = System.getenv("GRAFT_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".cache", "graft");
    }

    /** {@return the directory of cached backbone features} */
    public static Path features() {
        return root().resolve("features");
    }
}
