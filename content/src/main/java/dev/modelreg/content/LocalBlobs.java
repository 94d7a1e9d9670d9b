package dev.modelreg.content;

import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.io.InputStream;

/**
 * Optional capability of a local store whose blobs are addressed by their digest alone (the blob cache, an OCI layout,
 * an OCI archive): a blob is found without its size or media type. What is opened here is not verified: a caller
 * that uses the bytes reads them through {@link VerifiedRead}.
 */
public interface LocalBlobs {
    /** True if the blob is here: a regular file of the store (a link planted in its place is not one). */
    boolean has(Digest d);

    /** The blob's bytes, not verified; NOT_FOUND when it is not here. */
    InputStream open(Digest d) throws IOException;

    /** The blob's size in bytes; NOT_FOUND when it is not here. */
    long size(Digest d) throws IOException;
}
