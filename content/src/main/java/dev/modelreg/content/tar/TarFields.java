package dev.modelreg.content.tar;

import dev.modelreg.content.ContentException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading tar header fields: shared by {@link ArchiveTar} (archives read in place) and {@link TarStream} (layers as they stream). */
final class TarFields {
    private TarFields() {}

    static final int BLOCK = 512;

    static String headerName(byte[] h) {
        String name = cString(h, 0, 100);
        boolean ustar = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r' && h[262] == 0;
        if (ustar && h[345] != 0) return cString(h, 345, 155) + "/" + name;
        return name;
    }

    static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) end++;
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    static long number(byte[] h, int off, int len, String what, long pos) throws ContentException {
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

    static boolean checksumOk(byte[] h) {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        long want = 0;
        int i = 148;
        while (i < 156 && (h[i] == ' ' || h[i] == 0)) i++;
        for (; i < 156 && h[i] >= '0' && h[i] <= '7'; i++) want = (want << 3) | (h[i] - '0');
        return sum == want;
    }

    static Map<String, String> parsePax(byte[] b, String what, long pos) throws ContentException {
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
            if (len <= sp - i + 1 || len > b.length - i || b[i + len - 1] != '\n') { // (i + len could overflow)
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

    static long paxSize(String s, String what) throws ContentException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw invalid(what + ": bad PAX size '" + dev.modelreg.spec.Text.printable(s) + "'");
        }
    }

    static boolean isZero(byte[] h) {
        for (byte b : h) if (b != 0) return false;
        return true;
    }

    static long round(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static ContentException invalid(String message) {
        return new ContentException(ContentException.Kind.INVALID, message);
    }
}
