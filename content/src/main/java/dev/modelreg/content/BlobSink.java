package dev.modelreg.content;

import java.io.IOException;
import java.io.InputStream;

/**
 * Sees a blob's bytes in the same pass that moves them (e.g. extracts a tar layer's files while it downloads).
 * {@link #finish()} is called once the whole blob has passed and verified, before the destination makes it
 * visible: a sink that throws there (a file missing from a tar) fails the transfer and nothing is stored. A copy
 * that is retried or resumed gets a new sink, which sees the blob from its first byte again.
 */
public interface BlobSink {
    void write(byte[] b, int off, int len) throws IOException;

    void finish() throws IOException;

    /**
     * Reads {@code in} to its end (where a verifying stream verifies), showing every byte to {@code sink} (may be null),
     * then finishes it; {@code sizeHint} (bytes expected, or -1) sizes the buffer.
     */
    static void drain(InputStream in, long sizeHint, BlobSink sink) throws IOException {
        byte[] buf = new byte[Streams.bufferSize(sizeHint)];
        for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) {
            if (sink != null && n > 0) sink.write(buf, 0, n);
        }
        if (sink != null) sink.finish();
    }
}
