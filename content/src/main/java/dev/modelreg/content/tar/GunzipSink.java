package dev.modelreg.content.tar;

import dev.modelreg.content.BlobSink;
import dev.modelreg.content.ContentException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Gunzips a blob as its bytes go by (push style, like {@link TarStream}) into another sink: how a compressed image
 * layer is extracted in the same pass that downloads and verifies it. RFC 1952 members (one or more, concatenated);
 * each member's CRC-32 and length are checked. The output is bounded: more than {@code maxOutput} bytes, a damaged
 * stream, a truncated one or bytes after the last member that do not start another fail with INVALID naming
 * {@code what}.
 */
public final class GunzipSink implements BlobSink {
    private static final int MAX_HEADER = 64 << 10;

    private enum State { HEADER, BODY, TRAILER, BETWEEN }

    private final BlobSink out;
    private final long maxOutput;
    private final String what;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] buf = new byte[64 << 10];
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private State state = State.HEADER;
    private long memberOut;
    private long total;

    public GunzipSink(BlobSink out, long maxOutput, String what) {
        this.out = out;
        this.maxOutput = maxOutput;
        this.what = what;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int i = off;
        int end = off + len;
        while (i < end) {
            switch (state) {
                case BETWEEN, HEADER -> {
                    state = State.HEADER;
                    pending.write(b[i++]);
                    int h = headerLength(pending.toByteArray());
                    if (h > 0) {
                        pending.reset();
                        inflater.reset();
                        crc.reset();
                        memberOut = 0;
                        state = State.BODY;
                    } else if (pending.size() > MAX_HEADER) {
                        throw invalid("a gzip header over " + MAX_HEADER + " bytes");
                    }
                }
                case BODY -> {
                    inflater.setInput(b, i, end - i);
                    inflate();
                    int left = inflater.getRemaining();
                    i = end - left;
                    if (inflater.finished()) state = State.TRAILER;
                    else if (left > 0) throw invalid("the deflate stream stopped early");
                }
                case TRAILER -> {
                    pending.write(b[i++]);
                    if (pending.size() == 8) {
                        byte[] t = pending.toByteArray();
                        pending.reset();
                        long wantCrc = le32(t, 0);
                        long wantSize = le32(t, 4);
                        if (wantCrc != crc.getValue() || wantSize != (memberOut & 0xffffffffL)) {
                            throw invalid("gzip CRC-32 or length does not match the content");
                        }
                        state = State.BETWEEN;
                    }
                }
            }
        }
    }

    private void inflate() throws IOException {
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n > 0) {
                    total += n;
                    memberOut += n;
                    if (total > maxOutput) throw invalid("expands past " + maxOutput + " bytes, the limit");
                    crc.update(buf, 0, n);
                    out.write(buf, 0, n);
                } else if (inflater.needsInput()) {
                    return;
                } else if (inflater.needsDictionary()) {
                    throw invalid("the deflate stream needs a preset dictionary");
                }
            }
        } catch (DataFormatException e) {
            throw invalid("damaged deflate data (" + e.getMessage() + ")");
        }
    }

    @Override
    public void finish() throws IOException {
        if (state != State.BETWEEN) {
            throw invalid(state == State.HEADER && total == 0 && pending.size() == 0 ? "no gzip data" : "the gzip stream is truncated");
        }
        inflater.end();
        out.finish();
    }

    /** The length of the gzip member header at the start of {@code h}, or 0 if more bytes are needed. */
    private int headerLength(byte[] h) throws ContentException {
        if (h.length >= 1 && (h[0] & 0xff) != 0x1f || h.length >= 2 && (h[1] & 0xff) != 0x8b) {
            throw invalid(total == 0 ? "not gzip data" : "bytes after the last gzip member");
        }
        if (h.length >= 3 && h[2] != 8) throw invalid("gzip compression method " + h[2] + " (want deflate, 8)");
        if (h.length < 10) return 0;
        int flags = h[3] & 0xff;
        if ((flags & 0xe0) != 0) throw invalid("reserved gzip header flags set");
        int p = 10;
        if ((flags & 4) != 0) { // FEXTRA
            if (h.length < p + 2) return 0;
            p += 2 + ((h[p] & 0xff) | (h[p + 1] & 0xff) << 8);
        }
        for (int flag : new int[] {8, 16}) { // FNAME, FCOMMENT: zero-terminated
            if ((flags & flag) == 0) continue;
            while (p < h.length && h[p] != 0) p++;
            if (p >= h.length) return 0;
            p++;
        }
        if ((flags & 2) != 0) p += 2; // FHCRC
        return h.length >= p ? p : 0;
    }

    private static long le32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    private ContentException invalid(String why) {
        return new ContentException(ContentException.Kind.INVALID, what + ": " + why);
    }
}
