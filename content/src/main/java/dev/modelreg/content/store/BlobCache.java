package dev.modelreg.content.store;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.Expected;
import dev.modelreg.content.VerifiedRead;
import dev.modelreg.content.VerifyingInputStream;
import dev.modelreg.content.fs.SafeFiles;
import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local content-addressed cache: {@code root/blobs/sha256/<hex>}, shared by all sources, refs and transports.
 * Blobs enter only through the verified ingest path (file in {@code root/ingest}, hashed while written, checked,
 * renamed atomically; resumable); a blob whose digest or size does not match never appears. Safe for concurrent use
 * by threads and processes: the same blob ingested twice ends as one file. Content whose digest is not known in
 * advance (a release zip) enters the same way, under the digest that arrived ({@link Expected#unknown}). It remembers
 * which blobs this process stored and verified itself ({@link #isVerifiedNow}): copying those out needs no second hash.
 */
public final class BlobCache extends DirStore {
    private final Set<Digest> verifiedNow = ConcurrentHashMap.newKeySet();

    private BlobCache(Path root) {
        super(new BlobDir(root, "cache " + root, true));
    }

    public static BlobCache open(Path root) throws IOException {
        SafeFiles.ownDirectories(root, root.resolve("blobs"));
        return new BlobCache(root);
    }

    /** The cache at {@code root}, without touching the disk: its directories are made as blobs are written. */
    public static BlobCache at(Path root) {
        return new BlobCache(root);
    }

    public Path root() {
        return blobs.root();
    }

    public Path ingestDir() {
        return blobs.ingestDir();
    }

    /** Where the blob with this digest is (or would be) stored. */
    public Path path(Digest digest) {
        return blobs.path(digest);
    }


    /** True if this process stored {@code d} itself, verified, moments ago. */
    public boolean isVerifiedNow(Digest d) {
        return verifiedNow.contains(d);
    }

    /**
     * The verified read ({@link VerifiedRead}) of a small cached blob (a manifest, a config, a models.toml): its bytes,
     * hashed against {@code digest} and at most {@code maxSize}; null when it is not cached. A blob that does not match
     * its address (damaged on disk) is removed and reported as not cached, so that the caller fetches it again.
     */
    public byte[] read(Digest digest, long maxSize, String what) throws IOException {
        try {
            return VerifiedRead.read(this, digest, maxSize, what + " in " + this);
        } catch (ContentException e) {
            heal(e, digest);
            return null;
        }
    }

    /**
     * True if the blob is cached and still hashes to its address (a blob this process stored moments ago is not hashed
     * again), at most {@code maxSize} bytes: for a caller that reads it in place (a zip) and has nothing else to check
     * it against. A damaged one is removed (false).
     */
    public boolean verify(Digest digest, long maxSize, String what) throws IOException {
        if (isVerifiedNow(digest)) return has(digest);
        try (VerifyingInputStream in = VerifiedRead.open(this, digest, maxSize, what + " in " + this)) {
            in.verifyToEnd();
            return true;
        } catch (ContentException e) {
            heal(e, digest);
            return false;
        }
    }

    /** A failed read of {@code digest}: not cached (fine), damaged (removed: fetched again), or else thrown. */
    private void heal(ContentException e, Digest digest) throws IOException {
        if (e.kind() == ContentException.Kind.NOT_FOUND) return; // (a link at its name is not a cached blob)
        if (e.kind() != ContentException.Kind.DIGEST_MISMATCH) throw e;
        Files.deleteIfExists(path(digest)); // damaged: never served, fetched again
        verifiedNow.remove(digest);
    }

    @Override
    void stored(Digest d) {
        verifiedNow.add(d);
    }

    @Override
    public String toString() {
        return "cache " + root();
    }
}
