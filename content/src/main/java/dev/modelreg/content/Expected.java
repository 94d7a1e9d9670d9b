package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import java.io.InputStream;

/**
 * What an ingest must receive: a digest, and the exact size (an OCI descriptor) or only an upper bound (a
 * GitHub-mode file: models.toml lists hashes, not sizes).
 */
public record Expected(Digest digest, long size, boolean exactSize) {
    /** GitHub-mode files without a known size are refused beyond this (64 GiB). */
    public static final long MAX_UNSIZED = dev.modelreg.spec.Limits.MAX_UNSIZED_BYTES;

    public static Expected of(Descriptor d) {
        return new Expected(d.digest(), d.size(), true);
    }

    public static Expected upTo(Digest d, long max) {
        return new Expected(d, max, false);
    }

    /** The exact size, or -1 when only a limit is known. */
    public long knownSize() {
        return exactSize ? size : -1;
    }

    VerifyingInputStream verifying(InputStream in, String what) {
        return exactSize ? new VerifyingInputStream(in, digest, size, what) : VerifyingInputStream.unsized(in, digest, size, what);
    }
}
