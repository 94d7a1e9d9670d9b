package dev.modelreg.content.store;

import dev.modelreg.content.ConditionalTagger;
import dev.modelreg.content.TagCondition;
import dev.modelreg.content.ContentException;
import dev.modelreg.content.LocalBlobs;
import dev.modelreg.content.Manifests;
import dev.modelreg.content.ReferrerLister;
import dev.modelreg.content.Referrers;
import dev.modelreg.content.TagLister;
import dev.modelreg.content.Target;
import dev.modelreg.content.VerifiedRead;
import dev.modelreg.content.fs.AtomicFiles;
import dev.modelreg.content.fs.Leftovers;
import dev.modelreg.content.fs.SafeFiles;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.ImageIndex;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An OCI image layout directory (image-spec v1.0 "image-layout"): {@code oci-layout}, {@code index.json},
 * {@code blobs/sha256/<hex>}. Tags are index.json entries annotated with {@code org.opencontainers.image.ref.name}
 * ({@link ImageIndex}). Blobs enter through the verified, resumable ingest path (files in {@code DIR/ingest}, the
 * directory oras-go uses for the same purpose; other tools ignore it). index.json is rewritten atomically (temp
 * file + rename) while holding a file lock on {@code DIR/ingest/index.lock}, so processes and threads can tag the
 * same layout concurrently; entries and fields we do not know (platform, other annotations) are kept as they are.
 */
public final class OciLayout extends DirStore implements Target, TagLister, ConditionalTagger, ReferrerLister {
    static final String LAYOUT_FILE = "oci-layout";
    static final String INDEX_FILE = "index.json";
    public static final byte[] LAYOUT_BYTES = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path dir;
    private final String name;

    private OciLayout(Path dir) {
        super(new BlobDir(dir, Reference.LAYOUT_PREFIX + dir, false));
        this.dir = dir;
        this.name = Reference.LAYOUT_PREFIX + dir;
    }

