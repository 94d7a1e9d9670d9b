package dev.modelreg.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Mutations of tar files for fuzzing, written independently of modelreg's tar code: blind ones (bit flips, random
 * bytes, truncation, garbage) and ones that know the format, with the header checksum recomputed so the reader gets
 * past it: hostile sizes (huge octal, base-256, negative), other type flags (links, devices, FIFOs, sparse, extended
 * headers), unsafe names ({@code ../x}, absolute, empty, NUL, an existing name again), PAX and GNU long-name headers
 * (also malformed ones), duplicated, dropped or inserted entries, lost end blocks.
 */
public final class TarMutator {
    private TarMutator() {}

    public static final int BLOCK = 512;
    private static final String[] NAMES = {"../x", "../../etc/passwd", "a/../../x", "/abs", "/etc/passwd", "\\\\server\\x",
            "C:/x", "", ".", "./", "..", "a/./b", "a//b", "./../x", "nul\0byte", "x".repeat(100), "dir/", "é/模型",
            "a\nb", "\u202e"};
    private static final byte[] TYPES = {'0', 0, '1', '2', '3', '4', '5', '6', '7', 'S', 'x', 'g', 'L', 'K', 'V', 'M', 'D', 'Z', (byte) 0xff};
    private static final String[] PAX_RECORDS = {"path=../x", "path=/abs", "path=", "path=a/../../b", "size=0", "size=1",
            "size=-1", "size=abc", "size=9223372036854775807", "size=99999999999999999999", "size=4294967296",
            "linkpath=/etc", "mtime=1.5", "=novalue", "noequals", "path=nul\0byte", "GNU.sparse.size=1", "path=a\nb",
            "size=1\n2", "path=\u001b[2J"};

    /** The offsets of the entry headers of {@code tar} (up to the end blocks), read with the octal/base-256 size. */
    public static List<Integer> headers(byte[] tar) {
        List<Integer> out = new ArrayList<>();
        long pos = 0;
        while (pos + BLOCK <= tar.length) {
            int p = (int) pos;
            boolean zero = true;
            for (int i = p; i < p + BLOCK && zero; i++) zero = tar[i] == 0;
            if (zero) break;
            out.add(p);
            long size = size(tar, p);
            if (size < 0 || size > tar.length) break;
            pos += BLOCK + (size + BLOCK - 1) / BLOCK * BLOCK;
        }
        return out;
    }

    /** One to three mutations of {@code tar}. */
    public static byte[] mutate(byte[] tar, Random rnd) {
        byte[] t = tar;
        for (int n = 1 + rnd.nextInt(3); n > 0; n--) t = mutateOnce(t, rnd);
        return t;
    }

