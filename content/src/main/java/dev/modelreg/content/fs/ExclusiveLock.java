package dev.modelreg.content.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The one lock of modelreg: one holder at a time of a lock file beside what it guards (a workspace, a pull target, an
 * OCI archive): an OS lock on the file (other processes) and an in-process lock (other threads), so both wait for the
 * holder, which is told once that they do. The file is created for the holder and removed when it lets go; a waiter
 * that locked a file removed meanwhile locks the new one instead: the holder writes a token of its own into the file it
 * locked and reads it back by name, keeping that second channel open while it holds the lock (closing any descriptor of
 * a file drops the process's POSIX lock on it). The lock file is modelreg's own ({@link SafeFiles#openOwn}): a link, a
 * FIFO or a file with another hard link planted at its name is removed, never followed; a directory there is refused.
 */
public final class ExclusiveLock implements AutoCloseable {
    private static final Map<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

    private final Path file;
    private final ReentrantLock local;
    private final FileChannel channel;
    private final SeekableByteChannel byName;

    private ExclusiveLock(Path file, ReentrantLock local, FileChannel channel, SeekableByteChannel byName) {
        this.file = file;
        this.local = local;
        this.channel = channel;
        this.byName = byName;
    }

    /** Waits for and takes the lock {@code file} (absolute, normalized), silently. */
    public static ExclusiveLock acquire(Path file, String what) throws IOException {
        return acquire(file, what, m -> {});
    }

    /**
     * Waits for and takes the lock {@code file} (absolute, normalized); {@code waiting} is told once, naming
     * {@code what} (the thing guarded), when another thread or process holds it.
     */
    public static ExclusiveLock acquire(Path file, String what, Consumer<String> waiting) throws IOException {
        ReentrantLock local = LOCAL.computeIfAbsent(file, k -> new ReentrantLock());
        boolean told = false;
        if (!local.tryLock()) {
            waiting.accept("Waiting for another writer of " + what + "...");
            told = true;
            local.lock();
        }
        try {
            while (true) {
                FileChannel ch = SafeFiles.openOwn(file);
                try {
                    FileLock l = ch.tryLock();
                    if (l == null) {
                        if (!told) waiting.accept("Waiting for another modelreg process writing " + what + "...");
                        told = true;
                        ch.lock();
                    }
                    SeekableByteChannel byName = holds(ch, file);
                    if (byName != null) {
                        Cleanup.register(file);
                        return new ExclusiveLock(file, local, ch, byName);
                    }
                } catch (IOException | RuntimeException e) {
                    ch.close();
                    throw e;
                }
                ch.close(); // the holder removed the file we waited on: lock the one there now
            }
        } catch (IOException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    /**
     * The file {@code file} names, open, if it is the one {@code ch} locked (a token written into it reads back by
     * name); else null. The caller keeps it open as long as it holds the lock (closing it would drop the lock).
     */
    private static SeekableByteChannel holds(FileChannel ch, Path file) throws IOException {
        byte[] token = (ProcessHandle.current().pid() + "-" + System.nanoTime() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "\n").getBytes(StandardCharsets.UTF_8);
        ch.truncate(0);
        ByteBuffer b = ByteBuffer.wrap(token);
        while (b.hasRemaining()) ch.write(b, b.position());
        SeekableByteChannel in;
        try {
            in = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (FileSystemException e) { // removed, or a link put there since: not the file we locked
            return null;
        }
        byte[] back = new byte[token.length + 1];
        ByteBuffer r = ByteBuffer.wrap(back);
        try {
            while (r.hasRemaining() && in.read(r) > 0) { }
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
        if (r.position() == token.length && Arrays.equals(Arrays.copyOf(back, token.length), token)) return in;
        in.close(); // another file (ours was removed): closing it leaves the lock on ours, which is let go of next
        return null;
    }

    /** Removes the lock file (still locked: a waiter on it then sees it gone and retries) and lets go. */
    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(file);
        } finally {
            Cleanup.unregister(file);
            try {
                byName.close();
                channel.close();
            } finally {
                local.unlock();
            }
        }
    }
}
