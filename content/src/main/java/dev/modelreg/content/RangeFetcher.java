package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import java.io.IOException;
import java.io.InputStream;

/**
 * Optional capability of a store: serve a blob from an offset (an HTTP {@code Range} request), so an interrupted
 * download resumes where its partial file ends instead of starting over.
 */
public interface RangeFetcher {
    /** A stream of the blob's bytes from {@code offset} on; {@code offset} says where it really starts. */
    record Fetched(InputStream in, long offset) {}

    /**
     * Opens {@code d} at {@code offset}. A server that ignores the range answers the whole blob: the result's offset
     * is then 0 and the caller starts over. The stream is not verified (see {@link Fetcher}).
     */
    Fetched fetch(Descriptor d, long offset) throws IOException;
}
