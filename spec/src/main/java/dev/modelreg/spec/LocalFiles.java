package dev.modelreg.spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a file the user named (a models.toml, a bootstrap config) with errors that say what is wrong with it. */
public final class LocalFiles {
    private LocalFiles() {}

    /**
     * The bytes of {@code file}, at most {@code maxBytes}; a directory or a larger file is an
     * {@link IllegalArgumentException} of one line naming {@code what} and the path, a missing one a
     * {@link NoSuchFileException} of that line (not found, as a missing directory is).
     */
    public static byte[] read(Path file, String what, long maxBytes) throws IOException {
        if (Files.isDirectory(file)) throw new IllegalArgumentException(what + " " + file + " is a directory, not a file");
        if (!Files.exists(file)) throw missing(file, what);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (b.length > maxBytes) {
                throw new IllegalArgumentException(what + " " + file + " is larger than the limit of " + maxBytes + " bytes");
            }
            return b;
        } catch (NoSuchFileException e) {
            throw missing(file, what);
        }
    }

    private static NoSuchFileException missing(Path file, String what) {
        return new NoSuchFileException(null, null, what + " " + file + " does not exist");
    }
}
