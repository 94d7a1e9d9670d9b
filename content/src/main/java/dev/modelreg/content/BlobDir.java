package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Content-addressed blobs under {@code root/blobs/<algorithm>/<hex>}, written only through {@link Ingest} with
 * files in {@code root/ingest} (same file store, so the final rename is atomic; partial downloads are kept there
 * for resuming). Shared by {@link BlobCache} and {@link OciLayout}.
 */
final class BlobDir {
    private final Path root;
    private final Path ingest;
    private final String name;

    BlobDir(Path root, String name) {
        this.root = root;
        this.ingest = root.resolve("ingest");
        this.name = name;
    }

    Path root() {
        return root;
    }

    Path ingestDir() {
        return ingest;
    }

    Path path(Digest d) {
        return root.resolve("blobs").resolve(d.algorithm()).resolve(d.hex());
    }

    boolean has(Digest d) {
        return Files.isRegularFile(path(d));
    }

    boolean exists(Descriptor d) throws IOException {
        Path p = path(d.digest());
        try {
            return Files.size(p) == d.size();
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    InputStream fetch(Descriptor d) throws IOException {
        try {
            return Files.newInputStream(path(d.digest()));
        } catch (NoSuchFileException e) {
            throw ContentException.notFound("blob " + d.digest() + " not found in " + name);
        }
    }

    /** Verified write (not resumable: the content is a stream); true if this call stored the blob. */
    boolean push(Descriptor expected, InputStream content) throws IOException {
        Ingest.cleanup(ingest);
        return Ingest.write(ingest, path(expected.digest()), expected, content, "blob " + expected.digest() + " for " + name);
    }

    /** Verified, resumable write; true if this call stored the blob. */
    boolean push(Expected expected, Ingest.Source source, BlobSink sink, CopyListener listener, String what) throws IOException {
        Ingest.cleanup(ingest);
        return Ingest.write(ingest, path(expected.digest()), expected, source, true, sink, listener, what);
    }
}
