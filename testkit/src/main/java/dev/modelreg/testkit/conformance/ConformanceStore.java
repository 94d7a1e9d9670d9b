package dev.modelreg.testkit.conformance;

import dev.modelreg.spec.Descriptor;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * A store under test as {@link BlobStoreConformance} sees it: what every store of modelreg can do with blobs (oras-go's
 * {@code content.Storage}). Written in spec types and {@code java.io} so that testkit does not depend on the stores;
 * each store's module adapts its store to it in a few lines (content's {@code Storage} maps one to one).
 */
public interface ConformanceStore extends Closeable {
    /** A verified write of {@code content} as {@code expected} (content's {@code Pusher}, or another push path of the store). */
    void push(Descriptor expected, InputStream content) throws IOException;

    /** The content of {@code d} (content's {@code Fetcher}). */
    InputStream fetch(Descriptor d) throws IOException;

    /** Whether the store has {@code d} (content's {@code ReadOnlyStorage}). */
    boolean exists(Descriptor d) throws IOException;

    /**
     * Makes what was pushed (and tagged) lasting, so that a new instance over the same place sees it: an OCI archive's
     * {@code commit()}. Nothing to do for a store that writes through.
     */
    void commit() throws IOException;

    /**
     * The name of the kind of a failure of this store ({@code ContentException.Kind}: {@code NOT_FOUND},
     * {@code DIGEST_MISMATCH}, {@code SIZE_MISMATCH}, {@code INVALID}, ...), or null if the failure carries none.
     */
    String kindOf(Throwable failure);

    /**
     * The local directory every file of this store lives in (an archive's: the directory of the tar, where it stages),
     * checked for stray files after a refused push; null for a remote store.
     */
    Path directory();
}