    public static byte[] mutateOnce(byte[] tar, Random rnd) {
        List<Integer> hs = headers(tar);
        int h = hs.isEmpty() ? 0 : hs.get(rnd.nextInt(hs.size()));
        byte[] t = tar.clone();
        switch (rnd.nextInt(16)) {
            case 0 -> { // a bit flipped anywhere (a header's checksum then mostly fails)
                if (t.length > 0) t[rnd.nextInt(t.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
            case 1 -> { // a header byte changed, checksum fixed
                if (hs.isEmpty()) return t;
                t[h + rnd.nextInt(BLOCK)] = (byte) rnd.nextInt(256);
                checksum(t, h);
            }
            case 2 -> { // a hostile size, checksum fixed
                if (hs.isEmpty()) return t;
                setSize(t, h, rnd);
                checksum(t, h);
            }
            case 3 -> { // another type flag, checksum fixed
                if (hs.isEmpty()) return t;
                t[h + 156] = TYPES[rnd.nextInt(TYPES.length)];
                if (rnd.nextBoolean()) put(t, h + 157, 100, NAMES[rnd.nextInt(NAMES.length)]); // a link target
                checksum(t, h);
            }
            case 4 -> { // an unsafe or repeated name, checksum fixed
                if (hs.isEmpty()) return t;
                String name = rnd.nextInt(3) == 0 && hs.size() > 1 ? name(t, hs.get(rnd.nextInt(hs.size()))) : NAMES[rnd.nextInt(NAMES.length)];
                put(t, h, 100, name);
                if (rnd.nextBoolean()) put(t, h + 345, 155, rnd.nextBoolean() ? "" : NAMES[rnd.nextInt(NAMES.length)]);
                checksum(t, h);
            }
            case 5 -> { // a PAX header inserted before an entry
                return splice(t, h, h, pax(rnd, hs.size() > 0 ? name(t, hs.get(rnd.nextInt(hs.size()))) : "x"));
            }
            case 6 -> { // a GNU long name inserted before an entry
                String name = rnd.nextBoolean() ? NAMES[rnd.nextInt(NAMES.length)] : "long/".repeat(1 + rnd.nextInt(200)) + "f";
                return splice(t, h, h, extension('L', (name + "\0").getBytes(StandardCharsets.UTF_8)));
            }
            case 7 -> { // an entry duplicated (the same name twice), maybe with other bytes
                if (hs.isEmpty()) return t;
                int end = entryEnd(t, hs, h);
                byte[] copy = Arrays.copyOfRange(t, h, end);
                if (rnd.nextBoolean() && copy.length > BLOCK) copy[BLOCK + rnd.nextInt(copy.length - BLOCK)] ^= 1;
                return splice(t, end, end, copy);
            }
            case 8 -> { // an entry dropped
                if (hs.isEmpty()) return t;
                return splice(t, h, entryEnd(t, hs, h), new byte[0]);
            }
            case 9 -> { // a new entry: a link, device, FIFO, directory or file, named like an existing one or unsafely
                String name = rnd.nextBoolean() && !hs.isEmpty() ? name(t, h) : NAMES[rnd.nextInt(NAMES.length)];
                byte type = TYPES[rnd.nextInt(TYPES.length)];
                byte[] data = new byte[rnd.nextInt(3) == 0 ? rnd.nextInt(1500) : 0];
                rnd.nextBytes(data);
                return splice(t, h, h, entry(name, type, data, NAMES[rnd.nextInt(NAMES.length)]));
            }
            case 10 -> { // truncated anywhere
                return Arrays.copyOf(t, rnd.nextInt(t.length + 1));
            }
            case 11 -> { // truncated at a block boundary (e.g. the end blocks lost)
                return Arrays.copyOf(t, rnd.nextInt(t.length / BLOCK + 1) * BLOCK);
            }
            case 12 -> { // garbage appended, or a run of random bytes written over
                byte[] g = new byte[1 + rnd.nextInt(rnd.nextBoolean() ? 16 : 1024)];
                rnd.nextBytes(g);
                if (rnd.nextBoolean()) return splice(t, t.length, t.length, g);
                int at = rnd.nextInt(t.length + 1);
                return splice(t, at, Math.min(t.length, at + g.length), g);
            }
            case 13 -> { // the checksum field itself
                if (hs.isEmpty()) return t;
                put(t, h + 148, 8, rnd.nextBoolean() ? "" : Long.toOctalString(rnd.nextInt(1 << 18)) + (rnd.nextBoolean() ? " " : "\0"));
            }
            case 14 -> { // the magic and version (ustar, GNU, v7)
                if (hs.isEmpty()) return t;
                String[] magic = {"ustar\00000", "ustar  \0", "", "ustaR\00000"};
                put(t, h + 257, 8, magic[rnd.nextInt(magic.length)]);
                checksum(t, h);
            }
            default -> { // bytes of an entry's data changed
                if (hs.isEmpty() || t.length <= h + BLOCK) return t;
                t[h + BLOCK + rnd.nextInt(Math.min(t.length - h - BLOCK, BLOCK))] ^= (byte) (1 + rnd.nextInt(255));
            }
        }
        return t;
    }

    /** A PAX extended header ('x') entry: a few records, some malformed (bad lengths, lengths that overflow an int). */
    static byte[] pax(Random rnd, String existingName) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int n = 1 + rnd.nextInt(3); n > 0; n--) {
            String rec = rnd.nextInt(4) == 0 ? "path=" + existingName : PAX_RECORDS[rnd.nextInt(PAX_RECORDS.length)];
            byte[] r = (" " + rec + "\n").getBytes(StandardCharsets.UTF_8);
            int len = r.length + String.valueOf(r.length).length();
            if (String.valueOf(len).length() != String.valueOf(r.length).length()) len++;
            String lenText = switch (rnd.nextInt(8)) {
                case 0 -> String.valueOf(len + rnd.nextInt(5) - 2);
                case 1 -> String.valueOf(Integer.MAX_VALUE - rnd.nextInt(3));
                case 2 -> rnd.nextBoolean() ? "-" + len : "x";
                default -> String.valueOf(len);
            };
            b.writeBytes(lenText.getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(r);
        }
        return extension('x', b.toByteArray());
    }

    /** An extension entry ('x', 'L', ...) holding {@code data}. */
    public static byte[] extension(char type, byte[] data) {
        return entry(type == 'L' ? "././@LongLink" : "PaxHeaders/x", (byte) type, data, "");
    }

    /** One entry: a ustar header (checksum set) and the data padded to a block. */
    public static byte[] entry(String name, byte type, byte[] data, String link) {
        byte[] e = new byte[BLOCK + (data.length + BLOCK - 1) / BLOCK * BLOCK];
        put(e, 0, 100, name);
        put(e, 100, 8, "0000644");
        put(e, 108, 8, "0000000");
        put(e, 116, 8, "0000000");
        put(e, 124, 12, String.format("%011o", data.length));
        put(e, 136, 12, "00000000000");
        e[156] = type;
        put(e, 157, 100, link);
        put(e, 257, 8, "ustar\00000");
        System.arraycopy(data, 0, e, BLOCK, data.length);
        checksum(e, 0);
        return e;
    }

    /** Recomputes the checksum of the header at {@code h}. */
    public static void checksum(byte[] t, int h) {
        Arrays.fill(t, h + 148, h + 156, (byte) ' ');
        long sum = 0;
        for (int i = h; i < h + BLOCK; i++) sum += t[i] & 0xff;
        byte[] s = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, t, h + 148, 8);
    }

    private static void setSize(byte[] t, int h, Random rnd) {
        switch (rnd.nextInt(7)) {
            case 0 -> put(t, h + 124, 12, "77777777777"); // 8 GiB - 1, far past the end
            case 1 -> put(t, h + 124, 12, String.format("%011o", rnd.nextInt(4096)));
            case 2 -> { // base-256, huge
                t[h + 124] = (byte) 0x80;
                for (int i = 1; i < 12; i++) t[h + 124 + i] = (byte) (i < 4 ? 0 : 0xff);
                if (rnd.nextBoolean()) t[h + 125] = 0x7f; // past 2^63
            }
            case 3 -> { // base-256, negative (two's complement)
                Arrays.fill(t, h + 124, h + 136, (byte) 0xff);
            }
            case 4 -> { // base-256, just past the data: the next header lands inside
                long v = rnd.nextInt(1 << 20);
                t[h + 124] = (byte) 0x80;
                for (int i = 0; i < 11; i++) t[h + 135 - i] = (byte) (v >>> (8 * i));
            }
            case 5 -> put(t, h + 124, 12, "9z"); // not octal
            default -> { // base-256 near Long.MAX_VALUE: offsets that overflow when added
                t[h + 124] = (byte) 0x80;
                Arrays.fill(t, h + 125, h + 128, (byte) 0);
                t[h + 128] = 0x7f;
                Arrays.fill(t, h + 129, h + 136, (byte) 0xff);
            }
        }
    }

    private static long size(byte[] t, int h) {
        if ((t[h + 124] & 0x80) != 0) {
            long v = 0;
            for (int i = h + 125; i < h + 136; i++) v = (v << 8) | (t[i] & 0xff);
            return v;
        }
        long v = 0;
        for (int i = h + 124; i < h + 136 && t[i] >= '0' && t[i] <= '7'; i++) v = (v << 3) | (t[i] - '0');
        return v;
    }

    private static String name(byte[] t, int h) {
        int end = h;
        while (end < h + 100 && t[end] != 0) end++;
        return new String(t, h, end - h, StandardCharsets.UTF_8);
    }

    private static int entryEnd(byte[] t, List<Integer> hs, int h) {
        int i = hs.indexOf(h);
        if (i + 1 < hs.size()) return hs.get(i + 1);
        long end = h + BLOCK + (Math.max(0, size(t, h)) + BLOCK - 1) / BLOCK * BLOCK;
        return (int) Math.min(t.length, Math.max(h + BLOCK, end));
    }

    /** {@code text} as UTF-8 into the field (NUL padded, cut to the field). */
    private static void put(byte[] t, int off, int len, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        Arrays.fill(t, off, off + len, (byte) 0);
        System.arraycopy(b, 0, t, off, Math.min(len, b.length));
    }

    public static byte[] splice(byte[] b, int from, int to, byte[] with) {
        byte[] out = new byte[b.length - (to - from) + with.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(with, 0, out, from, with.length);
        System.arraycopy(b, to, out, from + with.length, b.length - to);
        return out;
    }
}
