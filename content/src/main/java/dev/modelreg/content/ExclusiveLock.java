package dev.modelreg.content;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One holder at a time of a lock file beside a target: an OS lock on the file (other processes) and an in-process
 * lock (other threads), so both wait for the holder. The file is created for the holder and removed when it lets go;
 * a waiter that locked a file removed meanwhile locks the new one instead (the holder writes a token of its own into
 * the file it locked and reads it back by name, keeping that second channel open while it holds the lock: closing any
 * descriptor of a file drops the process's POSIX lock on it). The lock file is never followed: it is created exclusively
 * ({@code CREATE_NEW}) or opened with {@code NOFOLLOW_LINKS}, and a symbolic link, a directory, any other non-regular
 * file or a file with a second hard link at its name is refused with one line, untouched.
 */
final class ExclusiveLock implements AutoCloseable {
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

    /** Waits for and takes the lock {@code file} (absolute, normalized); {@code what} names the target in errors. */
    static ExclusiveLock acquire(Path file, String what) throws IOException {
        ReentrantLock local = LOCAL.computeIfAbsent(file, k -> new ReentrantLock());
        local.lock();
        try {
            while (true) {
                FileChannel ch = open(file, what);
                SeekableByteChannel byName = null;
                try {
                    ch.lock();
                    byName = holds(ch, file, what);
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

    /** The lock file, created if there is none; what is at its name is never followed. */
    private static FileChannel open(Path file, String what) throws IOException {
        while (true) {
            try {
                return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                // there is one (a holder's, or one a killed process left): open it, never following a link
            }
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                continue; // its holder removed it meanwhile
            }
            refuseUnlessPlainFile(file, a, what);
            try {
                return FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException e) { // (a link put there since: O_NOFOLLOW refused it)
                refuseIfLink(file, what);
                throw e;
            }
        }
    }

    private static void refuseIfLink(Path file, String what) throws IOException {
        if (Files.isSymbolicLink(file)) {
            refuseUnlessPlainFile(file, Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS), what);
        }
    }

    private static void refuseUnlessPlainFile(Path file, BasicFileAttributes a, String what) throws IOException {
        String is = a.isSymbolicLink() ? "a symbolic link" : a.isDirectory() ? "a directory"
                : !a.isRegularFile() ? "not a regular file" : links(file) > 1 ? "a file with another hard link" : null;
        if (is != null) {
            throw ContentException.invalid(what + ": its lock file " + file + " is " + is + ", not a lock file of"
                    + " modelreg: refused, left as it is (remove it if no one planted it)");
        }
    }

    private static long links(Path file) {
        try {
            return ((Number) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).longValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 1; // no such attribute here (Windows)
        }
    }

    /**
     * The file {@code file} names, open, if it is the one {@code ch} locked (a token written into it reads back by
     * name); else null. The caller keeps it open as long as it holds the lock (closing it would drop the lock).
     */
    private static SeekableByteChannel holds(FileChannel ch, Path file, String what) throws IOException {
        byte[] token = (ProcessHandle.current().pid() + "-" + System.nanoTime() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "\n").getBytes(StandardCharsets.UTF_8);
        ch.truncate(0);
        ByteBuffer b = ByteBuffer.wrap(token);
        while (b.hasRemaining()) ch.write(b, b.position());
        SeekableByteChannel in;
        try {
            in = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) { // a link swapped in: refused as at the start
            refuseIfLink(file, what);
            throw e;
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
