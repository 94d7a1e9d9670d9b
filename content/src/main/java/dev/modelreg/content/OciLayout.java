package dev.modelreg.content;

import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.OciReference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An OCI image layout directory (image-spec v1.0 "image-layout"): {@code oci-layout}, {@code index.json},
 * {@code blobs/sha256/<hex>}. Tags are index.json entries annotated with {@code org.opencontainers.image.ref.name}.
 * Blobs enter through the verified ingest path (temp files in {@code DIR/ingest}, the directory oras-go uses for
 * the same purpose; other tools ignore it). index.json is rewritten atomically (temp file + rename) while holding
 * a file lock on {@code DIR/ingest/index.lock}, so processes and threads can tag the same layout concurrently; entries
 * and fields we do not know (platform, other annotations) are kept as they are.
 */
public final class OciLayout implements Target {
    private static final String LAYOUT_FILE = "oci-layout";
    private static final String INDEX_FILE = "index.json";
    private static final byte[] LAYOUT_BYTES = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);
    private static final int MAX_MANIFEST = 4 << 20;
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path dir;
    private final BlobDir blobs;
    private final String name;

    private OciLayout(Path dir) {
        this.dir = dir;
        this.name = "oci-layout:" + dir;
        this.blobs = new BlobDir(dir, name);
    }

    /** Opens the layout at {@code dir}, creating the directory, {@code oci-layout} and an empty index.json if missing. */
    public static OciLayout open(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        OciLayout layout = new OciLayout(abs);
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new ContentException(ContentException.Kind.INVALID, layout.name + ": not a directory");
        }
        Files.createDirectories(abs.resolve("blobs").resolve(Digest.SHA256));
        Path marker = abs.resolve(LAYOUT_FILE);
        if (Files.exists(marker)) {
            Object v = parseJson(Files.readAllBytes(marker), layout.name + "/" + LAYOUT_FILE);
            if (!(v instanceof Map<?, ?> m) || !"1.0.0".equals(m.get("imageLayoutVersion"))) {
                throw new ContentException(ContentException.Kind.INVALID,
                        layout.name + ": unsupported oci-layout file (want imageLayoutVersion 1.0.0)");
            }
        }
        layout.withIndexLock(() -> {
            if (!Files.exists(marker)) layout.writeAtomically(marker, LAYOUT_BYTES);
            if (!Files.exists(abs.resolve(INDEX_FILE))) layout.writeIndex(new ArrayList<>(), null);
            return null;
        });
        return layout;
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

    /** Resolves a tag (an index.json ref.name) or a digest (of a manifest held in blobs/). */
    @Override
    public Descriptor resolve(String reference) throws IOException {
        if (reference == null || reference.isEmpty()) {
            throw new ContentException(ContentException.Kind.INVALID, name + ": empty reference (want a tag or a digest)");
        }
        List<Map<String, Object>> entries = readIndex();
        if (Digest.isDigest(reference)) {
            Digest digest = Digest.parse(reference);
            for (Map<String, Object> e : entries) {
                if (reference.equals(e.get("digest"))) return plain(Manifest.descriptorFrom(e, name + " index.json"));
            }
            Path p = blobs.path(digest);
            if (!Files.isRegularFile(p)) {
                throw ContentException.notFound("manifest " + reference + " not found in " + name);
            }
            long size = Files.size(p);
            byte[] bytes = readManifest(Descriptor.of(MediaTypes.OCI_MANIFEST, digest, size));
            return Descriptor.of(sniffMediaType(bytes, reference), digest, size);
        }
        Map<String, Object> found = null;
        for (Map<String, Object> e : entries) {
            if (reference.equals(refName(e))) found = e;
        }
        if (found == null) {
            throw ContentException.notFound("tag '" + reference + "' not found in " + name);
        }
        return plain(Manifest.descriptorFrom(found, name + " index.json"));
    }

    /** Points {@code tag} at {@code manifest} (which must be in blobs/): replaces any entry with the same tag. */
    @Override
    public void tag(Descriptor manifest, String tag) throws IOException {
        if (!OciReference.isTag(tag)) {
            throw new ContentException(ContentException.Kind.INVALID,
                    name + ": invalid tag '" + tag + "' (want [A-Za-z0-9_][A-Za-z0-9._-]{0,127})");
        }
        if (!exists(manifest)) {
            throw ContentException.notFound("cannot tag '" + tag + "': manifest " + manifest.digest() + " not found in " + name);
        }
        withIndexLock(() -> {
            Map<String, Object> doc = readIndexDocument();
            List<Map<String, Object>> entries = entriesOf(doc);
            entries.removeIf(e -> tag.equals(refName(e)));
            Map<String, Object> entry = new LinkedHashMap<>(Manifest.descriptorJson(plain(manifest)));
            entry.put("annotations", Map.of(Annotations.REF_NAME, tag));
            entries.add(entry);
            writeIndex(entries, doc);
            return null;
        });
    }

    /** The tags in index.json, in index order. */
    public List<String> tags() throws IOException {
        List<String> tags = new ArrayList<>();
        for (Map<String, Object> e : readIndex()) {
            String t = refName(e);
            if (t != null) tags.add(t);
        }
        return tags;
    }

    /** Reads a manifest blob fully, verified against {@code d} (manifests are small; bounded at 4 MiB). */
    public byte[] readManifest(Descriptor d) throws IOException {
        if (d.size() > MAX_MANIFEST) {
            throw new ContentException(ContentException.Kind.INVALID,
                    name + ": manifest " + d.digest() + " is " + d.size() + " bytes, more than the 4 MiB limit");
        }
        try (VerifyingInputStream in = new VerifyingInputStream(fetch(d), d, "manifest " + d.digest() + " in " + name)) {
            return in.readAllBytes();
        }
    }

    @Override
    public String toString() {
        return name;
    }

    // ---- index.json

    private List<Map<String, Object>> readIndex() throws IOException {
        return entriesOf(readIndexDocument());
    }

    private Map<String, Object> readIndexDocument() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir.resolve(INDEX_FILE));
        } catch (NoSuchFileException e) {
            throw ContentException.notFound(name + ": index.json missing (not an OCI image layout?)");
        }
        Object v = parseJson(bytes, name + "/" + INDEX_FILE);
        if (!(v instanceof Map<?, ?>)) {
            throw new ContentException(ContentException.Kind.INVALID, name + "/index.json: not a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = new LinkedHashMap<>((Map<String, Object>) v);
        return doc;
    }

    private List<Map<String, Object>> entriesOf(Map<String, Object> doc) throws ContentException {
        List<Map<String, Object>> entries = new ArrayList<>();
        if (doc.get("manifests") instanceof List<?> l) {
            for (Object o : l) {
                if (!(o instanceof Map<?, ?> e)) {
                    throw new ContentException(ContentException.Kind.INVALID, name + "/index.json: manifests[] entry is not an object");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) e);
                entries.add(copy);
            }
        }
        return entries;
    }

    /** Writes index.json with {@code entries}, keeping any other top-level fields of {@code previous}. */
    private void writeIndex(List<Map<String, Object>> entries, Map<String, Object> previous) throws IOException {
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2L);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.put("manifests", entries);
        if (previous != null) previous.forEach(index::putIfAbsent);
        writeAtomically(dir.resolve(INDEX_FILE), Json.writeBytes(index));
    }

    private void writeAtomically(Path target, byte[] bytes) throws IOException {
        Files.createDirectories(blobs.ingestDir());
        Path tmp = AtomicFiles.tempFile(blobs.ingestDir(), target.getFileName() + "-", ".partial");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private interface Locked<T> {
        T run() throws IOException;
    }

    /** Serializes index.json updates across threads (a JVM lock) and processes (a FileChannel lock). */
    private <T> T withIndexLock(Locked<T> body) throws IOException {
        ReentrantLock jvm = JVM_LOCKS.computeIfAbsent(dir, k -> new ReentrantLock());
        jvm.lock();
        try {
            Files.createDirectories(blobs.ingestDir());
            try (FileChannel ch = FileChannel.open(blobs.ingestDir().resolve("index.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                return body.run();
            }
        } finally {
            jvm.unlock();
        }
    }

    static String refName(Map<String, Object> entry) {
        return entry.get("annotations") instanceof Map<?, ?> a && a.get(Annotations.REF_NAME) instanceof String s ? s : null;
    }

    static Descriptor plain(Descriptor d) {
        return Descriptor.of(d.mediaType(), d.digest(), d.size());
    }

    private static Object parseJson(byte[] bytes, String what) throws ContentException {
        try {
            return Json.parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new ContentException(ContentException.Kind.INVALID, what + ": " + e.getMessage());
        }
    }

    static String sniffMediaType(byte[] manifest, String what) throws ContentException {
        Object v = parseJson(manifest, what);
        if (v instanceof Map<?, ?> m) {
            if (m.get("mediaType") instanceof String s) return s;
            if (m.containsKey("manifests")) return MediaTypes.OCI_INDEX;
            if (m.containsKey("config")) return MediaTypes.OCI_MANIFEST;
        }
        throw new ContentException(ContentException.Kind.INVALID, what + ": not a manifest");
    }
}
