package dev.modelreg.consumer;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import dev.modelreg.content.BlobSink;
import dev.modelreg.content.ContentException;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;

/**
 * Decompresses a zstd blob as its bytes go by (push style, like content's {@code GunzipSink}) into another sink: how a
 * foreign {@code tar+zstd} layer is read in the pass that downloads it (spec/README.md 3.12). Frames may follow each
 * other; the decoder's window is zstd's default limit (128 MiB), so a frame asking for more is refused, not allocated.
 * More than {@code maxOutput} bytes out, damaged data, or a stream that ends inside a frame fail with INVALID naming
 * {@code what}. The decoder is zstd-jni (the zstd C library, bundled for the common platforms); its native memory is
 * freed at the end, on a failure, or, for a sink a retried copy dropped half-way, when the sink is collected.
 */
final class ZstdSink implements BlobSink {
    private static final Cleaner CLEANER = Cleaner.create();

    private final BlobSink out;
    private final long maxOutput;
    private final String what;
    private ZstdDecompressCtx ctx;
    private Cleaner.Cleanable cleanable;
    private final ByteBuffer src = ByteBuffer.allocateDirect(128 << 10);
    private final ByteBuffer dst = ByteBuffer.allocateDirect(128 << 10);
    private final byte[] buf = new byte[128 << 10];
    private boolean frameEnded;
    private boolean any;
    private long total;

    ZstdSink(BlobSink out, long maxOutput, String what) {
        this.out = out;
        this.maxOutput = maxOutput;
        this.what = what;
    }

    /** The decoder, made at the first byte (a sink never written to holds no native memory). */
    private ZstdDecompressCtx ctx() throws ContentException {
        if (ctx == null) {
            try {
                ZstdDecompressCtx c = new ZstdDecompressCtx();
                cleanable = CLEANER.register(this, c::close); // c, not this: the sink stays collectable
                ctx = c;
            } catch (LinkageError e) { // no zstd-jni build for this platform
                throw new ContentException(ContentException.Kind.UNAVAILABLE, what + ": is a zstd tar, and the zstd "
                        + "decoder does not load on this platform (" + e + ")");
            }
        }
        return ctx;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        any |= len > 0;
        while (len > 0) {
            int n = Math.min(len, src.remaining());
            src.put(b, off, n);
            off += n;
            len -= n;
            src.flip();
            decode();
            src.compact();
        }
    }

    /**
     * Decodes what {@code src} holds until a call neither reads nor writes: all of it read and nothing left to flush.
     * A call that made progress says whether it ended a frame (and flushed all of it).
     */
    private void decode() throws IOException {
        while (true) {
            int before = src.position();
            boolean ended;
            try {
                ended = ctx().decompressDirectByteBufferStream(dst, src);
            } catch (ZstdException e) {
                close();
                throw invalid("damaged zstd data (" + e.getMessage() + ")");
            }
            dst.flip();
            int n = dst.remaining();
            if (n > 0) {
                total += n;
                if (total > maxOutput) {
                    close();
                    throw invalid("expands past " + maxOutput + " bytes, the limit");
                }
                dst.get(buf, 0, n);
                out.write(buf, 0, n);
            }
            dst.clear();
            if (n == 0 && src.position() == before) {
                if (!src.hasRemaining()) return;
                close();
                throw invalid("the zstd decoder stopped with input left"); // not expected of libzstd
            }
            frameEnded = ended;
        }
    }

    @Override
    public void finish() throws IOException {
        close();
        if (!any) throw invalid("no zstd data");
        if (!frameEnded) throw invalid("the zstd stream is truncated");
        out.finish();
    }

    private void close() {
        if (cleanable != null) cleanable.clean(); // once: closes the decoder
    }

    private ContentException invalid(String message) {
        return new ContentException(ContentException.Kind.INVALID, what + ": " + message);
    }
}
