package dev.modelreg.content;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tar format of OCI archives, both ways, with nothing extracted to disk.
 * <p>Reading ({@link #index}): one pass over the headers records where each regular file's bytes are; the blobs are
 * later read in place. ustar, GNU long names ('L') and PAX ('x': path, size) are understood. Only regular files
 * and directories are accepted: an absolute path, a {@code ..} segment, a link, a device, a FIFO, a sparse file or a
 * duplicate name refuses the whole archive with a one-line error naming the entry.
 * <p>Writing ({@link #header}, {@link #end}): plain ustar headers with fixed fields (mode 0644 or 0755, uid/gid 0,
 * empty user and group names, mtime 0), no PAX or other extension headers, so the same content gives the same
 * bytes. Names must fit the 100-byte name field ({@code blobs/sha256/<hex>} is 77 bytes).
 */
final class ArchiveTar {
    static final int BLOCK = 512;
    private static final int MAX_EXTENSION = 1 << 20;
    private static final int MAX_ENTRIES = 1_000_000;

    private ArchiveTar() {}

    /** A regular file in the tar: its name (normalized, no "./"), where its bytes start and how many there are. */
    record Entry(String name, long offset, long size) {}

    /** The regular files of the tar at {@code file}, by normalized name, in archive order. */
    static Map<String, Entry> index(Path file, String what) throws IOException {
        Map<String, Entry> files = new LinkedHashMap<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = ch.size();
            long pos = 0;
            String longName = null;
            Map<String, String> pax = Map.of();
            int count = 0;
            byte[] h = new byte[BLOCK];
            while (true) {
                int n = readFully(ch, pos, h);
                if (n == 0 && pos > 0) break; // end without the zero blocks: accepted, as tar does
                if (n < BLOCK) {
                    if (pos == 0 && n >= 2 && (h[0] & 0xff) == 0x1f && (h[1] & 0xff) == 0x8b) {
                        throw invalid(what + ": a gzip file, not a tar (OCI archives are uncompressed: gunzip it first)");
                    }
                    throw invalid(what + ": not a tar file (truncated header at byte " + pos + ")");
                }
                if (isZero(h)) break;
                if (pos == 0 && (h[0] & 0xff) == 0x1f && (h[1] & 0xff) == 0x8b) {
                    throw invalid(what + ": a gzip file, not a tar (OCI archives are uncompressed: gunzip it first)");
                }
                if (!checksumOk(h)) {
                    throw invalid(what + ": not a tar file (bad header checksum at byte " + pos + ")");
                }
                if (++count > MAX_ENTRIES) throw invalid(what + ": more than " + MAX_ENTRIES + " entries");
                byte type = h[156];
                boolean extension = type == 'x' || type == 'L' || type == 'K' || type == 'g';
                long size = number(h, 124, 12, what, pos);
                if (!extension && pax.containsKey("size")) size = paxSize(pax.get("size"), what);
                long data = pos + BLOCK;
                if (size < 0 || data + size > length) {
                    throw invalid(what + ": truncated (an entry at byte " + pos + " claims " + size + " bytes)");
                }
                long next = data + round(size);
                if (extension) {
                    byte[] ext = readExtension(ch, data, size, what, pos);
                    if (type == 'x') pax = parsePax(ext, what, pos);
                    else if (type == 'L') longName = cString(ext, 0, ext.length);
                    // 'K' (long link name) belongs to a link, refused below; 'g' (global PAX) sets nothing we use
                    pos = next;
                    continue;
                }
                String raw = pax.containsKey("path") ? pax.get("path") : longName != null ? longName : headerName(h);
                longName = null;
                pax = Map.of();
                String name = safeName(raw, what);
                switch (type) {
                    case '0', 0, '7' -> {
                        if (files.containsKey(name)) throw invalid(what + ": duplicate entry '" + raw + "'");
                        files.put(name, new Entry(name, data, size));
                    }
                    case '5' -> { }
                    default -> throw invalid(what + ": entry '" + raw + "' is " + kind(type)
                            + " (only regular files and directories are allowed)");
                }
                pos = next;
            }
        }
        return files;
    }

    /** A stream over {@code size} bytes of {@code file} from {@code offset} (its own channel: safe to use in parallel). */
    static InputStream open(Path file, long offset, long size) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        return new InputStream() {
            private long pos = offset;
            private final long end = offset + size;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) return 0;
                if (pos >= end) return -1;
                int n = ch.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - pos)), pos);
                if (n < 0) return -1;
                pos += n;
                return n;
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }

    // ---- reading helpers

    private static String safeName(String raw, String what) throws ContentException {
        if (raw.isEmpty()) throw invalid(what + ": an entry has an empty name");
        if (raw.indexOf('\0') >= 0) throw invalid(what + ": entry '" + raw.replace('\0', '?') + "' has a NUL in its name");
        if (raw.startsWith("/") || raw.startsWith("\\") || (raw.length() > 1 && raw.charAt(1) == ':')) {
            throw invalid(what + ": entry '" + raw + "' has an absolute path");
        }
        List<String> parts = new ArrayList<>();
        for (String s : raw.split("[/\\\\]")) {
            if (s.equals("..")) throw invalid(what + ": entry '" + raw + "' leaves the archive ('..' in its path)");
            if (!s.isEmpty() && !s.equals(".")) parts.add(s);
        }
        return String.join("/", parts);
    }

    private static String kind(byte type) {
        return switch (type) {
            case '1' -> "a hard link";
            case '2' -> "a symbolic link";
            case '3' -> "a character device";
            case '4' -> "a block device";
            case '6' -> "a FIFO";
            case 'S' -> "a sparse file";
            default -> "of unsupported type '" + (type >= 32 && type < 127 ? String.valueOf((char) type) : "\\" + (type & 0xff)) + "'";
        };
    }

    private static String headerName(byte[] h) {
        String name = cString(h, 0, 100);
        boolean ustar = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r' && h[262] == 0;
        if (ustar && h[345] != 0) return cString(h, 345, 155) + "/" + name;
        return name;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) end++;
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long number(byte[] h, int off, int len, String what, long pos) throws ContentException {
        if ((h[off] & 0x80) != 0) {
            long v = 0;
            for (int i = off + 1; i < off + len; i++) {
                if ((v >>> 55) != 0) throw invalid(what + ": size too large at byte " + pos);
                v = (v << 8) | (h[i] & 0xff);
            }
            return v;
        }
        long v = 0;
        int i = off;
        while (i < off + len && (h[i] == ' ' || h[i] == 0)) i++;
        for (; i < off + len && h[i] != 0 && h[i] != ' '; i++) {
            if (h[i] < '0' || h[i] > '7') throw invalid(what + ": not a tar file (bad number in the header at byte " + pos + ")");
            v = (v << 3) | (h[i] - '0');
        }
        return v;
    }

    private static boolean checksumOk(byte[] h) {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        long want = 0;
        int i = 148;
        while (i < 156 && (h[i] == ' ' || h[i] == 0)) i++;
        for (; i < 156 && h[i] >= '0' && h[i] <= '7'; i++) want = (want << 3) | (h[i] - '0');
        return sum == want;
    }

    private static byte[] readExtension(FileChannel ch, long data, long size, String what, long pos) throws IOException {
        if (size > MAX_EXTENSION) throw invalid(what + ": extended header at byte " + pos + " is larger than 1 MiB");
        byte[] b = new byte[(int) size];
        if (readFully(ch, data, b) != b.length) throw invalid(what + ": truncated extended header at byte " + pos);
        return b;
    }

    private static Map<String, String> parsePax(byte[] b, String what, long pos) throws ContentException {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        while (i < b.length) {
            int sp = i;
            while (sp < b.length && b[sp] != ' ') sp++;
            int len;
            try {
                len = Integer.parseInt(new String(b, i, sp - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw invalid(what + ": bad PAX header at byte " + pos);
            }
            if (len <= sp - i + 1 || i + len > b.length || b[i + len - 1] != '\n') {
                throw invalid(what + ": bad PAX header at byte " + pos);
            }
            String rec = new String(b, sp + 1, i + len - 1 - (sp + 1), StandardCharsets.UTF_8);
            int eq = rec.indexOf('=');
            if (eq <= 0) throw invalid(what + ": bad PAX header at byte " + pos);
            out.put(rec.substring(0, eq), rec.substring(eq + 1));
            i += len;
        }
        return out;
    }

    private static long paxSize(String s, String what) throws ContentException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw invalid(what + ": bad PAX size '" + s + "'");
        }
    }

    private static int readFully(FileChannel ch, long pos, byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) break;
        }
        return buf.position();
    }

    private static boolean isZero(byte[] h) {
        for (byte b : h) if (b != 0) return false;
        return true;
    }

    private static long round(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static ContentException invalid(String message) {
        return new ContentException(ContentException.Kind.INVALID, message);
    }
}
