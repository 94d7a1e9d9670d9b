package dev.modelreg.content;

import dev.modelreg.spec.Digest;
import java.io.IOException;

/**
 * A source that serves blobs by digest alone, their sizes not known in advance: GitHub-mode files, found by the
 * hash models.toml lists for them. {@link Copy#files} moves them with the same verification, retries, resume and
 * hooks as any other blob.
 */
public interface DigestFetcher {
    /** The blob from {@code offset} on (offset 0 in the result when the source cannot seek). Not verified. */
    RangeFetcher.Fetched fetch(Digest digest, long offset) throws IOException;

    /** A short name for messages. */
    String name();

    /** How messages name the blob with this digest (e.g. a file key and its URL). */
    default String describe(Digest digest) {
        return "blob " + digest + " from " + name();
    }
}
