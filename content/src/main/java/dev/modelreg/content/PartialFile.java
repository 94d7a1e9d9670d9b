package dev.modelreg.content;

import dev.modelreg.content.fs.AtomicFiles;
import dev.modelreg.content.fs.Cleanup;
import dev.modelreg.content.fs.SafeFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A file in an ingest directory that a blob is written into, locked (OS file lock) by its writer so that other
 * processes neither write nor delete it. Named {@code ALG-HEX.partial} when it may be resumed later, or
 * {@code ALG-HEX.RANDOM.tmp} when it is private to one write (another writer holds the partial).
 */
final class PartialFile {
    /** The suffix of the marker beside a partial that ranges are written into ({@link RangedDownload}). */
    static final String MARKER = ".ranged";
    /** Files this JVM writes: a cleaner never opens them (closing any descriptor of a file drops the process's lock on it). */
    private static final java.util.Set<Path> ACTIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** A temp file younger than this may be one another writer has just created and not yet locked. */
    private static final Duration TEMP_GRACE = Duration.ofMinutes(10);

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    private final boolean resumable;
    private boolean moved;

    private PartialFile(Path path, FileChannel channel, FileLock lock, boolean resumable) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
        this.resumable = resumable;
        ACTIVE.add(path);
        if (!resumable) Cleanup.register(path); // a private temp file is useless after an interrupt
    }

    /**
     * The digest's partial, locked; null if another writer (process or thread) holds it. The file opened is the one
     * locked, but the name may have moved on between the open and the lock: its writer renamed it into place (the
     * file opened is a committed blob now) or a cleaner removed it, and a new writer may have made the name again. So
     * the file at the name must be the same before the open and after the lock; else it is not this writer's to write
     * (nor to truncate, rename or delete by name), and null is returned.
     */
    static PartialFile resumable(Path path) throws IOException {
        if (!ACTIVE.add(path)) return null; // another thread of this JVM writes it (claimed before any open)
        FileChannel ch = null;
        try {
            for (int attempt = 0; attempt < 2; attempt++) {
                Object before = identity(path);
                ch = SafeFiles.openOwn(path); // a link planted there is removed (never written through): the blob starts over
                if (before == null) { // made now: looked at again, so that it is known before the open
                    ch.close();
                    ch = null;
                    continue;
                }
                FileLock lock = ch.tryLock();
                if (lock != null && before.equals(identity(path))) return new PartialFile(path, ch, lock, true);
                if (lock != null) lock.release(); // else another process writes it
                break;
            }
            if (ch != null) ch.close();
            ACTIVE.remove(path);
            return null;
        } catch (IOException | RuntimeException e) {
            if (ch != null) ch.close();
            ACTIVE.remove(path);
            throw e;
        }
    }

    /** What tells the regular file at {@code p} from any other (device and inode); null if none is there. */
    private static Object identity(Path p) throws IOException {
        return identity(SafeFiles.attributes(p));
    }

    private static Object identity(BasicFileAttributes a) {
        if (a == null || !a.isRegularFile()) return null;
        return a.fileKey() != null ? a.fileKey() : Boolean.TRUE; // no file keys here (Windows): that one is there
    }

    /** A new private temp file for {@code name}, locked. */
    static PartialFile temp(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve(name + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                FileChannel ch = SafeFiles.createNew(p);
                return new PartialFile(p, ch, ch.lock(), false);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt >= 100) throw e;
            }
        }
    }

    long size() throws IOException {
        return channel.size();
    }

    void truncate() throws IOException {
        truncate(0);
    }

    /** Cuts the file to its first {@code length} bytes. */
    void truncate(long length) throws IOException {
        try {
            channel.truncate(length);
        } catch (IOException e) {
            throw SafeFiles.named(path, e);
        }
    }

    Path path() {
        return path;
    }

    /** Writes {@code b[off, off+len)} at {@code pos} (positional: safe from several threads for disjoint ranges). */
    void writeAt(byte[] b, int off, int len, long pos) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        try {
            while (buf.hasRemaining()) pos += channel.write(buf, pos);
        } catch (IOException e) {
            throw SafeFiles.named(path, e); // "No space left on device" says where
        }
    }

    /** Reads up to {@code len} bytes at {@code pos}; -1 at the end of the file. */
    int readAt(byte[] b, int off, int len, long pos) throws IOException {
        return channel.read(ByteBuffer.wrap(b, off, len), pos);
    }

    /** The first {@code length} bytes already in the file (positional reads; nothing is written). */
    InputStream replay(long length) {
        return new ChunkedInputStream() {
            private long pos;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos >= length) return -1;
                int want = (int) Math.min(len, length - pos);
                int n = channel.read(ByteBuffer.wrap(b, off, want), pos);
                if (n < 0) throw new IOException(path + " shrank while it was resumed");
                pos += n;
                return n;
            }
        };
    }

    /** {@code in} with every byte read appended to the file (and counted as transferred). */
    InputStream tee(InputStream in, CopyListener listener) throws IOException {
        channel.position(channel.size());
        return new ChunkedInputStream() {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) {
                    ByteBuffer buf = ByteBuffer.wrap(b, off, n);
                    try {
                        while (buf.hasRemaining()) channel.write(buf);
                    } catch (IOException e) {
                        throw SafeFiles.named(path, e); // "No space left on device" says where
                    }
                    listener.transferred(n);
                }
                return n;
            }
        };
    }

    /** Renames the (verified) file to {@code target}; false if the target existed (then this file is dropped). */
    boolean moveTo(Path target) throws IOException {
        boolean wrote = AtomicFiles.place(path, target);
        moved = wrote;
        return wrote;
    }

    /** Releases the file: kept for a later resume if {@code keep} (and it is a resumable partial), else deleted. */
    void close(boolean keep) throws IOException {
        try {
            if (!moved && !(keep && resumable)) Files.deleteIfExists(path); // deleted while still locked: no one else writes it
        } finally {
            try {
                if (lock.isValid()) lock.release();
            } catch (IOException ignored) {
                // closing the channel releases it anyway
            }
            channel.close();
            ACTIVE.remove(path);
            if (!resumable) Cleanup.unregister(path);
        }
    }

    /**
     * Deletes unlocked {@code *.tmp} files older than 10 minutes, and unlocked {@code *.partial} files untouched for
     * {@code keep}; files this JVM is writing are not opened at all.
     */
    static void removeLeftovers(Path dir, Duration keep) {
        Instant cutoff = Instant.now().minus(keep);
        Instant tempCutoff = Instant.now().minus(TEMP_GRACE);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return (n.startsWith("sha256-") || n.startsWith("sha512-"))
                    && (n.endsWith(".tmp") || n.endsWith(".partial") || n.endsWith(MARKER));
        })) {
            for (Path p : ds) {
                try {
                    String n = p.getFileName().toString();
                    if (n.endsWith(MARKER)) { // a crashed ranged download's marker whose partial is gone
                        Path partial = p.resolveSibling(n.substring(0, n.length() - MARKER.length()));
                        if (!Files.exists(partial, LinkOption.NOFOLLOW_LINKS) && !ACTIVE.contains(partial)) Files.deleteIfExists(p);
                        continue;
                    }
                    if (ACTIVE.contains(p)) continue;
                    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) { // a link (or a FIFO) is no writer's: removed, never opened
                        Files.deleteIfExists(p);
                        continue;
                    }
                    boolean partial = p.getFileName().toString().endsWith(".partial");
                    BasicFileAttributes a = SafeFiles.attributes(p);
                    if (a == null || a.lastModifiedTime().toInstant().isAfter(partial ? cutoff : tempCutoff)) continue;
                    Object before = identity(a);
                    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                        FileLock l = ch.tryLock();
                        if (l == null) continue; // another process is writing it
                        try {
                            // the file locked is the one at the name still (not renamed into place since the open, nor
                            // removed and made again by a new writer): only then is the name's file this cleaner's to remove
                            if (before != null && before.equals(identity(p))) Files.deleteIfExists(p);
                        } finally {
                            l.release();
                        }
                    }
                } catch (NoSuchFileException | OverlappingFileLockException e) {
                    // gone already, or this JVM writes it
                } catch (IOException e) {
                    // best effort: a leftover we cannot remove now is tried again next run
                }
            }
        } catch (IOException e) {
            // no ingest directory yet, or unreadable: nothing to clean
        }
    }
}
