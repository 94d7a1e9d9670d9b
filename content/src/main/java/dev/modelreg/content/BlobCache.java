package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The local content-addressed cache: {@code root/blobs/sha256/<hex>}, shared by all sources, refs and transports.
 * Blobs enter only through the verified ingest path (temp file in {@code root/ingest}, hashed while written,
 * checked, renamed atomically); a blob whose digest or size does not match never appears. Safe for concurrent
 * use by threads and processes: the same blob ingested twice ends as one file.
 */
public final class BlobCache implements Storage {
    private final BlobDir blobs;

    private BlobCache(Path root) {
        this.blobs = new BlobDir(root, "cache " + root);
    }

    public static BlobCache open(Path root) throws IOException {
        Files.createDirectories(root.resolve("blobs"));
        return new BlobCache(root);
    }

    public Path root() {
        return blobs.root();
    }

    /** Where the blob with this digest is (or would be) stored. */
    public Path path(Digest digest) {
        return blobs.path(digest);
    }

    public boolean has(Digest digest) {
        return blobs.has(digest);
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
        blobs.push(expected, content);
    }

    @Override
    public String toString() {
        return "cache " + root();
    }
}
