package dev.modelreg.content;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a named file whole or not at all: a temp file in the same directory, then an atomic rename over the target
 * (the previous content stays until the rename). For content-addressed blobs use {@link Ingest}, which verifies and
 * keeps an existing target instead.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * Creates a new empty file {@code dir/PREFIX<random>SUFFIX} that did not exist (O_EXCL) with the default
     * permissions (umask applies: usually 0644). Unlike {@link Files#createTempFile}, which makes 0600 files, what
     * is renamed into place from here reads like any other file the user writes (models.toml, index.json, blobs).
     */
    public static Path tempFile(Path dir, String prefix, String suffix) throws IOException {
        java.util.concurrent.ThreadLocalRandom rnd = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve(prefix + Long.toUnsignedString(rnd.nextLong(), 36) + suffix);
            try {
                return Files.createFile(p);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt >= 100) throw e;
            }
        }
    }

    /**
     * Writes through a temp file {@code .NAME.PID-RANDOM.partial} (a later run removes it if this process dies, see
     * {@link #cleanLeftovers}), flushed to disk before the rename, and the directory after it: after a crash or a
     * power loss the target holds the old content or the new, whole.
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = tempFile(dir, "." + target.getFileName() + "." + Leftovers.ownerTag(), ".partial");
        try {
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp,
                    java.nio.file.StandardOpenOption.WRITE);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                java.io.BufferedOutputStream buffered = new java.io.BufferedOutputStream(out, 64 << 10) {
                    @Override
                    public void close() throws IOException {
                        flush(); // the channel is closed here, after it is forced to disk
                    }
                };
                writer.write(buffered);
                buffered.flush();
                ch.force(true);
            }
            Crash.point("atomic-write.before-rename");
            replace(tmp, target);
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Removes the temp files of {@link #write} in {@code dir} whose process no longer runs. */
    public static void cleanLeftovers(Path dir) {
        for (Path p : Leftovers.staleTempFiles(dir)) {
            try {
                Files.deleteIfExists(p);
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

    /** Renames {@code tmp} over {@code target}, atomically where the file system can. */
    public static void replace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
