package dev.modelreg.spec;

/** Media types of the OCI mapping. See spec/README.md, "OCI mapping". */
public final class MediaTypes {
    private MediaTypes() {}

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    /** The manifest's artifactType: a modelreg model set. */
    public static final String ARTIFACT_TYPE = "application/vnd.modelreg.modelset.v1";
    /** The config blob: the exact bytes of the ref's models.toml. */
    public static final String CONFIG = "application/vnd.modelreg.registry.v1+toml";
    /** A layer holding one file's raw bytes, uncompressed: its digest is the file's sha256. */
    public static final String FILE_LAYER = "application/vnd.modelreg.file.v1";
    /** A layer holding a reproducible, uncompressed tar of a group of small files. */
    public static final String TAR_LAYER = "application/vnd.oci.image.layer.v1.tar";

    /** Accept header value for manifest requests. */
    public static final String MANIFEST_ACCEPT = String.join(", ", OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST);

    public static boolean isManifest(String mediaType) {
        return OCI_MANIFEST.equals(mediaType) || OCI_INDEX.equals(mediaType)
                || DOCKER_MANIFEST.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
    }
}
