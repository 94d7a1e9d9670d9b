package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import java.io.IOException;
import java.io.InputStream;

/**
 * Writes a blob. Implementations verify: content whose size or digest differs from {@code expected} never
 * becomes visible under {@code expected.digest()} (local stores ingest through {@link Ingest}; a registry checks
 * the digest server side). Pushing content that is already there is not an error. A manifest descriptor over
 * {@link dev.modelreg.spec.Limits#MAX_MANIFEST_BYTES} is refused ({@link ContentException.Kind#INVALID}) before the
 * content is read.
 */
public interface Pusher {
    void push(Descriptor expected, InputStream content) throws IOException;
}
