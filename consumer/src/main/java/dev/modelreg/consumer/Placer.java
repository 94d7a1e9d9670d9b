package dev.modelreg.consumer;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.Parallel;
import dev.modelreg.content.Streams;
import dev.modelreg.content.VerifiedRead;
import dev.modelreg.content.fs.AtomicFiles;
import dev.modelreg.content.fs.Leftovers;
import dev.modelreg.content.fs.SafeFiles;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.ModelsToml;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Puts cached blobs at the files of one pull or copy, as its {@link Placement} says (spec/README.md 9.1): an
 * independent copy (a blob this process verified moments ago is copied by the kernel, any other hashed as it is
 * copied); with {@link Placement#LINK} a read-only hard link to the blob, made only once this process has hashed the
 * blob or stored it, and a copy instead, said in one line once per pull, where the target is on another file system
 * (or the link is refused, or the blob is another user's). A {@code --no-cache} pull's scratch directory rides along.
 */
final class Placer {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Cache cache;
    private final Placement how;
    private final Path scratch;
    private final Path target;
    private final Consumer<String> progress;
    private final AtomicBoolean copying = new AtomicBoolean(); // --link fell back to copies for the whole pull
    private final AtomicBoolean said = new AtomicBoolean();
    private final java.util.Set<Digest> checked = java.util.concurrent.ConcurrentHashMap.newKeySet(); // hashed by this pull
    private volatile Object user; // the owner of a file this process made beside the target (--link)

    private Placer(Cache cache, Placement how, Path scratch, Path target, Consumer<String> progress) {
        this.cache = cache;
        this.how = how;
        this.scratch = scratch;
        this.target = target;
        this.progress = progress;
    }

    /**
     * The placer of a pull into {@code target}; {@code scratch} is its {@code --no-cache} blob directory (else null). A
     * {@code --link} pull into a directory on another file system than the cache copies instead, said once here.
     */
    static Placer of(Cache cache, Placement how, Path scratch, Path target, Consumer<String> progress) throws IOException {
        Placer p = new Placer(cache, how, scratch, target, progress);
        if (how == Placement.LINK) {
            Path blobs = cache.blobs().root().resolve("blobs");
            Path near = target;
            while (near != null && !Files.exists(near)) near = near.getParent();
            if (near != null && !Files.getFileStore(blobs).equals(Files.getFileStore(near))) {
                p.fallBack(target + " is on another file system than the cache (" + cache.root() + ")");
            }
        }
        return p;
    }

    /** The {@code --no-cache} scratch blob directory, null for a pull through the cache. */
    Path scratch() {
        return scratch;
    }

    /** True while files are linked, not copied: a download then goes into the cache alone, not teed into its file. */
    boolean links() {
        return how == Placement.LINK && !copying.get();
    }

    /**
     * Before a pull plans from the cache: the blobs of {@code keys} are registered in use, in one append (the plan and
     * this look each up; spec/README.md 9.3), and the cached ones it cannot trust are hashed, a damaged one removed
     * from the cache (said in one line) so that the plan fetches it again: every blob with another name (a
     * {@code --link} workspace file, which an edit in place changes too) and, while linking, every blob this process
     * did not verify (a link is not hashed on its way out, as a copy is).
     */
    void check(ModelsToml r, Collection<String> keys, int concurrency, String label) throws IOException {
        Map<Digest, String> byDigest = new LinkedHashMap<>();
        for (String k : keys) {
            FileEntry e = r.files().get(k);
            if (e != null && e.hash() != null) byDigest.putIfAbsent(e.hash(), k);
        }
        cache.blobs().register(byDigest.keySet());
        List<Parallel.Task> tasks = new ArrayList<>();
        for (Map.Entry<Digest, String> e : byDigest.entrySet()) {
            Digest d = e.getKey();
            boolean linked = SafeFiles.otherLinks(cache.blob(d)); // (false when it is not cached)
            boolean unverified = links() && !cache.isVerifiedNow(d) && cache.has(d);
            if (!linked && !unverified) continue;
            tasks.add(() -> {
                String what = Workspace.fileOf(e.getValue(), label);
                if (cache.blobs().verify(d, Long.MAX_VALUE, what)) {
                    checked.add(d);
                } else {
                    progress.accept(what + ": cached blob " + d + " was changed in place (through a linked workspace"
                            + " file?): removed from the cache, fetched again");
                }
            });
        }
        Parallel.run(tasks, concurrency);
    }

    /** One task per key of {@code files} (key -> cached blob): put it at its file in {@code dests}, adding to {@code bytes}. */
    List<Parallel.Task> tasks(Map<String, Digest> files, Map<String, Path> dests, AtomicLong bytes, String label) {
        List<Parallel.Task> tasks = new ArrayList<>();
        for (Map.Entry<String, Digest> f : files.entrySet()) {
            tasks.add(() -> bytes.addAndGet(put(f.getValue(), dests.get(f.getKey()), Workspace.fileOf(f.getKey(), label))));
        }
        return tasks;
    }

    /** Puts blob {@code d} at {@code dest} (a new name of the pull's own): linked or copied. Returns its bytes. */
    long put(Digest d, Path dest, String what) throws IOException {
        if (links()) {
            long size = link(d, dest, what);
            if (size >= 0) return size;
        }
        return copyOut(d, dest, what);
    }

    /**
     * Makes {@code dest} a read-only (0444) hard link to blob {@code d}, hashed first unless this pull hashed it or
     * this process stored it and it has no other name; -1 when it must be copied instead (said once). The link is
     * checked to be the blob's regular file, never a link planted at its name.
     */
    private long link(Digest d, Path dest, String what) throws IOException {
        Path blob = cache.blob(d);
        if (!checked.contains(d) && !cache.blobs().verify(d, Long.MAX_VALUE, what)) {
            throw new ConsumerException(ContentException.Kind.DIGEST_MISMATCH, what + ": cached blob " + d
                    + " is corrupt or gone: removed from the cache (run the command again)");
        }
        BasicFileAttributes a = SafeFiles.attributes(blob);
        if (a == null || !a.isRegularFile()) {
            throw ContentException.notFound(what + ": cached blob " + d + " is gone (run the command again)");
        }
        if (!isOurs(blob, dest)) {
            fallBack("cached blob " + d + " belongs to another user");
            return -1;
        }
        Files.deleteIfExists(dest); // a name of the pull's own (a retry's file): the name, never what a link there names
        try {
            Files.createLink(dest, blob);
        } catch (FileSystemException | UnsupportedOperationException e) {
            String why = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.toString();
            fallBack(why.contains("cross-device") ? target + " is on another file system than the cache ("
                    + cache.root() + ")" : "cannot link into " + target + " (" + why + ")");
            return -1;
        }
        BasicFileAttributes l = SafeFiles.attributes(dest);
        if (l == null || !l.isRegularFile() || a.fileKey() != null && !a.fileKey().equals(l.fileKey())) {
            Files.deleteIfExists(dest);
            throw new ConsumerException(ContentException.Kind.INVALID, what + ": cached blob " + d + " changed while it was"
                    + " linked (another process is writing the cache?)");
        }
        checked.add(d); // (a second name of it in this pull is not hashed again)
        PosixFileAttributeView v = Files.getFileAttributeView(dest, PosixFileAttributeView.class, NOFOLLOW);
        if (v != null) v.setPermissions(PosixFilePermissions.fromString("r--r--r--"));
        else if (!dest.toFile().setReadOnly()) throw new ConsumerException(what + ": cannot make " + dest + " read-only");
        return l.size();
    }

    /** True if {@code blob} belongs to whoever runs this: the owner of a file this process makes beside {@code dest}. */
    private boolean isOurs(Path blob, Path dest) throws IOException {
        if (user == null) {
            AtomicFiles.Temp t = AtomicFiles.createTemp(dest.getParent(), ".link-probe." + Leftovers.ownerTag(), ".partial");
            t.channel().close();
            try {
                user = Files.getOwner(t.path(), NOFOLLOW);
            } finally {
                Files.deleteIfExists(t.path());
            }
        }
        return user.equals(Files.getOwner(blob, NOFOLLOW));
    }

    /** From now on this pull copies; the reason is said in one line, the first time only. */
    private void fallBack(String why) {
        copying.set(true);
        if (!said.getAndSet(true)) progress.accept("--link: " + why + ": files are copied instead");
    }

    /**
     * Writes blob {@code d} to {@code dest} (created or truncated). A blob this process verified moments ago is
     * copied by the kernel (sendfile: no user-space pass) unless it has another name (a {@code --link} workspace file
     * may have been edited since); any other is hashed as it is copied, so a corrupt cache entry fails the copy.
     */
    long copyOut(Digest d, Path dest, String what) throws IOException {
        if (!cache.blobs().isTrustedNow(d)) {
            try (OutputStream out = SafeFiles.newOutputStream(dest)) {
                return copyVerified(d, out, what);
            }
        }
        try (FileChannel in = FileChannel.open(cache.blob(d), StandardOpenOption.READ);
             FileChannel out = SafeFiles.replace(dest)) {
            long size = in.size();
            for (long pos = 0; pos < size; ) {
                long n;
                try {
                    n = in.transferTo(pos, size - pos, out);
                } catch (IOException e) {
                    throw SafeFiles.named(dest, e); // "No space left on device" says where
                }
                if (n <= 0) throw new IOException(what + ": short copy from the cache at byte " + pos + " of " + size);
                pos += n;
            }
            return size;
        }
    }

    /** Copies a cached blob to {@code out} through the verified read: a corrupt cache entry fails the copy. */
    private long copyVerified(Digest d, OutputStream out, String what) throws IOException {
        String corrupt = what + ": cached blob " + d + " is corrupt (run modelreg clear --force)";
        long size = cache.blobs().size(d);
        try (InputStream in = VerifiedRead.open(cache.blobs(), d, size, corrupt)) {
            return Streams.copy(in, out, size);
        } catch (ContentException e) {
            if (e.kind() != ContentException.Kind.DIGEST_MISMATCH) throw e;
            throw new ConsumerException(ContentException.Kind.DIGEST_MISMATCH, e.getMessage());
        }
    }
}
