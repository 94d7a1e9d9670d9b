package dev.modelreg.spec;

/**
 * Every limit modelreg enforces on what it reads, declared once (spec/README.md, section 14). A registry, an archive
 * or a GitHub server is hostile until verified: these bound what it can make us hold in memory, write to disk or
 * send us to. Sizes are checked against what a peer declares before anything is fetched, and again while the bytes
 * stream (a peer that lies about a size is cut off at the limit, never buffered past it).
 */
public final class Limits {
    private Limits() {}

    /** A manifest (or image index, or index.json) is at most 4 MiB, read or written. */
    public static final int MAX_MANIFEST_BYTES = 4 << 20;
    /**
     * A registry file (models.toml) is at most 16 MiB: an OCI config blob, a GitHub-mode download, or a file a push
     * publishes. (A 5,000-file models.toml is about 0.5 MB; parsing one at the limit takes about a second and 200 MB.)
     */
    public static final int MAX_REGISTRY_BYTES = 16 << 20;
    /** A manifest lists at most this many layers on read (a push plans at most 500 by default, see 3.3). */
    public static final int MAX_LAYERS = 10_000;
    /** An image index lists at most this many manifests on read. */
    public static final int MAX_INDEX_ENTRIES = 100_000;
    /**
     * The graph a copy walks under one root: image indexes nest at most this deep (the root is level 1; a multi-platform
     * image is 2 levels, an index of such images 3), ...
     */
    public static final int MAX_GRAPH_DEPTH = 16;
    /** ... hold at most this many distinct manifests and indexes, the root included, ... */
    public static final int MAX_GRAPH_MANIFESTS = 10_000;
    /** ... of at most this many bytes together (a copy holds them in memory until it pushes them, children first). */
    public static final long MAX_GRAPH_MANIFEST_BYTES = 64L << 20;
    /**
     * A registry's tag list ({@code /v2/NAME/tags/list}, every page) is read up to this many tags, in at most
     * {@link #MAX_TAG_PAGES} pages; a repository with more is refused (name the tags wanted with a tag or --tags).
     */
    public static final int MAX_TAGS = 10_000;
    /** Pages of a tag list followed (Link: rel="next"). */
    public static final int MAX_TAG_PAGES = 100;
    /**
     * The referrers of one manifest (the OCI referrers API's answer, every page, or its referrers tag's index) are
     * read up to this many; a copy carries at most {@link #MAX_GRAPH_MANIFESTS} manifests, referrers of referrers
     * included, nested at most {@link #MAX_GRAPH_DEPTH} levels.
     */
    public static final int MAX_REFERRERS = 1_000;
    /** A models.toml lists at most this many files ({@code [files]} entries). */
    public static final int MAX_FILES = 1_000_000;
    /** A models.toml lists at most this many models, and at most this many examples. */
    public static final int MAX_MODELS = 100_000;
    /** A file key (and a model or example name) is at most this many UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;
    /** One {@code /}-separated segment of a file key is at most this many UTF-8 bytes (NAME_MAX of common file systems). */
    public static final int MAX_KEY_SEGMENT_BYTES = 255;
    /** A file key has at most this many {@code /}-separated segments. */
    public static final int MAX_KEY_SEGMENTS = 64;
    /** A tar layer holds at most this many entries (extension headers not counted). */
    public static final int MAX_TAR_MEMBERS = MAX_FILES;
    /** An OCI archive (a tar of a layout) holds at most this many entries. */
    public static final int MAX_ARCHIVE_ENTRIES = 1_000_000;
    /** A tar extended header (PAX, GNU long name) is at most 1 MiB. */
    public static final int MAX_TAR_EXTENSION_BYTES = 1 << 20;
    /** A GitHub-mode file or release zip, whose size is not known in advance, is at most 64 GiB. */
    public static final long MAX_UNSIZED_BYTES = 64L << 30;
    /** How much of an HTTP error body is read (for its message); the rest is discarded. */
    public static final int MAX_ERROR_BODY_BYTES = 64 << 10;
    /** A token endpoint's answer is at most 1 MiB. */
    public static final int MAX_TOKEN_BYTES = 1 << 20;
    /** A credential helper's answer (its standard output) is at most 64 KiB (spec/README.md 13). */
    public static final int MAX_HELPER_ANSWER_BYTES = 64 << 10;
    /** Redirects followed for one request. */
    public static final int MAX_REDIRECTS = 10;
    /** JSON nesting depth accepted in any document read. */
    public static final int MAX_JSON_DEPTH = 64;
    /** A metadata file ({@code push --metadata}, spec/README.md 3.11) is at most 64 KiB. */
    public static final int MAX_METADATA_BYTES = 64 << 10;
    /** A metadata file has at most this many keys. */
    public static final int MAX_METADATA_KEYS = 64;
    /** A metadata key is at most this many characters. */
    public static final int MAX_METADATA_KEY_CHARS = 64;
    /** A metadata value is at most this many UTF-8 bytes. */
    public static final int MAX_METADATA_VALUE_BYTES = 8 << 10;
    /** A text from a remote peer shown in a message is cut to this many characters. */
    public static final int MAX_SHOWN_TEXT = 300;
    /**
     * A compressed layer of a model image (spec/README.md 3.11) is refused when it expands past this many bytes, and
     * past what its models.toml allows it (the sizes of the files it serves plus these overheads, see 3.11).
     */
    public static final long MAX_LAYER_EXPANDED_BYTES = 64L << 30;
    /** What one tar entry of a layer may take besides its file's bytes (header, PAX records, padding). */
    public static final int TAR_ENTRY_OVERHEAD_BYTES = 4 << 10;
    /** What a layer's end-of-archive blocks and record padding may take. */
    public static final int TAR_END_OVERHEAD_BYTES = 20 << 10;
    /**
     * The files of a model image layer to which models.toml gives no {@code size} take together at most this many
     * bytes plus {@link #UNSIZED_EXPANSION_RATIO} times the layer's compressed size.
     */
    public static final long UNSIZED_EXPANSION_FLOOR = 1 << 20;
    /** See {@link #UNSIZED_EXPANSION_FLOOR}. */
    public static final int UNSIZED_EXPANSION_RATIO = 100;

    /** Refuses a manifest (or index) of {@code size} bytes over {@link #MAX_MANIFEST_BYTES}: one line naming {@code what}. */
    public static void checkManifestSize(long size, String what) {
        check(size, MAX_MANIFEST_BYTES, what, "a manifest");
    }

    /** Refuses a models.toml of {@code size} bytes over {@link #MAX_REGISTRY_BYTES}: one line naming {@code what}. */
    public static void checkRegistrySize(long size, String what) {
        check(size, MAX_REGISTRY_BYTES, what, "a models.toml");
    }

    /** {@code WHAT is N bytes, more than the L-byte limit for THING} when {@code size > limit}. */
    private static void check(long size, long limit, String what, String thing) {
        if (size > limit) {
            throw new IllegalArgumentException(what + " is " + size + " bytes, more than the " + limit
                    + "-byte limit for " + thing);
        }
    }

    /** {@code WHAT lists N THINGS, more than the limit of L} when {@code count > limit}. */
    public static void checkCount(long count, long limit, String what, String things) {
        if (count > limit) {
            throw new IllegalArgumentException(what + " lists " + count + " " + things + ", more than the limit of " + limit);
        }
    }
}
