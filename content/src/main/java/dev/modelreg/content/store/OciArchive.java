package dev.modelreg.content.store;

import dev.modelreg.content.ConditionalTagger;
import dev.modelreg.content.TagCondition;
import dev.modelreg.content.tar.ArchiveTar;
import dev.modelreg.content.Committable;
import dev.modelreg.content.ContentException;
import dev.modelreg.content.Copy;
import dev.modelreg.content.LocalBlobs;
import dev.modelreg.content.Manifests;
import dev.modelreg.content.Streams;
import dev.modelreg.content.TagLister;
import dev.modelreg.content.Target;
import dev.modelreg.content.VerifyingInputStream;
import dev.modelreg.content.fs.AtomicFiles;
import dev.modelreg.content.fs.Cleanup;
import dev.modelreg.content.fs.ExclusiveLock;
import dev.modelreg.content.fs.Leftovers;
import dev.modelreg.content.fs.Trees;
import dev.modelreg.content.tar.TarHeaders;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.ImageIndex;
import dev.modelreg.spec.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * An OCI archive: a tar of an OCI image layout ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/<hex>}),
 * the file skopeo reads and writes as {@code oci-archive:FILE.tar[:TAG]}. Used to carry artifacts into air-gapped
 * sites.
 * <p>Reading never extracts: opening scans the tar headers once ({@link ArchiveTar#index}, which refuses absolute
 * paths, {@code ..}, links, devices and duplicates) and blobs are then read in place from the tar file. Every blob
 * is verified by whoever reads it ({@link Copy}, the consumer's ingest), so a tampered archive is caught where its
 * bytes come in.
 * <p>Writing stages new blobs in a private directory next to the file ({@code .FILE.staging-PID-*}, same file system, verified
 * ingest) and keeps tags in memory; {@link #commit()} writes the whole archive to a temp file beside the target and
 * renames it over {@code FILE} atomically (each staged blob is deleted once it is in the new tar, so the peak disk use
 * is about one copy of the new content plus the largest blob); {@link #close()} removes the staging directory. An existing archive is
 * added to: its blobs and index entries are kept (its blobs re-verified while they are copied), a tag given again
 * points at the new manifest. Without a commit, or when anything fails, {@code FILE} is left as it was (absent or
 * the previous archive). The written tar is deterministic: {@code oci-layout}, {@code index.json}, {@code blobs/},
 * {@code blobs/sha256/}, then the blobs sorted by digest; ustar headers with mode 0644/0755, uid/gid 0, mtime 0,
 * no PAX headers.
 * <p>The archive as opened is read through a channel held open on that file ({@link Snapshot}): another writer may
 * replace {@code FILE} meanwhile, and what this one reads stays the version it indexed. Writers commit one at a time,
 * holding {@link ExclusiveLock} on {@code .FILE.lock} beside it, and each reads the archive again under the lock and
 * adds its blobs and tags to what is there then: concurrent writers, in any processes, lose nothing.
 */
public final class OciArchive implements Target, Committable, LocalBlobs, TagLister, ConditionalTagger {
    public static final String PREFIX = Reference.ARCHIVE_PREFIX;
    private static final String LAYOUT_FILE = OciLayout.LAYOUT_FILE;
    private static final String INDEX_FILE = OciLayout.INDEX_FILE;

    /**
     * One version of the archive file, indexed and read through the channel it was indexed from (held open: the file
     * may be replaced by a writer's rename, its bytes stay readable here); null entries and index when there was none.
     */
    private record Snapshot(FileChannel channel, Map<String, ArchiveTar.Entry> entries, ImageIndex index) {
        static final Snapshot NONE = new Snapshot(null, Map.of(), null);

        InputStream open(ArchiveTar.Entry e) {
            return ArchiveTar.open(channel, e.offset(), e.size(), false);
        }
    }

    private final Path file;
    private final String name;
    private Snapshot snapshot = Snapshot.NONE;
    private final List<Snapshot> retired = new ArrayList<>(); // earlier snapshots: a stream may still read one
    private final ArchiveTags tags = new ArchiveTags(); // set since opening, in order, with their conditions
    private Path stagingDir;
    private BlobDir staging;

    private OciArchive(Path file) {
        this.file = file;
        this.name = PREFIX + file;
    }

    /** Opens the archive at {@code file}: an existing tar is indexed (and checked); a missing one is created by {@link #commit()}. */
    public static OciArchive open(Path file) throws IOException {
        OciArchive a = new OciArchive(file.toAbsolutePath().normalize());
        a.snapshot = a.load();
        return a;
    }

    public Path file() {
        return file;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public synchronized boolean exists(Descriptor d) throws IOException {
        if (staging != null && staging.exists(d)) return true;
        ArchiveTar.Entry e = snapshot.entries().get(blobName(d.digest()));
        return e != null && e.size() == d.size();
    }

    @Override
    public InputStream fetch(Descriptor d) throws IOException {
        return open(d.digest());
    }

    @Override
    public void push(Descriptor expected, InputStream content) throws IOException {
        if (exists(expected)) {
            content.close();
            return;
        }
        staging().push(expected, content);
    }

    /** Resolves a tag (tags set since opening first, then the archive's index.json) or a manifest digest (staged ones too). */
    @Override
    public Descriptor resolve(String reference) throws IOException {
        if (snapshot.index() == null && tags.isEmpty() && staging == null) throw ContentException.notFound("no OCI archive at " + file);
        return OciLayout.resolve(mergedIndex(), reference, name, this);
    }

    @Override
    public synchronized boolean has(Digest d) {
        return (staging != null && staging.has(d)) || snapshot.entries().containsKey(blobName(d));
    }

    @Override
    public InputStream open(Digest d) throws IOException {
        BlobDir s;
        Snapshot from;
        synchronized (this) {
            s = staging;
            from = snapshot;
        }
        if (s != null && s.has(d)) return s.open(d);
        ArchiveTar.Entry e = from.entries().get(blobName(d));
        if (e == null) throw ContentException.notFound("blob " + d + " not found in " + name);
        return from.open(e);
    }

    @Override
    public synchronized long size(Digest d) throws IOException {
        if (staging != null && staging.has(d)) return staging.size(d);
        ArchiveTar.Entry e = snapshot.entries().get(blobName(d));
        if (e == null) throw ContentException.notFound("blob " + d + " not found in " + name);
        return e.size();
    }

    /**
     * Points {@code tag} at {@code manifest} (recording {@code repository}, {@link ImageIndex#withTag}) in the archive
     * written by the next {@link #commit()}, if {@code condition} holds now, and again at commit under its lock.
     */
    @Override
    public synchronized void tag(Descriptor manifest, String tag, String repository, TagCondition condition) throws IOException {
        LocalTags.checkTaggable(this, manifest, tag, name);
        tags.add(mergedIndex(), manifest, tag, repository, condition, name);
    }

    /** The tags of the archive as it would be committed now, in index order. */
    public synchronized List<String> tags() throws IOException {
        List<String> out = new ArrayList<>();
        for (ImageIndex.Tagged t : mergedIndex().tags()) out.add(t.tag());
        return out;
    }

    /** The tagged entries of the archive as it would be committed now, with their repositories. */
    @Override
    public synchronized List<ImageIndex.Named> refs() throws IOException {
        if (snapshot.index() == null && tags.isEmpty()) throw ContentException.notFound("no OCI archive at " + file);
        return mergedIndex().named();
    }

    /**
     * Writes the archive (the archive as it is now plus what was pushed and tagged since opening) to a temp file beside
     * {@code FILE} and renames it over {@code FILE}, holding the archive's lock ({@code .FILE.lock}): the archive is read
     * again under it, so what another writer committed since this one opened it is kept, its tags included (a tag set
     * by both points where this writer's does). Does nothing (returns false) when nothing was pushed or tagged.
     * Refuses to write an archive whose index.json would be empty, or one where a tag's condition fails (CONFLICT).
     */
    @Override
    public synchronized boolean commit() throws IOException {
        if (staging == null && tags.isEmpty()) return false;
        Files.createDirectories(file.getParent());
        try (ExclusiveLock ignored = ExclusiveLock.acquire(file.resolveSibling("." + file.getFileName() + ".lock"), name)) {
            Snapshot now = load();
            tags.check(now.index(), name);
            retired.add(snapshot);
            snapshot = now;
            write(now);
            Snapshot written = load();
            retired.add(snapshot);
            snapshot = written;
        }
        deleteStaging();
        tags.clear();
        return true;
    }

    /** Writes {@code now} (the archive as it is under the lock) with this writer's blobs and tags added. */
    private void write(Snapshot now) throws IOException {
        ImageIndex merged = mergedIndex();
        if (merged.isEmpty()) {
            throw new ContentException(ContentException.Kind.INVALID, "nothing tagged in " + name
                    + ": an archive needs a tag (oci-archive:FILE:TAG)");
        }
        byte[] indexBytes = merged.toBytes();

        // every blob, by tar name: a staged file (verified when it was staged), an entry of the archive as it is now,
        // or one of a version read before (a writer that was not modelreg may have dropped a blob this one relied on)
        TreeMap<String, Object> blobs = new TreeMap<>();
        for (Snapshot old : retired) addBlobs(blobs, old);
        addBlobs(blobs, now);
        if (staging != null && Files.isDirectory(stagingDir.resolve("blobs"))) {
            Path root = stagingDir.resolve("blobs");
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                    blobs.put("blobs/" + root.relativize(p).toString().replace('\\', '/'), p);
                }
            }
        }
        TreeMap<String, Boolean> dirs = new TreeMap<>();
        dirs.put("blobs/", true);
        for (String b : blobs.keySet()) dirs.put(b.substring(0, b.lastIndexOf('/') + 1), true);

        for (Path stale : Leftovers.staleTempFiles(file.getParent())) {
            if (stale.getFileName().toString().startsWith("." + file.getFileName() + ".")) Files.deleteIfExists(stale);
        }
        // flushed to disk before the rename: the file is about to be carried away on removable media
        AtomicFiles.write(file, file.getParent(), "." + file.getFileName() + "." + Leftovers.ownerTag(), out -> {
            TarHeaders.file(out, LAYOUT_FILE, OciLayout.LAYOUT_BYTES);
            TarHeaders.file(out, INDEX_FILE, indexBytes);
            for (String d : dirs.keySet()) TarHeaders.directory(out, d, 0);
            for (Map.Entry<String, Object> b : blobs.entrySet()) writeBlob(out, b.getKey(), b.getValue());
            TarHeaders.end(out);
        });
    }

    /** The blobs of {@code s} into {@code blobs} by tar name, replacing what is there. */
    private static void addBlobs(TreeMap<String, Object> blobs, Snapshot s) {
        for (ArchiveTar.Entry e : s.entries().values()) {
            if (blobDigest(e.name()) != null) blobs.put(e.name(), new Stored(s, e));
        }
    }

    /** A blob of the archive as read in {@code snapshot}. */
    private record Stored(Snapshot snapshot, ArchiveTar.Entry entry) {}

    /** Removes the staging directory (what was not committed is dropped) and lets go of the archive's file. */
    @Override
    public synchronized void close() throws IOException {
        try {
            deleteStaging();
            tags.clear();
        } finally {
            retired.add(snapshot);
            snapshot = Snapshot.NONE;
            for (Snapshot old : retired) if (old.channel() != null) old.channel().close();
            retired.clear();
        }
    }

    // ----

    /** Indexes the archive file as it is now (and checks it), through a channel kept open for reading it. */
    private Snapshot load() throws IOException {
        if (!Files.exists(file)) return Snapshot.NONE;
        if (!Files.isRegularFile(file)) {
            throw new ContentException(ContentException.Kind.INVALID, name + ": not a file");
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            Map<String, ArchiveTar.Entry> found = ArchiveTar.index(ch, name);
            OciLayout.checkLayoutFile(readSmall(ch, found, LAYOUT_FILE), name);
            try {
                return new Snapshot(ch, found, ImageIndex.parse(readSmall(ch, found, INDEX_FILE), name + " index.json"));
            } catch (IllegalArgumentException e) {
                throw new ContentException(ContentException.Kind.INVALID, e.getMessage());
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private byte[] readSmall(FileChannel ch, Map<String, ArchiveTar.Entry> found, String entry) throws IOException {
        ArchiveTar.Entry e = found.get(entry);
        if (e == null) {
            throw new ContentException(ContentException.Kind.INVALID,
                    name + ": not an OCI archive (no " + entry + " in the tar)");
        }
        Manifests.checkSize(e.size(), name + ": " + entry);
        try (InputStream in = ArchiveTar.open(ch, e.offset(), e.size(), false)) {
            return in.readAllBytes();
        }
    }

    /** The archive's index with the tags set since opening applied (replacing entries of the same tag, appended). */
    private synchronized ImageIndex mergedIndex() {
        return tags.applyTo(snapshot.index() != null ? snapshot.index() : ImageIndex.empty(name + " index.json"));
    }

    private synchronized BlobDir staging() throws IOException {
        if (staging == null) {
            Path parent = file.getParent();
            Files.createDirectories(parent);
            // a killed writer's staging directory is removed by the next writer of this archive
            for (Path stale : Leftovers.stale(parent, stagingPrefix())) Trees.delete(stale);
            stagingDir = Files.createTempDirectory(parent, stagingPrefix() + Leftovers.ownerTag());
            Cleanup.register(stagingDir);
            staging = new BlobDir(stagingDir, name, true);
        }
        return staging;
    }

    private String stagingPrefix() {
        return "." + file.getFileName() + ".staging-";
    }

    private void deleteStaging() throws IOException {
        if (stagingDir == null) return;
        Path dir = stagingDir;
        stagingDir = null;
        staging = null;
        Trees.delete(dir);
        Cleanup.unregister(dir);
    }

    private void writeBlob(OutputStream out, String tarName, Object source) throws IOException {
        if (source instanceof Path p) {
            long size = Files.size(p);
            TarHeaders.file(out, tarName, size, 0);
            try (InputStream in = Files.newInputStream(p)) {
                long n = Streams.copy(in, out, size);
                if (n != size) throw new IOException(p + " changed while it was archived");
            }
            TarHeaders.pad(out, size);
            // a staged blob is now in the tar: dropping it keeps the peak disk use near one copy of the artifact
            // (the staging directory is discarded anyway if the commit fails later)
            out.flush();
            Files.delete(p);
        } else {
            Stored stored = (Stored) source;
            ArchiveTar.Entry e = stored.entry();
            TarHeaders.file(out, tarName, e.size(), 0);
            try (VerifyingInputStream in = new VerifyingInputStream(stored.snapshot().open(e),
                    blobDigest(tarName), e.size(), "blob " + blobDigest(tarName) + " in " + name)) {
                Streams.copy(in, out, e.size());
                if (!in.verified()) in.verifyToEnd();
            }
            TarHeaders.pad(out, e.size());
        }
    }

    private static String blobName(Digest d) {
        return "blobs/" + d.algorithm() + "/" + d.hex();
    }

    /** The digest a tar name {@code blobs/ALG/HEX} stands for, or null if it is not a blob name. */
    private static Digest blobDigest(String tarName) {
        String[] p = tarName.split("/");
        if (p.length != 3 || !p[0].equals("blobs")) return null;
        String d = p[1] + ":" + p[2];
        return Digest.isDigest(d) ? Digest.parse(d) : null;
    }
}
