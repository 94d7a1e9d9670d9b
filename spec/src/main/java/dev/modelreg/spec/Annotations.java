package dev.modelreg.spec;

/** Annotation keys of the OCI mapping. See spec/README.md, "Annotations". */
public final class Annotations {
    private Annotations() {}

    public static final String TITLE = "org.opencontainers.image.title";
    public static final String CREATED = "org.opencontainers.image.created";
    public static final String SOURCE = "org.opencontainers.image.source";
    public static final String REVISION = "org.opencontainers.image.revision";
    public static final String VERSION = "org.opencontainers.image.version";
    public static final String DESCRIPTION = "org.opencontainers.image.description";
    public static final String AUTHORS = "org.opencontainers.image.authors";
    public static final String LICENSES = "org.opencontainers.image.licenses";
    public static final String DOCUMENTATION = "org.opencontainers.image.documentation";
    public static final String URL = "org.opencontainers.image.url";
    public static final String VENDOR = "org.opencontainers.image.vendor";
    /** Manifest: a metadata key with no standard annotation ({@code push --metadata}, spec/README.md 3.8) is this plus the key. */
    public static final String METADATA_PREFIX = "dev.modelreg.metadata.";
    /** Tag name of a manifest in an OCI image layout's index.json. */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    /**
     * containerd's full image name on an index.json entry ({@code HOST/REPOSITORY:TAG}); modelreg writes it beside a
     * tag-only {@link #REF_NAME} to keep the repository of each ref of a multi-repository layout or archive.
     */
    public static final String IMAGE_NAME = "io.containerd.image.name";

    /** Manifest: the git ref, verbatim, that this artifact was pushed for (the tag may be its escaped form). */
    public static final String REF = "dev.modelreg.ref";
    /** Tar layer: the file group it holds (a model name, or "" for files outside any model). */
    public static final String GROUP = "dev.modelreg.group";
    /** Merged tar layer (only when the layer limit forces it): a JSON array of the groups it holds, sorted. */
    public static final String GROUPS = "dev.modelreg.groups";
    /**
     * Delta tar layer (a push with a base, spec/README.md 3.6): a JSON array of the file keys it serves, sorted. A
     * key listed by a delta layer is read from the last such layer, not from its group's tar.
     */
    public static final String DELTA = "dev.modelreg.delta";
    /**
     * A layer of a ModelPack artifact modelreg wrote (spec/README.md 3.12): it is the ref's models.toml (a raw layer),
     * and the value is its digest, {@code sha256:<hex>}.
     */
    public static final String REGISTRY_LAYER = "dev.modelreg.registry";
    /** ORAS: a titled layer is a gzipped tar of the directory at its title, to unpack ("true"). */
    public static final String ORAS_UNPACK = "io.deis.oras.content.unpack";
    /** ORAS: the digest of the uncompressed tar of an unpacked directory. */
    public static final String ORAS_CONTENT_DIGEST = "io.deis.oras.content.digest";
    /** Tar layer: the number of files it holds. */
    public static final String FILE_COUNT = "dev.modelreg.files";
    /**
     * Manifest: the files stored outside the registry (spec/README.md 3.14), a JSON array of file keys, sorted. No layer
     * serves a key listed here: it is fetched from its models.toml {@code url} and verified against its {@code hash}.
     */
    public static final String EXTERNAL = "dev.modelreg.external";
    /** Manifest: the digest of the manifest whose external files this one carries in layers ({@code mirror --internalize}). */
    public static final String INTERNALIZED = "dev.modelreg.internalized";
}
