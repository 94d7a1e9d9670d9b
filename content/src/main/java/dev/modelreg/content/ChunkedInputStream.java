package dev.modelreg.content;

import java.io.IOException;
import java.io.InputStream;

/**
 * Base of the streams that work in chunks ({@link #read(byte[], int, int)}): the single-byte {@link #read()} and
 * {@link #skip(long)} go through it, so every byte passes the chunk method's checks (hashing, counting, limits).
 */
public abstract class ChunkedInputStream extends InputStream {
    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;

    @Override
    public int read() throws IOException {
        return readOne(this);
    }

    @Override
    public long skip(long n) throws IOException {
        return skipByReading(this, n);
    }

    /** The same for a filter over another stream: closing it closes that stream; it supports no mark. */
    public abstract static class Filter extends ChunkedInputStream {
        /** The stream filtered. */
        protected final InputStream in;

        protected Filter(InputStream in) {
            this.in = in;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    static int readOne(InputStream s) throws IOException {
        byte[] one = new byte[1];
        int n;
        do {
            n = s.read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    static long skipByReading(InputStream s, long n) throws IOException {
        byte[] buf = new byte[(int) Math.max(1, Math.min(n, 8192))];
        long done = 0;
        while (done < n) {
            int r = s.read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) break;
            done += r;
        }
        return done;
    }
}
