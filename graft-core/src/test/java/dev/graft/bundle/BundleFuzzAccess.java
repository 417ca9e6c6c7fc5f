package dev.graft.bundle;

import java.nio.file.Path;

/** Lets the fuzz tests reach the bundle manifest parser directly. */
public final class BundleFuzzAccess {

    private BundleFuzzAccess() {}

    /** @param bytes a graft.json */
    public static void parseManifest(byte[] bytes) {
        Bundle.parseManifest(bytes, Path.of("fuzz.graft"));
    }
}
