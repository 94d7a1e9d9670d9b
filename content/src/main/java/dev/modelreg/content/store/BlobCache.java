package dev.modelreg.content.store;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.Expected;
import dev.modelreg.content.Ingest;
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
    private final InUse inUse;

    private BlobCache(Path root, InUse inUse, boolean shared) {
        super(new BlobDir(root, "cache " + root, true, shared ? inUse : null));
        this.inUse = inUse;
    }

    private BlobCache(Path root, boolean shared) {
        this(root, new InUse(root), shared);
    }

    /** A private cache (a scratch directory, a test): nothing registers the blobs it uses. */
    public static BlobCache open(Path root) throws IOException {
        SafeFiles.ownDirectories(root, root.resolve("blobs"));
        return new BlobCache(root, false);
    }

    /** {@link #open} without touching the disk: its directories are made as blobs are written. */
    public static BlobCache at(Path root) {
        return new BlobCache(root, false);
    }

    /**
     * The cache at {@code root} that other processes use too, without touching the disk: every blob it looks up or
     * commits is registered in use first, so that a concurrent {@link #prune} keeps it (spec/README.md 9.3).
     */
    public static BlobCache shared(Path root) {
        return new BlobCache(root, true);
    }

    /** One operation on the cache ({@link #use}); closing it never fails. */
    public interface Use extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Starts an operation that uses blobs of the cache: what this process registers stays registered until its last
     * operation ends (a sync until its state is written, a pull until its files are in place).
     */
    public Use use() {
        return inUse.hold();
    }

    /** Registers {@code digests} in use at once (one append), before they are looked up one by one. */
    public void register(java.util.Collection<Digest> digests) {
        if (blobs.registers()) inUse.addAll(digests);
    }

    /** Every blob of the cache, by digest. */
    public java.util.List<CachedBlob> list() throws IOException {
        return BlobSweep.list(blobs.root().resolve("blobs"), null);
    }

    /** The digests every cached ref references: read by a prune under its lock. */
    public interface Referenced {
        Set<Digest> get() throws IOException;
    }

    /** What a prune removed (or, dry, would remove), and the blobs it would have removed that a running process uses. */
    public record Pruned(java.util.List<CachedBlob> removed, java.util.List<CachedBlob> inUse) {
        public long bytes() {
            return removed.stream().mapToLong(CachedBlob::size).sum();
        }
    }

    /**
     * Removes the blobs that no ref {@code referenced} names, no running process uses (9.3) and {@code eligible}
     * accepts, and entries of {@code blobs/} that are not blobs. Under the cache's lock: first the running processes'
     * registrations are read, then {@code referenced}, then the blobs are listed and removed; a process registering a
     * blob meanwhile waits for the end. A {@code dryRun} takes no lock and removes nothing.
     */
    public Pruned prune(Referenced referenced, java.util.function.Predicate<CachedBlob> eligible, boolean dryRun,
                        java.util.function.Consumer<String> waiting) throws IOException {
        if (!java.nio.file.Files.isDirectory(blobs.root().resolve("blobs"))) return new Pruned(java.util.List.of(), java.util.List.of());
        return inUse.sweep(waiting, dryRun, () -> sweep(referenced, eligible, dryRun));
    }

    private Pruned sweep(Referenced referenced, java.util.function.Predicate<CachedBlob> eligible, boolean dryRun)
            throws IOException {
        Set<Digest> live = inUse.live(!dryRun);
        Set<Digest> refs = referenced.get();
        java.util.List<java.nio.file.Path> junk = new java.util.ArrayList<>();
        java.util.List<CachedBlob> all = BlobSweep.list(blobs.root().resolve("blobs"), junk);
        java.util.List<CachedBlob> kept = new java.util.ArrayList<>();
        java.util.List<CachedBlob> removed = BlobSweep.sweep(blobs, all, refs, live, eligible, dryRun, kept);
        if (!dryRun) {
            BlobSweep.removeJunk(junk);
            removed.forEach(b -> verifiedNow.remove(b.digest()));
        }
        return new Pruned(removed, kept);
    }

    /** Removes every file of {@code ingest/} that no process is writing (resumable partials too): clearing the cache. */
    public void clearIngest() {
        Ingest.clear(ingestDir());
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
     * True if this process stored or checked the blob moments ago and it has no other name since: it may be used
     * without hashing it again. One with another name (a {@code pull --link} workspace file) may have been edited
     * in place through it.
     */
    public boolean isTrustedNow(Digest d) throws IOException {
        return isVerifiedNow(d) && !SafeFiles.otherLinks(path(d));
    }

    /**
     * True if the blob is cached and still hashes to its address, at most {@code maxSize} bytes: for a caller that
     * reads it in place (a zip) or links it ({@code pull --link}) and has nothing else to check it against. A blob this
     * process stored or checked moments ago is not hashed again, unless it has another name (a {@code pull --link}
     * workspace file: an edit in place there changes the blob too). An intact blob counts as verified now; a damaged
     * one is removed (false: fetched again).
     */
    public boolean verify(Digest digest, long maxSize, String what) throws IOException {
        if (isTrustedNow(digest)) return has(digest);
        try (VerifyingInputStream in = VerifiedRead.open(this, digest, maxSize, what + " in " + this)) {
            in.verifyToEnd();
            verifiedNow.add(digest);
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
