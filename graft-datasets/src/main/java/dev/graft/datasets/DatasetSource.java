package dev.graft.datasets;

import java.nio.file.Path;
import java.util.function.Consumer;

/** One dataset in the registry: how to describe it and how to prepare it under a cache root. */
interface DatasetSource {

    /** {@return the registry name, lower case} */
    String name();

    /**
     * @param cacheRoot the Graft cache directory
     * @return the description, with whether it is fetched under {@code cacheRoot}
     */
    DatasetInfo info(Path cacheRoot);

    /**
     * Prepares the dataset under {@code cacheRoot}, or finds it already prepared.
     *
     * @param log receives one line per step
     * @return the prepared file
     */
    Path fetch(Path cacheRoot, Consumer<String> log);
}
