package dev.modelreg.content;

import java.io.IOException;

/**
 * Sees a blob's bytes in the same pass that moves them (e.g. extracts a tar layer's files while it downloads).
 * {@link #finish()} is called once the whole blob has passed and verified, before the destination makes it
 * visible: a sink that throws there (a file missing from a tar) fails the transfer and nothing is stored. A copy
 * that is retried or resumed gets a new sink, which sees the blob from its first byte again.
 */
public interface BlobSink {
    void write(byte[] b, int off, int len) throws IOException;

    void finish() throws IOException;
}
