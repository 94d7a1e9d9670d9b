package dev.modelreg.consumer;

import dev.modelreg.content.SafeFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One writer at a time for a workspace or pull target: an OS lock on {@code .NAME.lock} beside it (other processes)
 * plus an in-process lock (other threads). A second writer waits, saying once that it does; the lock file is removed
 * on release, and a waiter that locked a file removed meanwhile locks the new one instead.
 */
final class WorkspaceLock implements AutoCloseable {
    private static final Map<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

    private final Path file;
    private final ReentrantLock local;
    private final FileChannel channel;

    private WorkspaceLock(Path file, ReentrantLock local, FileChannel channel) {
        this.file = file;
        this.local = local;
        this.channel = channel;
    }

    /** Locks {@code target} (absolute, normalized) for writing; {@code waiting} is told once if another writer holds it. */
    static WorkspaceLock acquire(Path target, Consumer<String> waiting) throws IOException {
        if (target.getParent() == null || target.getFileName() == null) {
            throw new ConsumerException("cannot write into " + target + ": give a directory below it");
        }
        try {
            Files.createDirectories(target.getParent());
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new ConsumerException("cannot write into " + target + ": " + e.getFile() + " exists and is not a directory");
        }
        return lock(target.resolveSibling("." + target.getFileName() + ".lock"), target, waiting);
    }

    /**
     * For a reader (verify): waits for a writer of {@code target} to finish; null (read without a lock) where no lock
     * file can be made (a read-only or missing parent directory: then no modelreg process writes there either).
     */
    static WorkspaceLock forReading(Path target, Consumer<String> waiting) throws IOException {
        Path parent = target.getParent();
        if (parent == null || target.getFileName() == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
            return null;
        }
        try {
            return lock(target.resolveSibling("." + target.getFileName() + ".lock"), target, waiting);
        } catch (java.nio.file.AccessDeniedException | java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    private static WorkspaceLock lock(Path file, Path target, Consumer<String> waiting) throws IOException {
        ReentrantLock local = LOCAL.computeIfAbsent(file, k -> new ReentrantLock());
        boolean told = false;
        if (!local.tryLock()) {
            waiting.accept("Waiting for another writer of " + target + "...");
            told = true;
            local.lock();
        }
        try {
            while (true) {
                FileChannel ch = SafeFiles.openOwn(file); // a link planted there is removed, never written through
                try {
                    FileLock l = ch.tryLock();
                    if (l == null) {
                        if (!told) waiting.accept("Waiting for another modelreg process writing " + target + "...");
                        told = true;
                        l = ch.lock();
                    }
                    if (sameFile(ch, file)) {
                        dev.modelreg.content.Cleanup.register(file);
                        return new WorkspaceLock(file, local, ch);
                    }
                } catch (IOException | RuntimeException e) {
                    ch.close();
                    throw e;
                }
                ch.close(); // the holder removed the file we waited on: lock the current one
            }
        } catch (IOException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    /**
     * True if {@code file} still names the file {@code ch} locked: the holder writes a token of its own into the
     * locked file and reads it back by name (a file created after a removal cannot hold that token).
     */
    private static boolean sameFile(FileChannel ch, Path file) throws IOException {
        byte[] token = (ProcessHandle.current().pid() + "-" + System.nanoTime() + "-"
                + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ch.truncate(0);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(token);
        while (b.hasRemaining()) ch.write(b, b.position());
        try (java.io.InputStream in = Files.newInputStream(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return java.util.Arrays.equals(in.readNBytes(token.length + 1), token);
        } catch (java.nio.file.FileSystemException e) { // removed, or a link put there since: not the file we locked
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(file); // still locked: a waiter on this file then sees it gone and retries
        } finally {
            dev.modelreg.content.Cleanup.unregister(file);
            try {
                channel.close();
            } finally {
                local.unlock();
            }
        }
    }
}
