package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Tees everything read into a hasher, refuses to read past the expected size, and at end of stream checks size and
 * digest, failing with (want, got, bytes read). {@code what} names the content for the message (e.g. the blob and
 * its source). Reading to EOF is required for verification to happen: {@link #verifyToEnd()} does it. The one
 * wording of a mismatch for every module is {@link #mismatch}. For content whose digest is not known in advance
 * ({@link Expected#unknown}) it only bounds and hashes: {@link #digest()} is what arrived.
 */
public final class VerifyingInputStream extends ChunkedInputStream.Filter implements VerifiedStream {
    private final Digest expected;
    private final long expectedSize;
    private final boolean exactSize;
    private final String what;
    private final MessageDigest hasher;
    private long count;
    private boolean verified;
    private Digest got;

    public VerifyingInputStream(InputStream in, Descriptor expected, String what) {
        this(in, expected.digest(), expected.size(), what);
    }

    public VerifyingInputStream(InputStream in, Digest expected, long expectedSize, String what) {
        this(in, expected, expectedSize, true, what);
    }

    private VerifyingInputStream(InputStream in, Digest expected, long size, boolean exactSize, String what) {
        super(in);
        this.expected = expected;
        this.expectedSize = size;
        this.exactSize = exactSize;
        this.what = what;
        this.hasher = expected == null ? Digest.newSha256() : expected.newHasher();
    }

    /** A stream that checks (or, for {@link Expected#unknown}, learns) what {@code e} says of {@code in}'s bytes. */
    public static VerifyingInputStream expecting(InputStream in, Expected e, String what) {
        return new VerifyingInputStream(in, e.digest(), e.size(), e.exactSize(), what);
    }

    /**
     * Verifies content whose size is not known in advance (a GitHub-mode file: models.toml lists no sizes): at
     * most {@code maxSize} bytes, and the digest.
     */
    public static VerifyingInputStream unsized(InputStream in, Digest expected, long maxSize, String what) {
        return new VerifyingInputStream(in, expected, maxSize, false, what);
    }

    /** {@code in} itself when it already verifies {@code d} (so a blob is hashed once per pass), else a new wrapper. */
    public static InputStream of(InputStream in, Descriptor d, String what) {
        if (in instanceof VerifiedStream v && v.verifies(Expected.of(d))) return in;
        return new VerifyingInputStream(in, d, what);
    }

    @Override
    public boolean verifies(Expected e) {
        return expected != null && expected.equals(e.digest()) && (e.exactSize() ? exactSize && expectedSize == e.size() : expectedSize <= e.size());
    }

    /** The one wording of a digest mismatch: {@code WHAT: digest mismatch: want W, got G (N bytes read)}. */
    public static ContentException mismatch(String what, Digest want, Digest got, long bytes) {
        return new ContentException(ContentException.Kind.DIGEST_MISMATCH, what + ": digest mismatch: want " + want
                + ", got " + got + " (" + bytes + " bytes read)");
    }

    /** The one wording of a size mismatch known up front: {@code WHAT: size mismatch: want W bytes, got G}. */
    public static ContentException sizeMismatch(String what, long want, long got) {
        return new ContentException(ContentException.Kind.SIZE_MISMATCH, what + ": size mismatch: want " + want
                + " bytes, got " + got);
    }

    public Digest expected() {
        return expected;
    }

    /** The digest of the bytes read, once the end was reached (verified, or learned); null before. */
    public Digest digest() {
        return got;
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
            throw new ContentException(ContentException.Kind.SIZE_MISMATCH, what + (exactSize ? ": size mismatch: want "
                    + expectedSize + " bytes, got more than that" : ": more than the limit of " + expectedSize + " bytes"));
        }
        hasher.update(b, off, n);
        return n;
    }

    private void check() throws ContentException {
        if (verified) return;
        if (exactSize && count != expectedSize) {
            throw sizeMismatch(what, expectedSize, count);
        }
        Digest d = expected == null ? Digest.sha256(java.util.HexFormat.of().formatHex(hasher.digest()))
                : expected.sameAlgorithm(hasher);
        if (expected != null && !d.equals(expected)) throw mismatch(what, expected, d, count);
        got = d;
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
