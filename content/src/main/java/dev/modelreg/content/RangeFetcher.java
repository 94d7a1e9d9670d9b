package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import java.io.IOException;
import java.io.InputStream;

/**
 * Optional capability of a store: serve a blob from an offset (an HTTP {@code Range} request), so an interrupted
 * download resumes where its partial file ends instead of starting over.
 */
public interface RangeFetcher {
    /**
     * A stream of the blob's bytes from {@code offset} on; {@code offset} says where it really starts, {@code range}
     * whether the source answered the range asked for (a 206) rather than the whole blob.
     */
    record Fetched(InputStream in, long offset, boolean range) {
        public Fetched(InputStream in, long offset) {
            this(in, offset, offset > 0);
        }
    }

    /**
     * Opens {@code d} at {@code offset}. A server that ignores the range answers the whole blob: the result's offset
     * is then 0 and the caller starts over. The stream is not verified (see {@link Fetcher}).
     */
    Fetched fetch(Descriptor d, long offset) throws IOException;

    /**
     * Opens bytes {@code from} to {@code end} (exclusive) of {@code d}: a 206 whose {@code Content-Range} is exactly the
     * range asked gives a stream of {@code end - from} bytes at offset {@code from}; a server that ignores the range
     * answers the whole blob at offset 0. Null: this store cannot ask for a bounded range.
     */
    default Fetched fetch(Descriptor d, long from, long end) throws IOException {
        return null;
    }
}
