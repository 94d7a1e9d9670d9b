package dev.modelreg.spec;

/**
 * Every limit modelreg enforces on what it reads, declared once (spec/README.md, section 3.1 and "Transport"). A
 * registry, an archive or a GitHub server is hostile until verified: these bound what it can make us hold in memory
 * or send us to.
 */
public final class Limits {
    private Limits() {}

    /** A manifest (or image index, or index.json) is at most 4 MiB, read or written. */
    public static final int MAX_MANIFEST_BYTES = 4 << 20;
    /** A registry file (models.toml) fetched in GitHub mode is at most 256 MiB. */
    public static final int MAX_REGISTRY_BYTES = 256 << 20;
    /** Refuses a manifest (or index) of {@code size} bytes over {@link #MAX_MANIFEST_BYTES}: one line naming {@code what}. */
    public static void checkManifestSize(long size, String what) {
        if (size > MAX_MANIFEST_BYTES) {
            throw new IllegalArgumentException(what + " is " + size + " bytes, more than the " + MAX_MANIFEST_BYTES
                    + "-byte manifest limit");
        }
    }

    /** A manifest lists at most this many layers on read (a push plans at most 500 by default, see 3.3). */
    public static final int MAX_LAYERS = 10_000;
    /** An image index lists at most this many manifests on read. */
    public static final int MAX_INDEX_ENTRIES = 100_000;
    /** How much of an HTTP error body is read (for its message); the rest is discarded. */
    public static final int MAX_ERROR_BODY_BYTES = 64 << 10;
    /** A token endpoint's answer is at most 1 MiB. */
    public static final int MAX_TOKEN_BYTES = 1 << 20;
    /** Redirects followed for one request. */
    public static final int MAX_REDIRECTS = 10;
    /** JSON nesting depth accepted in any document read. */
    public static final int MAX_JSON_DEPTH = 64;
    /** A text from a remote peer shown in a message is cut to this many characters. */
    public static final int MAX_SHOWN_TEXT = 300;
}
