package dev.modelreg.consumer;

import dev.modelreg.spec.Reference;
import java.nio.file.Path;
import java.util.Map;

/**
 * One ref of a configured source, ready to be copied elsewhere. OCI mode: {@code artifact} is the artifact
 * ({@code LOCATION@DIGEST}, at the endpoint that served it) to copy as it is. GitHub mode: {@code config} is the
 * verified models.toml, byte for byte, and {@code files} maps every file key to its verified content in the cache.
 *
 * @param gitRef the ref (for a pin: the ref it was pinned from; null when unknown)
 */
record Exportable(Synced synced, String gitRef, Reference artifact, byte[] config, Map<String, Path> files) {
    /** True for a ref copied as it is (OCI mode); false for one that becomes a new artifact (GitHub mode). */
    public boolean isArtifact() {
        return artifact != null;
    }
}
