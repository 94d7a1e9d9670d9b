package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;

/**
 * What an ingest must receive: a digest, and the exact size (an OCI descriptor) or only an upper bound (a
 * GitHub-mode file: models.toml lists hashes, not sizes). A null digest ({@link #unknown}) is content whose digest is
 * not known in advance (a release zip, a file listed without a hash): it is learned from the bytes, within the bound.
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

    /** Content whose sha256 is learned from its bytes, at most {@code max} of them. */
    public static Expected unknown(long max) {
        return new Expected(null, max, false);
    }

    /** True when the digest is learned from the bytes rather than checked against them. */
    public boolean learnsDigest() {
        return digest == null;
    }

    /** The exact size, or -1 when only a limit is known. */
    public long knownSize() {
        return exactSize ? size : -1;
    }
}
