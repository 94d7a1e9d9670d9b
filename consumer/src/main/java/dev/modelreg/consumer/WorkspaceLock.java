package dev.modelreg.consumer;

import dev.modelreg.content.fs.ExclusiveLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * One writer at a time for a workspace or pull target: the {@link ExclusiveLock} on {@code .NAME.lock} beside it
 * (other processes and other threads). A second writer waits, saying once that it does; the lock file is removed on
 * release, and a waiter that locked a file removed meanwhile locks the new one instead.
 */
final class WorkspaceLock implements AutoCloseable {
    private final ExclusiveLock lock;

    private WorkspaceLock(ExclusiveLock lock) {
        this.lock = lock;
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
        return lock(target, waiting);
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
            return lock(target, waiting);
        } catch (java.nio.file.AccessDeniedException | java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    private static WorkspaceLock lock(Path target, Consumer<String> waiting) throws IOException {
        Path file = target.resolveSibling("." + target.getFileName() + ".lock");
        return new WorkspaceLock(ExclusiveLock.acquire(file, target.toString(), waiting));
    }

    @Override
    public void close() throws IOException {
        lock.close();
    }
}
