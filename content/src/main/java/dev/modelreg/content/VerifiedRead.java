package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.io.InputStream;

/**
 * The one verified read of a stored blob (go-containerregistry's {@code verify.ReadCloser}): whoever uses the bytes of
 * a blob read by its digest from a store (the cache, an OCI layout, an OCI archive, a registry) as content reads them
 * here, hashed against the address they were asked for and bounded, with the one wording of a mismatch
 * ({@link VerifyingInputStream#mismatch}). A store's own bookkeeping (copying its blobs as they are into a new
 * archive, a sink fed from a blob it holds) verifies through the same stream.
 */
public final class VerifiedRead {
    private VerifiedRead() {}

    /** {@code d}'s bytes from {@code store} as a stream that fails at its end unless they are {@code d}'s (digest and size). */
    public static InputStream open(Fetcher store, Descriptor d, String what) throws IOException {
        return VerifyingInputStream.of(store.fetch(d), d, what);
    }

    /** All of {@code d}'s bytes, verified; a descriptor of more than {@code max} bytes is refused unread (INVALID). */
    public static byte[] read(Fetcher store, Descriptor d, long max, String what) throws IOException {
        if (d.size() > max) {
            throw ContentException.invalid(what + ": " + d.size() + " bytes, more than the limit of " + max);
        }
        try (InputStream in = open(store, d, what)) {
            return in.readAllBytes();
        }
    }

    /**
     * A blob known by its digest alone, as a stream that fails at its end unless its bytes hash to {@code d}, and
     * fails as soon as it passes {@code max} bytes.
     */
    public static VerifyingInputStream open(LocalBlobs store, Digest d, long max, String what) throws IOException {
        return VerifyingInputStream.unsized(store.open(d), d, max, what);
    }

    /** All of a blob known by its digest alone, verified, at most {@code max} bytes. */
    public static byte[] read(LocalBlobs store, Digest d, long max, String what) throws IOException {
        try (InputStream in = open(store, d, max, what)) {
            return in.readAllBytes();
        }
    }
}
