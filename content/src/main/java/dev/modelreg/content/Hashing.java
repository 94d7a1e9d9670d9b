package dev.modelreg.content;

import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** The one "hash a file" of modelreg: its sha256 (and size), read once, hashed in the same pass. */
public final class Hashing {
    private Hashing() {}

    /** A file's sha256 and size. */
    public record Hashed(Digest digest, long size) {}

    /** The sha256 of {@code file}'s bytes (a link at its name is not followed: an error). */
    public static Digest sha256(Path file) throws IOException {
        return hash(file, LinkOption.NOFOLLOW_LINKS).digest();
    }

    /**
     * The sha256 and size of {@code file}'s bytes. A link at its name is followed unless {@code options} say
     * {@link LinkOption#NOFOLLOW_LINKS}: a source tree being published may link its files, a cache or a workspace not.
     */
    public static Hashed hash(Path file, LinkOption... options) throws IOException {
        try (InputStream in = Files.newInputStream(file, options);
             DigestingOutputStream out = new DigestingOutputStream(OutputStream.nullOutputStream())) {
            Streams.copy(in, out, Files.size(file));
            return new Hashed(out.digest(), out.count());
        }
    }
}
