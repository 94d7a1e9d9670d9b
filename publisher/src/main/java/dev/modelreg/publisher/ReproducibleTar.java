package dev.modelreg.publisher;

import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
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

    public static final int BLOCK = 512;
    private static final long MAX_OCTAL_SIZE = 077777777777L; // 11 octal digits

    /** A file to put in the tar under {@code name} (a registry file key). */
    public record Member(String name, Path file, long size, Digest digest) {}

    public static void write(OutputStream out, List<Member> members, long mtime) throws IOException {
        byte[] buf = new byte[64 * 1024];
        for (Member m : members) {
            byte[] name = m.name().getBytes(StandardCharsets.UTF_8);
            int split = ustarSplit(name);
            boolean gnu = split < 0 || m.size() > MAX_OCTAL_SIZE;
            if (gnu && name.length > 100) {
                byte[] data = Arrays.copyOf(name, name.length + 1); // NUL terminated, as GNU tar writes it
                out.write(header("././@LongLink".getBytes(StandardCharsets.US_ASCII), null, data.length, mtime, (byte) 'L', true));
                out.write(data);
                pad(out, data.length);
            }
            byte[] nameField = gnu ? Arrays.copyOf(name, Math.min(name.length, 100))
                    : split == 0 ? name : Arrays.copyOfRange(name, split + 1, name.length);
            byte[] prefixField = gnu || split == 0 ? null : Arrays.copyOfRange(name, 0, split);
            out.write(header(nameField, prefixField, m.size(), mtime, (byte) '0', gnu));
            copyVerified(m, out, buf);
            pad(out, m.size());
        }
        out.write(new byte[2 * BLOCK]);
    }

    /**
     * 0 if the name fits the 100-byte name field, the index of the '/' to split at (prefix <= 155 bytes, name <=
     * 100 bytes, both non-empty), or -1 if it cannot be written as ustar.
     */
    static int ustarSplit(byte[] name) {
        if (name.length <= 100) return 0;
        for (int i = Math.min(name.length - 2, 155); i > 0; i--) {
            if (name[i] == '/' && name.length - i - 1 <= 100) return i;
        }
        return -1;
    }

    private static void copyVerified(Member m, OutputStream out, byte[] buf) throws IOException {
        MessageDigest md = Digest.newSha256();
        long n = 0;
        try (InputStream in = Files.newInputStream(m.file())) {
            for (int r; (r = in.read(buf)) >= 0; ) {
                n += r;
                if (n > m.size()) break;
                md.update(buf, 0, r);
                out.write(buf, 0, r);
            }
        }
        if (n != m.size()) {
            throw new IOException(m.name() + ": file changed while pushing: want " + m.size() + " bytes, found "
                    + (n > m.size() ? "more" : String.valueOf(n)));
        }
        Digest got = Digest.sha256(HexFormat.of().formatHex(md.digest()));
        if (m.digest() != null && !got.equals(m.digest())) {
            throw new IOException(m.name() + ": file changed while pushing: want " + m.digest() + ", got " + got);
        }
    }

    private static void pad(OutputStream out, long size) throws IOException {
        int rem = (int) (size % BLOCK);
        if (rem != 0) out.write(new byte[BLOCK - rem]);
    }

    private static byte[] header(byte[] name, byte[] prefix, long size, long mtime, byte type, boolean gnu) {
        byte[] h = new byte[BLOCK];
        System.arraycopy(name, 0, h, 0, Math.min(name.length, 100));
        octal(h, 100, 8, 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        if (size > MAX_OCTAL_SIZE) {
            // GNU base-256: high bit of the first byte set, big-endian value in the rest
            h[124] = (byte) 0x80;
            for (int i = 0; i < 8; i++) h[135 - i] = (byte) (size >>> (8 * i));
        } else {
            octal(h, 124, 12, size);
        }
        octal(h, 136, 12, mtime);
        h[156] = type;
        if (gnu) {
            System.arraycopy("ustar  \0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
        } else {
            System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
            h[263] = '0';
            h[264] = '0';
            octal(h, 329, 8, 0);
            octal(h, 337, 8, 0);
            if (prefix != null) System.arraycopy(prefix, 0, h, 345, prefix.length);
        }
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        String c = String.format("%06o", sum);
        System.arraycopy(c.getBytes(StandardCharsets.US_ASCII), 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    /** {@code width - 1} zero-padded octal digits and a NUL. */
    private static void octal(byte[] h, int off, int width, long v) {
        String s = Long.toOctalString(v);
        int digits = width - 1;
        if (s.length() > digits) throw new IllegalArgumentException("value " + v + " does not fit a tar header field");
        String p = "0".repeat(digits - s.length()) + s;
        System.arraycopy(p.getBytes(StandardCharsets.US_ASCII), 0, h, off, digits);
        h[off + digits] = 0;
    }
}