    /** Opens the layout at {@code dir}, creating the directory, {@code oci-layout} and an empty index.json if missing. */
    public static OciLayout open(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        OciLayout layout = new OciLayout(abs);
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw ContentException.invalid(layout.name + ": not a directory");
        }
        Path sha256 = abs.resolve("blobs").resolve(Digest.SHA256);
        if (!Files.isDirectory(sha256)) SafeFiles.directories(abs, sha256); // never through a link (9.2)
        Path marker = abs.resolve(LAYOUT_FILE);
        if (Files.exists(marker)) checkLayoutFile(readSmall(marker, layout.name + "/" + LAYOUT_FILE), layout.name);
        layout.withIndexLock(() -> {
            if (!Files.exists(marker)) layout.writeAtomically(marker, LAYOUT_BYTES);
            if (!Files.exists(abs.resolve(INDEX_FILE))) layout.writeAtomically(abs.resolve(INDEX_FILE), ImageIndex.empty(layout.name).toBytes());
            return null;
        });
        return layout;
    }

    /** Opens an existing layout for reading; NOT_FOUND when {@code dir} holds none. */
    public static OciLayout openExisting(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve(INDEX_FILE))) {
            throw ContentException.notFound("no OCI image layout at " + dir + " (index.json missing)");
        }
        return open(dir);
    }

    /** The {@code oci-layout} file must say version 1.0.0. */
    static void checkLayoutFile(byte[] bytes, String name) throws ContentException {
        Object v;
        try {
            v = Json.parse(bytes);
        } catch (IllegalArgumentException e) {
            throw ContentException.invalid(name + "/" + LAYOUT_FILE + ": invalid JSON: " + e.getMessage());
        }
        if (!(v instanceof Map<?, ?> m) || !"1.0.0".equals(m.get("imageLayoutVersion"))) {
            throw ContentException.invalid(name + ": unsupported oci-layout file (want imageLayoutVersion 1.0.0)");
        }
    }

    public Path dir() {
        return dir;
    }

    /** Where the blob with this digest is (or would be) stored. */
    public Path blobPath(Digest digest) {
        return blobs.path(digest);
    }

    @Override
    public String name() {
        return name;
    }

    /** Resolves a tag (an index.json ref.name) or a digest (of a manifest held in blobs/). */
    @Override
    public Descriptor resolve(String reference) throws IOException {
        return resolve(readIndex(), reference, name, this);
    }

    /** The resolution rule shared with {@link OciArchive}: a tag through the index, a digest through it or the blobs. */
    static Descriptor resolve(ImageIndex index, String reference, String name, LocalBlobs blobs) throws IOException {
        if (reference == null || reference.isEmpty()) {
            throw ContentException.invalid(name + ": empty reference (want a tag or a digest)");
        }
        if (Digest.isDigest(reference)) {
            Digest digest = Digest.parse(reference);
            Descriptor entry = index.byDigest(digest);
            if (entry != null) return entry;
            if (!blobs.has(digest)) throw ContentException.notFound("manifest " + reference + " not found in " + name);
            byte[] bytes = VerifiedRead.read(blobs, digest, dev.modelreg.spec.Limits.MAX_MANIFEST_BYTES,
                    "manifest " + digest + " in " + name); // found by digest alone: read within the manifest limit
            return Descriptor.of(Manifests.sniffMediaType(bytes, name + " manifest " + reference), digest, bytes.length);
        }
        Descriptor d = index.byTag(reference);
        if (d == null) throw ContentException.notFound("tag '" + reference + "' not found in " + name);
        java.util.Set<String> repos = new java.util.TreeSet<>();
        for (ImageIndex.Named n : index.named()) {
            if (n.tag().equals(reference) && !n.manifest().digest().equals(d.digest())) repos.add(n.displayName());
        }
        if (!repos.isEmpty()) {
            throw ContentException.invalid("tag '" + reference + "' names different manifests in " + name + " ("
                    + String.join(", ", repos) + ", ...): name one by digest, or copy them all (no tag)");
        }
        return d;
    }

    /**
     * Points {@code tag} at {@code manifest} (which must be in blobs/; recording {@code repository},
     * {@link ImageIndex#withTag}), replacing any entry with the same tag, if {@code condition} holds for index.json as
     * read under its lock.
     */
    @Override
    public void tag(Descriptor manifest, String tag, String repository, TagCondition condition) throws IOException {
        LocalTags.checkTaggable(this, manifest, tag, name);
        withIndexLock(() -> {
            ImageIndex index = readIndex();
            condition.check(index.named(), tag, repository, manifest.digest(), name);
            writeAtomically(dir.resolve(INDEX_FILE), index.withTag(tag, manifest, repository).toBytes());
            return null;
        });
    }

    /** The tags in index.json, in index order. */
    public List<String> tags() throws IOException {
        List<String> tags = new ArrayList<>();
        for (ImageIndex.Tagged t : readIndex().tags()) tags.add(t.tag());
        return tags;
    }

    /** The tagged entries of index.json with their repositories, in index order. */
    @Override
    public List<ImageIndex.Named> refs() throws IOException {
        return readIndex().named();
    }

    /**
     * The referrers of {@code subject}: its referrers tag's index and the untagged manifests of index.json that name
     * it as their subject (what oras-go's OCI store writes), {@link Referrers#inIndex}.
     */
    @Override
    public Referrers.Found referrers(dev.modelreg.spec.Digest subject) throws IOException {
        try {
            return Referrers.inIndex(this, subject, readIndex().manifests());
        } catch (IllegalArgumentException e) {
            throw ContentException.invalid(e.getMessage());
        }
    }

    /** Reads a manifest blob fully, verified against {@code d}, within the manifest limit. */
    public byte[] readManifest(Descriptor d) throws IOException {
        return Manifests.read(this, d, "manifest " + d.digest() + " in " + name);
    }

    @Override
    public String toString() {
        return name;
    }

    // ---- index.json

    ImageIndex readIndex() throws IOException {
        byte[] bytes;
        try {
            bytes = readSmall(dir.resolve(INDEX_FILE), name + "/" + INDEX_FILE);
        } catch (NoSuchFileException e) {
            throw ContentException.notFound(name + ": index.json missing (not an OCI image layout?)");
        }
        try {
            return ImageIndex.parse(bytes, name + "/" + INDEX_FILE);
        } catch (IllegalArgumentException e) {
            throw ContentException.invalid(e.getMessage());
        }
    }

    /** A file of the layout read whole, within the manifest limit (checked before it is read, and while). */
    private static byte[] readSmall(Path file, String what) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Manifests.checkSize(Files.size(file), what);
            byte[] b = in.readNBytes(dev.modelreg.spec.Limits.MAX_MANIFEST_BYTES + 1);
            Manifests.checkSize(b.length, what);
            return b;
        }
    }

    /**
     * Replaces {@code target} (index.json, oci-layout) through a temp file {@code ingest/.NAME.PID-*.partial}, under
     * the index lock: so any temp file of index.json or oci-layout found there then is a dead writer's, removed first
     * (also those named {@code NAME-*.partial} by earlier versions, which carried no PID).
     */
    private void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path ingest = blobs.ingestDirectory();
        String name = target.getFileName().toString();
        try (java.nio.file.DirectoryStream<Path> old = Files.newDirectoryStream(ingest, "{" + INDEX_FILE + "," + LAYOUT_FILE + "}-*.partial")) {
            for (Path p : old) Files.deleteIfExists(p);
        }
        AtomicFiles.cleanLeftovers(ingest);
        AtomicFiles.write(target, ingest, "." + name + "." + Leftovers.ownerTag(), out -> out.write(bytes));
    }

    private interface Locked<T> {
        T run() throws IOException;
    }

    /** Serializes index.json updates across threads (a JVM lock) and processes (a FileChannel lock). */
    private <T> T withIndexLock(Locked<T> body) throws IOException {
        ReentrantLock jvm = JVM_LOCKS.computeIfAbsent(dir, k -> new ReentrantLock());
        jvm.lock();
        try {
            try (FileChannel ch = SafeFiles.openOwn(blobs.ingestDirectory().resolve("index.lock"));
                 FileLock ignored = ch.lock()) {
                return body.run();
            }
        } finally {
            jvm.unlock();
        }
    }
}
