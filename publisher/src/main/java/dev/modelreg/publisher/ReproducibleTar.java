package dev.modelreg.publisher;

import dev.modelreg.content.DigestingOutputStream;
import dev.modelreg.content.tar.TarHeaders;
import dev.modelreg.content.VerifyingInputStream;

import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a reproducible, uncompressed tar: the same members give the same bytes on any machine, at any time.
 * <ul>
 *   <li>entries in the order given (callers sort by path); regular files only, no directory entries;</li>
 *   <li>each header: mode 0644, uid/gid 0, empty uname/gname, mtime {@code mtime} (0 by default), typeflag '0';</li>
 *   <li>POSIX ustar headers ("ustar\0" "00"), a path over 100 bytes split into prefix/name at a '/';</li>
 *   <li>no PAX or other extended headers: a path that cannot be split (or a file of 8 GiB or more) is written
 *       in GNU form instead (magic "ustar  \0", a {@code ././@LongLink} 'L' entry with the same fixed fields,
 *       base-256 size), which every common reader understands;</li>
 *   <li>the archive ends with two zero blocks and is not padded to a record size.</li>
 * </ul>
 * Each member's bytes are checked against its expected size and sha256 while they are copied (the tree must not
 * change between indexing and pushing).
 */
public final class ReproducibleTar {
    private ReproducibleTar() {}

    /** The tar block size: headers and member data are padded to it. */
    public static final int BLOCK = TarHeaders.BLOCK;

    /** A file to put in the tar under {@code name} (a registry file key). */
    public record Member(String name, Path file, long size, Digest digest) {}

    /** Writes {@code members}, in the given order, as one tar to {@code out}, every header with {@code mtime}. */
    public static void write(OutputStream out, List<Member> members, long mtime) throws IOException {
        byte[] buf = new byte[64 * 1024];
        for (Member m : members) {
            TarHeaders.file(out, m.name(), m.size(), mtime);
            copyVerified(m, out, buf);
            TarHeaders.pad(out, m.size());
        }
        TarHeaders.end(out);
    }

    /** Copies the member's file into the tar, hashed in the same pass; at most its size is written. */
    private static void copyVerified(Member m, OutputStream out, byte[] buf) throws IOException {
        DigestingOutputStream hashed = new DigestingOutputStream(out); // not closed: the tar goes on
        boolean more;
        try (InputStream in = Files.newInputStream(m.file())) {
            for (int r; hashed.count() < m.size()
                    && (r = in.read(buf, 0, (int) Math.min(buf.length, m.size() - hashed.count()))) >= 0; ) {
                hashed.write(buf, 0, r);
            }
            more = in.read() >= 0;
        }
        long n = hashed.count();
        if (more || n != m.size()) {
            throw new IOException(m.name() + ": file changed while pushing: want " + m.size() + " bytes, found "
                    + (more ? "more" : String.valueOf(n)));
        }
        Digest got = hashed.digest();
        if (m.digest() != null && !got.equals(m.digest())) {
            throw VerifyingInputStream.mismatch("file '" + m.name() + "' (" + m.file() + ", changed while pushing)",
                    m.digest(), got, n);
        }
    }
}
