package dev.modelreg.content;

import dev.modelreg.spec.Digest;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Hashes and counts in the same pass as the write (jib's CountingDigestOutputStream). */
public final class DigestingOutputStream extends FilterOutputStream {
    private final MessageDigest hasher = Digest.newSha256();
    private long count;

    public DigestingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        hasher.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        hasher.update(b, off, len);
        count += len;
    }

    public long count() {
        return count;
    }

    /** The sha256 of everything written; call once, when writing is done. */
    public Digest digest() {
        return Digest.sha256(HexFormat.of().formatHex(hasher.digest()));
    }
}
