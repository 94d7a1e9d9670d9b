package dev.modelreg.content.store;

import dev.modelreg.content.BlobSink;
import dev.modelreg.content.ContentException;
import dev.modelreg.content.CopyListener;
import dev.modelreg.content.Expected;
import dev.modelreg.content.Ingest;
import dev.modelreg.content.VerifiedRead;
import dev.modelreg.content.fs.SafeFiles;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Content-addressed blobs under {@code root/blobs/<algorithm>/<hex>}, written only through {@link Ingest} with
 * files in {@code root/ingest} (same file store, so the final rename is atomic; partial downloads are kept there
 * for resuming). Shared by {@link BlobCache} and {@link OciLayout}.
 */
final class BlobDir {
    private final Path root;
    private final Path ingest;
    private final String name;
    private final boolean own;
    private final InUse inUse;

    /**
     * {@code own}: the tree is modelreg's alone (a cache, a staging directory), so a link or a file where one of its
     * directories should be is replaced by the directory; else (an OCI layout, which other tools share) it is refused.
     */
    BlobDir(Path root, String name, boolean own) {
        this(root, name, own, null);
    }

    /** As above; with {@code inUse}, every digest looked up or committed here is registered there first (9.3). */
    BlobDir(Path root, String name, boolean own, InUse inUse) {
        this.root = root;
        this.ingest = root.resolve("ingest");
        this.name = name;
        this.own = own;
        this.inUse = inUse;
    }

    Path root() {
        return root;
    }

    /** True if the digests this store uses are registered in use (a shared cache). */
    boolean registers() {
        return inUse != null;
    }

    Path ingestDir() {
        return ingest;
    }

    /** Makes {@code ingest/} if missing, never through a link (replaced or refused, see the constructor); returns it. */
    Path ingestDirectory() throws IOException {
        return directories(ingest);
    }

    /** Makes the directory of {@code blob} (a path of this store) as {@link #ingestDirectory} does. */
    void directoryOf(Path blob) throws IOException {
        directories(blob.getParent());
    }

    private Path directories(Path dir) throws IOException {
        return own ? SafeFiles.ownDirectories(root, dir) : SafeFiles.directories(root, dir);
    }

    /** Where the blob of {@code d} is (or goes): every look-up and commit of a blob passes here, registered first. */
    Path path(Digest d) {
        if (inUse != null) inUse.add(d);
        return location(d);
    }

    /** {@link #path} without registering: for the prune that removes it. */
    Path location(Digest d) {
        return root.resolve("blobs").resolve(d.algorithm()).resolve(d.hex());
    }

    /** True if the blob is here: a regular file itself (a link planted in its place is not a blob of this store). */
    boolean has(Digest d) {
        // java.io.File asks stat(2) for a flag: a blob the cache lacks (every blob of a first pull) costs no exception
        Path p = path(d);
        return p.toFile().exists() && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
    }

    boolean exists(Descriptor d) throws IOException {
        BasicFileAttributes a = SafeFiles.attributes(path(d.digest()));
        return a != null && a.isRegularFile() && a.size() == d.size();
    }

    /** The blob by digest alone, never through a link at its name (not verified: {@link VerifiedRead}). */
    InputStream open(Digest d) throws IOException {
        if (!has(d)) throw ContentException.notFound("blob " + d + " not found in " + name);
        try {
            return Files.newInputStream(path(d), LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw ContentException.notFound("blob " + d + " not found in " + name);
        }
    }

    long size(Digest d) throws IOException {
        BasicFileAttributes a = SafeFiles.attributes(path(d));
        if (a == null || !a.isRegularFile()) throw ContentException.notFound("blob " + d + " not found in " + name);
        return a.size();
    }

    /** Verified write (not resumable: the content is a stream); true if this call stored the blob. */
    boolean push(Descriptor expected, InputStream content) throws IOException {
        prepare();
        return Ingest.write(ingest, address(expected.digest()), expected, content, "blob " + expected.digest() + " for " + name);
    }

    /**
     * Verified, resumable write (or, for {@link Expected#unknown}, a write to the address of the digest that arrived):
     * the blob's digest, and whether this call stored it.
     */
    Ingest.Stored push(Expected expected, Ingest.Source source, BlobSink sink, CopyListener listener, String what) throws IOException {
        prepare();
        return Ingest.write(ingest, this::address, expected, source, true, sink, listener, what);
    }

    /** Where the blob of {@code d} goes, its directory made safely. */
    private Path address(Digest d) throws IOException {
        Path p = path(d);
        directoryOf(p);
        return p;
    }

    /** The ingest directory, made safely; then the leftovers of earlier writers are cleaned. */
    private void prepare() throws IOException {
        ingestDirectory();
        Ingest.cleanup(ingest);
    }
}
