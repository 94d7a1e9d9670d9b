package dev.modelreg.content.tar;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The one tar header writer of modelreg (tar layers and OCI archives), reproducible by construction: uid/gid 0,
 * empty uname/gname, mode 0644 (files) or 0755 (directories), the given mtime, no PAX or other extended headers.
 * A name over 100 bytes is split into the ustar prefix and name fields at a '/'; a name that cannot be split, or a
 * size of 8 GiB or more, uses the GNU form (magic "ustar  \0", a preceding ././@LongLink entry for the name,
 * base-256 size). See spec/README.md, "Tar format".
 */
public final class TarHeaders {
    private TarHeaders() {}

    public static final int BLOCK = 512;
    private static final long MAX_OCTAL_SIZE = 077777777777L; // 11 octal digits
    private static final byte[] LONG_LINK = "././@LongLink".getBytes(StandardCharsets.US_ASCII);

    /** Writes the header (and, for a long name, the GNU long-name entry before it) of a regular file. */
    public static void file(OutputStream out, String name, long size, long mtime) throws IOException {
        write(out, name, size, mtime, (byte) '0', 0644);
    }

    /** Writes a whole regular file of {@code bytes} (mtime 0): its header, the bytes, the padding. */
    public static void file(OutputStream out, String name, byte[] bytes) throws IOException {
        file(out, name, bytes.length, 0);
        out.write(bytes);
        pad(out, bytes.length);
    }

    /** Writes the header of a directory entry (size 0). */
    public static void directory(OutputStream out, String name, long mtime) throws IOException {
        write(out, name, 0, mtime, (byte) '5', 0755);
    }

    /** Zero bytes up to the next block boundary after {@code size} bytes of data. */
    public static void pad(OutputStream out, long size) throws IOException {
        int rem = (int) (size % BLOCK);
        if (rem != 0) out.write(new byte[BLOCK - rem]);
    }

    /** The end of an archive: two zero blocks (no further padding to a record size). */
    public static void end(OutputStream out) throws IOException {
        out.write(new byte[2 * BLOCK]);
    }

    private static void write(OutputStream out, String entryName, long size, long mtime, byte type, int mode)
            throws IOException {
        byte[] name = entryName.getBytes(StandardCharsets.UTF_8);
        int split = ustarSplit(name);
        boolean gnu = split < 0 || size > MAX_OCTAL_SIZE;
        if (gnu && name.length > 100) {
            byte[] data = Arrays.copyOf(name, name.length + 1); // NUL terminated, as GNU tar writes it
            out.write(header(LONG_LINK, null, data.length, mtime, (byte) 'L', 0644, true));
            out.write(data);
            pad(out, data.length);
        }
        byte[] nameField = gnu ? Arrays.copyOf(name, Math.min(name.length, 100))
                : split == 0 ? name : Arrays.copyOfRange(name, split + 1, name.length);
        byte[] prefixField = gnu || split == 0 ? null : Arrays.copyOfRange(name, 0, split);
        out.write(header(nameField, prefixField, size, mtime, type, mode, gnu));
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

    private static byte[] header(byte[] name, byte[] prefix, long size, long mtime, byte type, int mode, boolean gnu) {
        byte[] h = new byte[BLOCK];
        System.arraycopy(name, 0, h, 0, Math.min(name.length, 100));
        octal(h, 100, 8, mode);
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
        System.arraycopy(String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII), 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    /** {@code width - 1} zero-padded octal digits and a NUL. */
    private static void octal(byte[] h, int off, int width, long v) {
        String s = Long.toOctalString(v);
        int digits = width - 1;
        if (s.length() > digits) throw new IllegalArgumentException("value " + v + " does not fit a tar header field");
        System.arraycopy(("0".repeat(digits - s.length()) + s).getBytes(StandardCharsets.US_ASCII), 0, h, off, digits);
        h[off + digits] = 0;
    }
}
