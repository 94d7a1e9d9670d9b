package dev.modelreg.content.tar;

import dev.modelreg.content.BlobSink;
import dev.modelreg.content.ContentException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * A tar read as its bytes go by (push style): {@link #write} takes the bytes of a tar layer in any chunking, as a
 * copy moves them, and hands each regular file's content to the {@link Members} callback; {@link #finish} checks the
 * tar ended cleanly. This is how a tar layer's files are extracted in the same pass that downloads, verifies and
 * caches the layer. ustar, GNU long names ('L') and PAX ('x': path, size) are understood; other entries
 * (directories, links, devices) are skipped, never written. A bad header checksum, an extended header over 1 MiB or a
 * truncated entry fails with INVALID naming {@code what}.
 */
public final class TarStream implements BlobSink {
    private static final int MAX_EXTENSION = dev.modelreg.spec.Limits.MAX_TAR_EXTENSION_BYTES;

    /** Where the members go. */
    public interface Members {
        /**
         * A regular file begins: where its {@code size} bytes go, or null to skip it. {@code name} is the entry's path
         * with any leading {@code ./} removed (not checked otherwise: the callback matches it against what it wants).
         */
        Member open(String name, long size) throws IOException;

        /**
         * An entry that is not a regular file (a directory, a link, a device...; {@code type} is its typeflag) was
         * read: it is skipped unless this throws. {@code name} is as for {@link #open}.
         */
        default void other(String name, byte type) throws IOException {}
    }

    /** One member's bytes, then {@link #close()} at its end. */
    public interface Member {
        void write(byte[] b, int off, int len) throws IOException;

        void close() throws IOException;
    }

    private enum State { HEADER, DATA, EXTENSION, PADDING, END }

    private final Members members;
    private final String what;
    private final byte[] header = new byte[TarFields.BLOCK];
    private int headerFill;
    private State state = State.HEADER;
    private long remaining;
    private long padding;
    private long offset;
    private long entryStart;
    private Member current;
    private byte extensionType;
    private ByteArrayOutputStream extension;
    private String longName;
    private Map<String, String> pax = Map.of();

    public TarStream(Members members, String what) {
        this.members = members;
        this.what = what;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        int i = off;
        while (i < end) {
            switch (state) {
                case HEADER -> {
                    int n = Math.min(end - i, TarFields.BLOCK - headerFill);
                    System.arraycopy(b, i, header, headerFill, n);
                    headerFill += n;
                    i += n;
                    offset += n;
                    if (headerFill == TarFields.BLOCK) {
                        headerFill = 0;
                        header();
                    }
                }
                case DATA, EXTENSION -> {
                    int n = (int) Math.min(end - i, remaining);
                    if (state == State.DATA) {
                        if (current != null) current.write(b, i, n);
                    } else {
                        extension.write(b, i, n);
                    }
                    i += n;
                    offset += n;
                    remaining -= n;
                    if (remaining == 0) endOfData();
                }
                case PADDING -> {
                    int n = (int) Math.min(end - i, padding);
                    i += n;
                    offset += n;
                    padding -= n;
                    if (padding == 0) state = State.HEADER;
                }
                case END -> {
                    offset += end - i; // the end-of-archive blocks and any padding after them
                    i = end;
                }
            }
        }
    }

    private void header() throws IOException {
        entryStart = offset - TarFields.BLOCK;
        if (TarFields.isZero(header)) {
            state = State.END;
            return;
        }
        if (!TarFields.checksumOk(header)) throw invalid("bad tar header checksum at byte " + entryStart);
        byte type = header[156];
        long size = TarFields.number(header, 124, 12, what, entryStart);
        boolean ext = type == 'x' || type == 'L' || type == 'K' || type == 'g';
        if (!ext && pax.containsKey("size")) size = TarFields.paxSize(pax.get("size"), what);
        if (size < 0) throw invalid("negative entry size at byte " + entryStart);
        padding = TarFields.round(size) - size;
        remaining = size;
        if (ext) {
            if (size > MAX_EXTENSION) throw invalid("extended header at byte " + entryStart + " is larger than 1 MiB");
            extensionType = type;
            extension = new ByteArrayOutputStream((int) size);
            state = State.EXTENSION;
        } else {
            String raw = pax.containsKey("path") ? pax.get("path") : longName != null ? longName : TarFields.headerName(header);
            longName = null;
            pax = Map.of();
            boolean regular = type == '0' || type == 0 || type == '7';
            String name = raw;
            while (name.startsWith("./")) name = name.substring(2);
            current = regular ? members.open(name, size) : null;
            if (!regular) members.other(name, type);
            state = State.DATA;
        }
        if (remaining == 0) endOfData();
    }

    private void endOfData() throws IOException {
        if (state == State.EXTENSION) {
            byte[] ext = extension.toByteArray();
            extension = null;
            if (extensionType == 'x') pax = TarFields.parsePax(ext, what, entryStart);
            else if (extensionType == 'L') longName = TarFields.cString(ext, 0, ext.length);
        } else if (current != null) {
            Member m = current;
            current = null;
            m.close();
        }
        state = padding > 0 ? State.PADDING : State.HEADER;
    }

    /** The tar must have ended between entries (with or without its end-of-archive blocks). */
    @Override
    public void finish() throws IOException {
        if (state == State.DATA || state == State.EXTENSION || state == State.PADDING || headerFill != 0) {
            throw invalid("truncated tar: it ends inside the entry at byte " + entryStart);
        }
    }

    private ContentException invalid(String why) {
        return new ContentException(ContentException.Kind.INVALID, what + ": " + why);
    }

    /** What a tar entry of {@code type} (the typeflag byte) is, for messages: "a symbolic link", "a FIFO", ... */
    public static String kind(byte type) {
        return switch (type) {
            case '1' -> "a hard link";
            case '2' -> "a symbolic link";
            case '3' -> "a character device";
            case '4' -> "a block device";
            case '6' -> "a FIFO";
            case 'S' -> "a sparse file";
            default -> "of unsupported type '" + dev.modelreg.spec.Text.printable(String.valueOf((char) (type & 0xff))) + "'";
        };
    }
}
