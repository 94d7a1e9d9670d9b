package dev.modelreg.content.store;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.fs.Cleanup;
import dev.modelreg.content.fs.ExclusiveLock;
import dev.modelreg.content.fs.Leftovers;
import dev.modelreg.content.fs.SafeFiles;
import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The blobs a process is using in a shared cache, and the one lock a prune holds (spec/README.md 9.3): before a process
 * looks a blob up in {@code blobs/} or commits one there, its digest is appended to the process's own file
 * {@code in-use/PID-RANDOM}; a digest counts as registered only once it was appended at an instant when no prune held
 * {@code cache.lock} (else the process waits for that prune to end first). A prune holds the lock while it reads every
 * live process's file and then the refs' states, and while it deletes; so it never removes a blob a process has
 * registered, and a process that registered meanwhile looks the blob up only after the prune ended. The file is removed
 * when the process's last operation on the cache ends ({@link #hold}); a dead process's file by the next prune.
 */
final class InUse {
    /** An in-use file bigger than this (a million digests) is not read: a prune refuses to run. */
    static final long MAX_FILE_BYTES = 64L << 20;

    private final Path root;
    private final Path dir;
    private final Path lock;
    private final Set<Digest> appended = ConcurrentHashMap.newKeySet();
    private final Set<Digest> registered = ConcurrentHashMap.newKeySet();
    private final AtomicInteger holds = new AtomicInteger();
    private FileChannel file;
    private Path path;
    private boolean unavailable;
    private volatile Thread sweeper;

    InUse(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.dir = this.root.resolve("in-use");
        this.lock = this.root.resolve("cache.lock");
    }

    /** Registers {@code d} (cheap once registered: a set lookup). */
    void add(Digest d) {
        if (registered.contains(d) || sweeper == Thread.currentThread()) return;
        addAll(List.of(d));
    }

    /** Registers every digest of {@code ds}: one append and one look at the lock for those not registered yet. */
    void addAll(Collection<Digest> ds) {
        if (sweeper == Thread.currentThread()) return; // the prune itself reads the refs under its lock
        Set<Digest> now = new HashSet<>();
        for (Digest d : ds) if (!registered.contains(d)) now.add(d);
        if (now.isEmpty()) return;
        append(now);
        awaitPrune();
        registered.addAll(now);
    }

    private synchronized void append(Set<Digest> ds) {
        StringBuilder b = new StringBuilder();
        for (Digest d : ds) if (appended.add(d)) b.append(d).append('\n');
        if (b.length() == 0 || unavailable) return;
        try {
            if (file == null) open();
            ByteBuffer buf = ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) file.write(buf, file.size());
        } catch (IOException e) {
            unavailable = true; // a cache this process cannot write (read-only): it reads without registering
        }
    }

    private void open() throws IOException {
        SafeFiles.ownDirectories(root, dir);
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve(Leftovers.ownerTag() + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
            try {
                file = SafeFiles.createNew(p);
                path = p;
                Cleanup.register(p);
                return;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt >= 100) throw e;
            }
        }
    }

    /** If a prune holds the lock (its file is there), waits for it to end. */
    private void awaitPrune() {
        if (!lock.toFile().exists()) return; // no prune (asked without an exception: this runs per registration)
        try {
            ExclusiveLock.acquire(lock, "the cache " + root).close();
        } catch (IOException e) {
            // a lock this process cannot take (a read-only cache): it reads without waiting, as without registering
        }
    }

    /** One operation on the cache: when the last one of the process ends, its registrations are dropped. */
    BlobCache.Use hold() {
        holds.incrementAndGet();
        return new BlobCache.Use() {
            private boolean closed;

            @Override
            public void close() {
                if (closed) return;
                closed = true;
                if (holds.decrementAndGet() == 0) drop();
            }
        };
    }

    private synchronized void drop() {
        if (holds.get() > 0) return;
        registered.clear();
        appended.clear();
        if (file == null) return;
        try {
            file.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a prune removes it once this process is gone
        }
        Cleanup.unregister(path);
        file = null;
        path = null;
    }

    /** What a prune runs under the lock. */
    interface Sweep<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code sweep} holding the cache's lock (unless {@code dryRun}); registrations of its own thread are skipped
     * meanwhile (it reads what it needs under the lock, or, dry, removes nothing).
     */
    <T> T sweep(Consumer<String> waiting, boolean dryRun, Sweep<T> sweep) throws IOException {
        if (dryRun) return unregistered(sweep);
        try (ExclusiveLock l = ExclusiveLock.acquire(lock, "the cache " + root, waiting)) {
            return unregistered(sweep);
        }
    }

    private <T> T unregistered(Sweep<T> sweep) throws IOException {
        sweeper = Thread.currentThread();
        try {
            return sweep.run();
        } finally {
            sweeper = null;
        }
    }

    /**
     * The digests registered by the processes that run (this one included); the files of processes that no longer
     * run, and anything else in {@code in-use/} (a link, a directory), are removed when {@code clean}.
     */
    Set<Digest> live(boolean clean) throws IOException {
        Set<Digest> out = new HashSet<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return out;
        Set<Path> dead = new HashSet<>(Leftovers.stale(dir, ""));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (dead.contains(p) || !p.getFileName().toString().matches("\\d+-[0-9a-z]+")
                        || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    if (clean) dev.modelreg.content.fs.Trees.deleteQuietly(p); // a link is removed itself, never followed
                    continue;
                }
                read(p, out);
            }
        }
        return out;
    }

    private static void read(Path p, Set<Digest> out) throws IOException {
        byte[] b;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            if (ch.size() > MAX_FILE_BYTES) {
                throw ContentException.invalid(p + " is " + ch.size() + " bytes, more than the " + MAX_FILE_BYTES
                        + "-byte limit of an in-use file: not pruning (remove it if no modelreg process runs)");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) ch.size());
            while (buf.hasRemaining() && ch.read(buf) > 0) { }
            b = java.util.Arrays.copyOf(buf.array(), buf.position());
        } catch (NoSuchFileException e) {
            return; // its process ended meanwhile
        }
        for (String line : new String(b, StandardCharsets.UTF_8).split("\n")) {
            try {
                out.add(Digest.parse(line));
            } catch (IllegalArgumentException e) {
                // a line being appended: its writer has not looked at the lock yet, so it waits for this prune
            }
        }
    }
}
