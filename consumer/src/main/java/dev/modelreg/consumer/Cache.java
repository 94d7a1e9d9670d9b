package dev.modelreg.consumer;

import dev.modelreg.content.fs.AtomicFiles;
import dev.modelreg.content.store.BlobCache;
import dev.modelreg.content.fs.Crash;
import dev.modelreg.content.fs.SafeFiles;
import dev.modelreg.content.fs.Trees;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The consumer cache (see spec/README.md, "Cache layout"):
 * <pre>
 * ROOT/blobs/sha256/HEX                         content-addressed, shared by every source, ref and transport
 * ROOT/ingest/                                  downloads being verified (same file store, renamed into blobs/),
 *                                               and partial downloads kept for resuming
 * ROOT/sources/SOURCE/REF/models.toml           the ref's registry file, byte for byte
 * ROOT/sources/SOURCE/REF/state.json            what the last sync resolved (RefState)
 * ROOT/in-use/PID-RANDOM                        the blobs a running process uses (9.3), read by a prune
 * ROOT/cache.lock                               held by a prune (9.3)
 * </pre>
 * SOURCE and REF are escaped ({@link #escape}). Every write is a temp file plus an atomic rename, so concurrent
 * processes never see half a file and the last writer of a state wins with a consistent pair.
 */
public final class Cache {
    private final Path root;
    private final BlobCache blobs;

    /** The cache at {@code root}; nothing is written until something is stored ({@link #blobs()}, {@link #save}). */
    public Cache(Path root) {
        this.root = root;
        this.blobs = BlobCache.shared(root);
    }

    /**
     * Starts an operation that uses the cache's blobs: what it looks up stays registered in use, so a concurrent prune
     * keeps it, until this (and every other operation of the process) ends (spec/README.md 9.3).
     */
    public BlobCache.Use use() {
        return blobs.use();
    }

    /** Runs {@code op} in a {@link #use()}: what it looks up in the cache is kept from a concurrent prune. */
    <T, E extends Exception> T using(Op<T, E> op) throws E {
        try (BlobCache.Use u = use()) {
            return op.run();
        }
    }

    /** An operation of the library over the cache. */
    interface Op<T, E extends Exception> {
        T run() throws E;
    }

    /** The blob store as it is, for listing and pruning (no directory is made). */
    BlobCache store() {
        return blobs;
    }

    public Path root() {
        return root;
    }

    /** The blob store, to write into: its directory is made first (a cache that cannot be made is one line). */
    public BlobCache blobs() throws ConsumerException {
        prepare();
        return blobs;
    }

    private volatile boolean prepared;

    private void prepare() throws ConsumerException {
        if (prepared) return;
        try {
            Files.createDirectories(root.resolve("blobs"));
        } catch (IOException e) {
            throw new ConsumerException(dev.modelreg.spec.ModelregException.Kind.INVALID,
                    "cannot create the cache at " + root + ": " + e.getMessage(), e);
        }
        prepared = true;
    }

    public Path blob(Digest d) {
        return blobs.path(d);
    }

    public boolean has(Digest d) {
        return blobs.has(d);
    }

    /**
     * Registers in use, in one append, the blobs of {@code keys} in {@code r} that an operation is about to look up one
     * by one (each look-up registers its blob anyway: this only batches them; spec/README.md 9.3).
     */
    void registerFiles(dev.modelreg.spec.ModelsToml r, java.util.Collection<String> keys) {
        List<Digest> ds = new ArrayList<>(keys.size());
        for (String k : keys) {
            var e = r.files().get(k);
            if (e != null && e.hash() != null) ds.add(e.hash());
        }
        blobs.register(ds);
    }

    /** A cached manifest's bytes, verified (null when not cached, or damaged: then it is removed). */
    byte[] manifest(Digest d, String what) throws IOException {
        return blobs.read(d, dev.modelreg.spec.Limits.MAX_MANIFEST_BYTES, "manifest " + d + " of " + what);
    }

    /** A cached models.toml's bytes, verified (null when not cached, or damaged: then it is removed). */
    byte[] registry(Digest d, String what) throws IOException {
        return blobs.read(d, dev.modelreg.spec.Limits.MAX_REGISTRY_BYTES, "models.toml " + d + " of " + what);
    }

    /**
     * The models.toml held in blob {@code d} ({@code what} names it in an error: "config", "models.toml layer"): from
     * the cache, else copied into the cache from {@code t} (verified on the way in) and read back.
     */
    byte[] registry(dev.modelreg.content.Target t, Descriptor d, dev.modelreg.content.CopyOptions o, String what,
                    String label) throws IOException {
        byte[] b = registry(d.digest(), label);
        if (b != null) return b;
        dev.modelreg.content.Copy.blobs(t, List.of(d), blobs, o);
        b = registry(d.digest(), label);
        if (b == null) throw new ConsumerException(label + ": " + what + " " + d.digest() + " did not reach the cache");
        return b;
    }

    /**
     * True if this process stored {@code d} itself, verified, moments ago; copies out of the cache then need no
     * second hash. Blobs found in the cache from earlier runs are re-hashed as they are copied out.
     */
    boolean isVerifiedNow(Digest d) {
        return blobs.isVerifiedNow(d);
    }

    public Path sourcesDir() {
        return root.resolve("sources");
    }

    public Path refDir(String sourceKey, String ref) {
        return sourcesDir().resolve(escape(sourceKey)).resolve(escape(ref));
    }

    /** Makes {@link #refDir} if missing, never through a link: a link or a file on the way is replaced (9.2). */
    private Path refDirectory(String sourceKey, String ref) throws IOException {
        return SafeFiles.ownDirectories(root, refDir(sourceKey, ref));
    }

    /** Keeps [A-Za-z0-9.-] (not leading '.'); every other UTF-8 byte becomes '_' + two hex digits. Reversible. */
    public static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            int c = b[i] & 0xff;
            boolean keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || (c == '.' && i > 0);
            if (keep) sb.append((char) c);
            else sb.append('_').append(String.format("%02x", c));
        }
        return sb.toString();
    }

    public RefState state(String sourceKey, String ref) throws IOException {
        Path p = refDir(sourceKey, ref).resolve("state.json");
        if (!Files.exists(p)) return null;
        return RefState.fromJson(Files.readAllBytes(p), p.toString());
    }

    /**
     * The cached registry bytes a state describes, or null when the cache holds none that match it. They are read
     * from the blob store (content address = {@link RefState#config()}), else from the ref's models.toml copy, and
     * hashed on every read: a state is never paired with a registry file it does not describe (an interrupted sync,
     * an edited or damaged copy).
     */
    public byte[] registryBytes(RefState state) throws IOException {
        if (state == null) return null;
        byte[] b = registry(state.config(), state.label());
        if (b != null) return b;
        try {
            b = Files.readAllBytes(refDir(state.source(), state.ref()).resolve("models.toml"));
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
        return Digest.sha256Of(b).equals(state.config()) ? b : null;
    }

    /** The cached registry bytes of a ref (see {@link #registryBytes(RefState)}), or null. */
    public byte[] registryBytes(String sourceKey, String ref) throws IOException {
        return registryBytes(state(sourceKey, ref));
    }

    /**
     * Records a sync in one atomic step: the registry bytes go to the blob store under their digest first, then
     * state.json (the commit point) is renamed into place, then the ref's models.toml copy (for people and tools;
     * never trusted without its hash). A crash at any instant leaves the old state or the new one, each with its
     * own registry.
     */
    public void save(String sourceKey, String ref, byte[] registry, RefState state) throws IOException {
        Digest d = Digest.sha256Of(registry);
        if (!d.equals(state.config())) {
            throw new IllegalArgumentException("state of " + sourceKey + "@" + ref + " names registry " + state.config()
                    + ", not the bytes given (" + d + ")");
        }
        if (!has(d)) storeRegistry(registry);
        Crash.point("cache.before-state");
        Path dir = refDirectory(sourceKey, ref);
        AtomicFiles.cleanLeftovers(dir);
        writeState(sourceKey, ref, state);
        Crash.point("cache.after-state");
        AtomicFiles.write(dir.resolve("models.toml"), registry);
    }

    /** Stores registry bytes (models.toml) in the blob store under their digest, verified as any blob. */
    void storeRegistry(byte[] registry) throws IOException {
        blobs().push(Descriptor.of(MediaTypes.CONFIG, Digest.sha256Of(registry), registry.length),
                new java.io.ByteArrayInputStream(registry));
    }

    /** Replaces a ref's state.json atomically (the registry it names must be in the cache already). */
    public void writeState(String sourceKey, String ref, RefState state) throws IOException {
        Path dir = refDirectory(sourceKey, ref);
        AtomicFiles.write(dir.resolve("state.json"), (Json.write(state.toJson()) + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    /** All cached ref states, sorted by source then ref. */
    public List<RefState> states() throws IOException {
        List<RefState> out = new ArrayList<>();
        if (!Files.isDirectory(sourcesDir())) return out;
        try (Stream<Path> s = Files.list(sourcesDir())) {
            for (Path src : s.sorted().toList()) {
                if (!Files.isDirectory(src)) continue;
                try (Stream<Path> r = Files.list(src)) {
                    for (Path ref : r.sorted().toList()) {
                        Path st = ref.resolve("state.json");
                        if (Files.exists(st)) out.add(RefState.fromJson(Files.readAllBytes(st), st.toString()));
                    }
                }
            }
        }
        out.sort(Comparator.comparing(RefState::source).thenComparing(RefState::ref));
        return out;
    }

    /** Removes one ref's registry state (blobs stay: they may be shared). Returns true if something was removed. */
    /** Removes a ref's state and registry file; its source's directory too when that was its last ref. */
    public boolean removeRef(String sourceKey, String ref) throws IOException {
        boolean removed = Trees.delete(refDir(sourceKey, ref));
        try {
            Files.deleteIfExists(sourcesDir().resolve(escape(sourceKey)));
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            // other refs of the source stay
        }
        return removed;
    }

    public boolean removeSource(String sourceKey) throws IOException {
        return Trees.delete(sourcesDir().resolve(escape(sourceKey)));
    }

    /** Removes every ref's state and registry file (and anything else under {@code sources/}); blobs stay. */
    public boolean removeAllRefs() throws IOException {
        return Trees.delete(sourcesDir());
    }
}
