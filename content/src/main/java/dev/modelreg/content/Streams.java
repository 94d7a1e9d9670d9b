package dev.modelreg.content;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Bulk copying with a buffer sized to the content: few system calls for big blobs, little garbage for small files. */
public final class Streams {
    private Streams() {}

    static final int MIN_BUFFER = 8 * 1024;
    static final int MAX_BUFFER = 1024 * 1024;
    static final int UNKNOWN_SIZE_BUFFER = 64 * 1024;

    /** A buffer size for content of {@code sizeHint} bytes (or -1 when unknown). */
    public static int bufferSize(long sizeHint) {
        return sizeHint < 0 ? UNKNOWN_SIZE_BUFFER : (int) Math.max(MIN_BUFFER, Math.min(MAX_BUFFER, sizeHint));
    }

    /** Copies {@code in} to {@code out} until end of stream; {@code sizeHint} (bytes expected, or -1) sizes the buffer. */
    public static long copy(InputStream in, OutputStream out, long sizeHint) throws IOException {
        byte[] buf = new byte[bufferSize(sizeHint)];
        long total = 0;
        for (int n; (n = in.read(buf)) >= 0; ) {
            out.write(buf, 0, n);
            total += n;
        }
        return total;
    }
}
