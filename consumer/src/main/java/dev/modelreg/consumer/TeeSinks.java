package dev.modelreg.consumer;

import dev.modelreg.content.BlobSink;
import dev.modelreg.content.fs.SafeFiles;
import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a downloading single-file blob into its workspace file in the same pass as into the cache, so the file is
 * not copied out of the cache afterwards (one pass over the bytes instead of two; through a capped link the second
 * write hides behind the network). The download's own verification covers the file: a sink is finished only once the
 * whole blob passed and verified, and a failed attempt's file is truncated by the retry's new sink (or removed with
 * the staging directory it lives in). Only the first file of a blob is written here; a blob listed under several
 * keys is copied to the others, and a blob that came from elsewhere (another process stored it) is copied out as
 * before: {@link #wrote} tells which files are done. A failed attempt's stream is not closed here (a sink has no
 * abort); the channel's cleaner closes it.
 */
final class TeeSinks {
    private final Map<Digest, Path> first = new HashMap<>();
    private final Set<Digest> written = ConcurrentHashMap.newKeySet();
    private final AtomicLong bytes;

    /** {@code files}: key -> digest of the blobs about to download; {@code dests}: key -> file (in a staging dir). */
    TeeSinks(Map<String, Digest> files, Map<String, Path> dests, AtomicLong bytes) {
        this.bytes = bytes;
        for (Map.Entry<String, Digest> f : files.entrySet()) {
            Path dest = dests.get(f.getKey());
            if (dest != null) first.putIfAbsent(f.getValue(), dest);
        }
    }

    /** A sink writing blob {@code d} to its first file (a new file, in place of what was there); null when it has none. */
    BlobSink sink(Digest d) {
        Path dest = first.get(d);
        return dest == null ? null : new BlobSink() {
            private OutputStream out;
            private long n;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (out == null) out = SafeFiles.newOutputStream(dest); // a new file: a retry starts over
                out.write(b, off, len);
                n += len;
            }

            @Override
            public void finish() throws IOException {
                if (out == null) out = SafeFiles.newOutputStream(dest); // an empty blob
                out.close();
                written.add(d);
                bytes.addAndGet(n);
            }
        };
    }

    /** True when {@code dest} already holds blob {@code d}, written and verified in the download's pass. */
    boolean wrote(Digest d, Path dest) {
        return written.contains(d) && dest.equals(first.get(d));
    }
}
