package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local content-addressed cache: {@code root/blobs/sha256/<hex>}, shared by all sources, refs and transports.
 * Blobs enter only through the verified ingest path (file in {@code root/ingest}, hashed while written, checked,
 * renamed atomically; resumable); a blob whose digest or size does not match never appears. Safe for concurrent use
 * by threads and processes: the same blob ingested twice ends as one file. It remembers which blobs this process
 * stored and verified itself ({@link #isVerifiedNow}): copying those out needs no second hash.
 */
public final class BlobCache implements Storage, ResumablePusher {
    private final BlobDir blobs;
    private final Set<Digest> verifiedNow = ConcurrentHashMap.newKeySet();

    private BlobCache(Path root) {
        this.blobs = new BlobDir(root, "cache " + root, true);
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

    public boolean has(Digest digest) {
        return blobs.has(digest);
    }

    /** True if this process stored {@code d} itself, verified, moments ago. */
    public boolean isVerifiedNow(Digest d) {
        return verifiedNow.contains(d);
    }

    /**
     * The one verified read of a small cached blob (a manifest, a config, a models.toml): its bytes, hashed against
     * {@code digest} and at most {@code maxSize}; null when it is not cached. A blob that does not match its address
     * (damaged on disk) is removed and reported as not cached, so that the caller fetches it again.
     */
    public byte[] read(Digest digest, long maxSize, String what) throws IOException {
        Path p = path(digest);
        if (!has(digest)) return null; // (a link at its name is not a cached blob)
        InputStream file;
        try {
            file = Files.newInputStream(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
        try (InputStream in = VerifyingInputStream.unsized(file, digest, maxSize, what + " in " + this)) {
            return in.readAllBytes();
        } catch (ContentException e) {
            if (e.kind() != ContentException.Kind.DIGEST_MISMATCH) throw e;
            Files.deleteIfExists(p); // damaged: never served, fetched again
            verifiedNow.remove(digest);
            return null;
        }
    }

    @Override
    public boolean exists(Descriptor d) throws IOException {
        return blobs.exists(d);
    }

    @Override
    public InputStream fetch(Descriptor d) throws IOException {
        return blobs.fetch(d);
    }

    @Override
    public void push(Descriptor expected, InputStream content) throws IOException {
        if (blobs.push(expected, content)) verifiedNow.add(expected.digest());
    }

    @Override
    public boolean push(Expected expected, Ingest.Source source, BlobSink sink, CopyListener listener, String what)
            throws IOException {
        boolean stored = blobs.push(expected, source, sink, listener, what);
        if (stored) verifiedNow.add(expected.digest());
        return stored;
    }

    /**
     * Stores content whose digest is not known in advance (a GitHub release zip: its members are verified, the zip
     * has no hash to check), at most {@code maxSize} bytes; returns its digest. Written to a temp file in the same
     * pass that hashes it, then renamed to its content address.
     */
    public Digest add(InputStream in, long maxSize, String what) throws IOException {
        blobs.ingestDirectory();
        Ingest.cleanup(ingestDir());
        PartialFile tmp = PartialFile.temp(ingestDir(), "sha256-unknown");
        try (in) {
            DigestingOutputStream out = new DigestingOutputStream(java.io.OutputStream.nullOutputStream());
            InputStream tee = tmp.tee(in, CopyListener.NONE);
            byte[] buf = new byte[Streams.bufferSize(-1)];
            for (int n; (n = tee.read(buf, 0, buf.length)) >= 0; ) {
                out.write(buf, 0, n);
                if (out.count() > maxSize) {
                    throw new ContentException(ContentException.Kind.SIZE_MISMATCH, what + ": more than the limit of "
                            + maxSize + " bytes");
                }
            }
            Digest d = out.digest();
            Path target = path(d);
            blobs.directoryOf(target);
            if (tmp.moveTo(target)) verifiedNow.add(d);
            return d;
        } finally {
            tmp.close(false);
        }
    }

    @Override
    public String toString() {
        return "cache " + root();
    }
}
