package dev.modelreg.content.fs;

import dev.modelreg.content.Ingest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The one place of modelreg's renames. Writes a named file whole or not at all: a temp file in the same directory
 * (named with the writer's PID: {@link #cleanLeftovers} removes a dead writer's), flushed, then an atomic rename over
 * the target (the previous content stays until the rename). Also the renames others build on: {@link #place} (a
 * verified content-addressed blob, an existing one wins: {@link Ingest}), {@link #replace} (a temp file over a file
 * that may exist), {@link #commit} (a finished temp file made durable, then renamed) and {@link #rename} (a directory
 * swapped in, never over another).
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** A temp file made by {@link #createTemp}: its name and the channel it was opened with (to write it). */
    public record Temp(Path path, java.nio.channels.FileChannel channel) {}

    /**
     * Creates a new empty file {@code dir/PREFIX<random>SUFFIX} that did not exist and opens it for writing in the same
     * call ({@code O_CREAT|O_EXCL}: a link planted at the name is never followed, and the file is never reopened by
     * name), with the default permissions (umask applies: usually 0644). Unlike {@link Files#createTempFile}, which
     * makes 0600 files, what is renamed into place from here reads like any other file the user writes (models.toml,
     * index.json, blobs).
     */
    public static Temp createTemp(Path dir, String prefix, String suffix) throws IOException {
        java.util.concurrent.ThreadLocalRandom rnd = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve(prefix + Long.toUnsignedString(rnd.nextLong(), 36) + suffix);
            try {
                return new Temp(p, SafeFiles.createNew(p));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt >= 100) throw e;
            }
        }
    }

    /**
     * Writes through a temp file {@code .NAME.PID-RANDOM.partial} (a later run removes it if this process dies, see
     * {@link #cleanLeftovers}), flushed to disk before the rename, and the directory after it: after a crash or a
     * power loss the target holds the old content or the new, whole. A link at the target's name is replaced by the
     * file, never written through; a write error names the target ("No space left on device").
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        write(target, dir, "." + target.getFileName() + "." + Leftovers.ownerTag(), writer);
    }

    /**
     * {@link #write(Path, Writer)} with the temp file {@code PREFIX<random>.partial} in {@code tempDir} (on the file
     * system of the target: an OCI layout keeps its temp files in {@code ingest/}); {@code tempDir} exists.
     */
    public static void write(Path target, Path tempDir, String prefix, Writer writer) throws IOException {
        Temp tmp = createTemp(tempDir, prefix, ".partial");
        Cleanup.register(tmp.path()); // an interrupted process removes it; after a kill -9, the next run (its PID)
        try {
            try (java.nio.channels.FileChannel ch = tmp.channel();
                 OutputStream out = SafeFiles.outputStream(ch, target)) {
                java.io.BufferedOutputStream buffered = new java.io.BufferedOutputStream(out, 64 << 10) {
                    @Override
                    public void close() throws IOException {
                        flush(); // the channel is closed here, after it is forced to disk
                    }
                };
                writer.write(buffered);
                buffered.flush();
                try {
                    ch.force(true);
                } catch (IOException e) {
                    throw SafeFiles.named(target, e);
                }
            }
            Crash.point("atomic-write.before-rename");
            replace(tmp.path(), target);
            syncDirectory(target.toAbsolutePath().getParent());
        } finally {
            Files.deleteIfExists(tmp.path());
            Cleanup.unregister(tmp.path());
        }
    }

    /**
     * Makes a finished temp file {@code tmp} (written by someone else, e.g. a library that opens its output by name)
     * durable and renames it over {@code target}, then flushes the directory: as {@link #write} does for its own.
     */
    public static void commit(Path tmp, Path target) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            ch.force(true);
        } catch (IOException e) {
            throw SafeFiles.named(target, e);
        }
        replace(tmp, target);
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Removes the temp files of {@link #write} in {@code dir} whose process no longer runs (and temp directories of the
     * same name: a pull stages a foreign tar layer's tree in one).
     */
    public static void cleanLeftovers(Path dir) {
        for (Path p : Leftovers.staleTempFiles(dir)) {
            try {
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Trees.delete(p);
                else Files.deleteIfExists(p);
            } catch (IOException e) {
                // removed by another run, or not ours to remove: left for the next run
            }
        }
    }

    /** Flushes a directory's entries (a rename) to disk where the platform allows; a no-op elsewhere. */
    static void syncDirectory(Path dir) {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir, java.nio.file.StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported here (Windows): the rename itself is still atomic
        }
    }

    /** Renames {@code tmp} over {@code target}, atomically where the file system can (else moved: copied across). */
    public static void replace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Renames a verified temp file to its content-addressed name; an existing target wins (same address, same bytes)
     * and false is returned. True if this call put it there.
     */
    public static boolean place(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (AtomicMoveNotSupportedException e) {
            if (Files.exists(target)) return false;
            Files.move(tmp, target);
            return true;
        }
    }

    /**
     * Renames {@code from} (a directory: a workspace swapped in or moved aside, a file moved aside) to {@code to} in one
     * atomic step; fails rather than replace what is at {@code to}, or copy across file systems.
     */
    public static void rename(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }
}
