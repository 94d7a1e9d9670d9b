package dev.modelreg.content.tar;

import dev.modelreg.content.ChunkedInputStream;
import dev.modelreg.content.ContentException;
import dev.modelreg.spec.Text;
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
 * duplicate name refuses the whole archive with a one-line error naming the entry (printable: control characters escaped).
 * <p>Writing ({@code header}, {@code end}): plain ustar headers with fixed fields (mode 0644 or 0755, uid/gid 0,
 * empty user and group names, mtime 0), no PAX or other extension headers, so the same content gives the same
 * bytes. Names must fit the 100-byte name field ({@code blobs/sha256/<hex>} is 77 bytes).
 */
public final class ArchiveTar {
    static final int BLOCK = 512;
    private static final int MAX_EXTENSION = dev.modelreg.spec.Limits.MAX_TAR_EXTENSION_BYTES;
    private static final int MAX_ENTRIES = dev.modelreg.spec.Limits.MAX_ARCHIVE_ENTRIES;

    private ArchiveTar() {}

    /** A regular file in the tar: its name (normalized, no "./"), where its bytes start and how many there are. */
    public record Entry(String name, long offset, long size) {}

    /** The regular files of the tar at {@code file}, by normalized name, in archive order. */
    public static Map<String, Entry> index(Path file, String what) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return index(ch, what);
        }
    }

    /** The regular files of the tar open as {@code ch} (left open), by normalized name, in archive order. */
    public static Map<String, Entry> index(FileChannel ch, String what) throws IOException {
        Map<String, Entry> files = new LinkedHashMap<>();
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
            if (TarFields.isZero(h)) break;
            if (pos == 0 && (h[0] & 0xff) == 0x1f && (h[1] & 0xff) == 0x8b) {
                throw invalid(what + ": a gzip file, not a tar (OCI archives are uncompressed: gunzip it first)");
            }
            if (!TarFields.checksumOk(h)) {
                throw invalid(what + ": not a tar file (bad header checksum at byte " + pos + ")");
            }
            if (++count > MAX_ENTRIES) throw invalid(what + ": more than " + MAX_ENTRIES + " entries");
            byte type = h[156];
            boolean extension = type == 'x' || type == 'L' || type == 'K' || type == 'g';
            long size = TarFields.number(h, 124, 12, what, pos);
            if (!extension && pax.containsKey("size")) size = TarFields.paxSize(pax.get("size"), what);
            long data = pos + BLOCK;
            if (size < 0 || size > length - data) { // (data + size could overflow)
                throw invalid(what + ": truncated (an entry at byte " + pos + " claims " + size + " bytes)");
            }
            long next = data + TarFields.round(size);
            if (extension) {
                byte[] ext = readExtension(ch, data, size, what, pos);
                if (type == 'x') pax = TarFields.parsePax(ext, what, pos);
                else if (type == 'L') longName = TarFields.cString(ext, 0, ext.length);
                // 'K' (long link name) belongs to a link, refused below; 'g' (global PAX) sets nothing we use
                pos = next;
                continue;
            }
            String raw = pax.containsKey("path") ? pax.get("path") : longName != null ? longName : TarFields.headerName(h);
            longName = null;
            pax = Map.of();
            String name = safeName(raw, what);
            switch (type) {
                case '0', 0, '7' -> {
                    if (files.containsKey(name)) throw invalid(what + ": duplicate entry '" + Text.printable(raw) + "'");
                    files.put(name, new Entry(name, data, size));
                }
                case '5' -> { }
                default -> throw invalid(what + ": entry '" + Text.printable(raw) + "' is " + TarStream.kind(type)
                        + " (only regular files and directories are allowed)");
            }
            pos = next;
        }
        return files;
    }

    /** A stream over {@code size} bytes of {@code file} from {@code offset} (its own channel: safe to use in parallel). */
    public static InputStream open(Path file, long offset, long size) throws IOException {
        return open(FileChannel.open(file, StandardOpenOption.READ), offset, size, true);
    }

    /**
     * A stream over {@code size} bytes of the open tar {@code ch} from {@code offset}, by positional reads (several
     * streams may share one channel); closing it closes {@code ch} only when {@code owned}.
     */
    public static InputStream open(FileChannel ch, long offset, long size, boolean owned) {
        return new ChunkedInputStream() {
            private long pos = offset;
            private final long end = offset + size;

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
                if (owned) ch.close();
            }
        };
    }

    // ---- reading helpers

    private static String safeName(String raw, String what) throws ContentException {
        if (raw.isEmpty()) throw invalid(what + ": an entry has an empty name");
        if (raw.indexOf('\0') >= 0) throw invalid(what + ": entry '" + Text.printable(raw) + "' has a NUL in its name");
        if (raw.startsWith("/") || raw.startsWith("\\") || (raw.length() > 1 && raw.charAt(1) == ':')) {
            throw invalid(what + ": entry '" + Text.printable(raw) + "' has an absolute path");
        }
        List<String> parts = new ArrayList<>();
        for (String s : raw.split("[/\\\\]")) {
            if (s.equals("..")) throw invalid(what + ": entry '" + Text.printable(raw) + "' leaves the archive ('..' in its path)");
            if (!s.isEmpty() && !s.equals(".")) parts.add(s);
        }
        return String.join("/", parts);
    }


    private static byte[] readExtension(FileChannel ch, long data, long size, String what, long pos) throws IOException {
        if (size > MAX_EXTENSION) throw invalid(what + ": extended header at byte " + pos + " is larger than 1 MiB");
        byte[] b = new byte[(int) size];
        if (readFully(ch, data, b) != b.length) throw invalid(what + ": truncated extended header at byte " + pos);
        return b;
    }

    private static int readFully(FileChannel ch, long pos, byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) break;
        }
        return buf.position();
    }

    private static ContentException invalid(String message) {
        return new ContentException(ContentException.Kind.INVALID, message);
    }
}
