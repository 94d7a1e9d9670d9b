package dev.modelreg.content;

import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** The one "hash a file" of modelreg: its sha256, read once, through a link never. */
public final class Hashing {
    private Hashing() {}

    /** The sha256 of {@code file}'s bytes (a link at its name is not followed: an error). */
    public static Digest sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
             DigestingOutputStream out = new DigestingOutputStream(OutputStream.nullOutputStream())) {
            Streams.copy(in, out, Files.size(file));
            return out.digest();
        }
    }
}
