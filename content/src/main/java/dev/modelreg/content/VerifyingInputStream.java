package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Tees everything read into a hasher, refuses to read past the expected size, and at end of stream checks size and
 * digest, failing with (want, got, bytes read). {@code what} names the content for the message (e.g. the blob and
 * its source). Reading to EOF is required for verification to happen: {@link #verifyToEnd()} does it.
 */
public final class VerifyingInputStream extends FilterInputStream {
    private final Digest expected;
    private final long expectedSize;
    private final String what;
    private final MessageDigest hasher;
    private long count;
    private boolean verified;

    public VerifyingInputStream(InputStream in, Descriptor expected, String what) {
        this(in, expected.digest(), expected.size(), what);
    }

    public VerifyingInputStream(InputStream in, Digest expected, long expectedSize, String what) {
        super(in);
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.what = what;
        this.hasher = expected.newHasher();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (verified) return -1;
        // InputStream.readAllBytes asks for 0 bytes when its buffer is full: reading 1 byte there would be out of bounds.
        if (len == 0) return 0;
        // Ask for one byte more than remains, so that excess content is detected rather than silently cut.
        long remaining = expectedSize - count;
        int want = (int) Math.min(len, remaining + 1);
        int n = in.read(b, off, Math.max(want, 1));
        if (n < 0) {
            check();
            return -1;
        }
        count += n;
        if (count > expectedSize) {
            throw new ContentException(ContentException.Kind.SIZE_MISMATCH, what + ": size mismatch: want "
                    + expectedSize + " bytes, got more than that");
        }
        hasher.update(b, off, n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[8192];
        long done = 0;
        while (done < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) break;
            done += r;
        }
        return done;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void check() throws ContentException {
        if (verified) return;
        if (count != expectedSize) {
            throw new ContentException(ContentException.Kind.SIZE_MISMATCH, what + ": size mismatch: want "
                    + expectedSize + " bytes, got " + count);
        }
        Digest got = expected.sameAlgorithm(hasher);
        if (!got.equals(expected)) {
            throw new ContentException(ContentException.Kind.DIGEST_MISMATCH, what + ": digest mismatch: want "
                    + expected + ", got " + got + " (" + count + " bytes read)");
        }
        verified = true;
    }

    /** Reads and discards the rest, then verifies. */
    public void verifyToEnd() throws IOException {
        byte[] buf = new byte[65536];
        while (read(buf, 0, buf.length) >= 0) {
            // drain
        }
    }

    public boolean verified() {
        return verified;
    }

    public long count() {
        return count;
    }
}
