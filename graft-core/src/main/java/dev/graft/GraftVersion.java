package dev.graft;

/** Graft's version, recorded in every bundle and export. */
public final class GraftVersion {

    /** The version string. */
    public static final String VALUE = "0.1.0";

    private GraftVersion() {}
}
