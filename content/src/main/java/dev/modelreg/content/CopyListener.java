package dev.modelreg.content;

import dev.modelreg.spec.Digest;

/**
 * Hooks of a copy (oras-go's CopyGraphOptions): progress displays, logs and counters attach here instead of being
 * threaded through every caller. Called from the copy's worker threads; implementations must be thread-safe.
 * {@code size} is -1 for a blob whose size is not known in advance (a GitHub-mode file). The hooks are about blobs
 * (configs, layers, files); the manifests a copy pushes after them are not reported.
 */
public interface CopyListener {
    /** The copy will look at {@code blobs} blobs of {@code bytes} bytes in all (some may turn out to be skipped). */
    default void planned(int blobs, long bytes) {}

    /** The destination has it already. */
    default void skipped(Digest digest, long size) {}

    /** Linked from another repository of the same registry, no bytes sent. */
    default void mounted(Digest digest, long size) {}

    /** A transfer begins; {@code offset} > 0 when it resumes a partial download kept from an earlier attempt. */
    default void started(Digest digest, long size, long offset) {}

    /** {@code n} more bytes of a blob arrived from (or were sent to) the network or the source store. */
    default void transferred(long n) {}

    /** A transfer failed and will be tried again after {@code cause}. */
    default void retrying(Digest digest, Exception cause) {}

    /** A blob is in the destination, verified. */
    default void copied(Digest digest, long size) {}

    CopyListener NONE = new CopyListener() {};
}
