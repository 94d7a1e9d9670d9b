package dev.modelreg.consumer;

import dev.modelreg.content.BlobSink;
import dev.modelreg.content.ContentException;
import dev.modelreg.content.DigestingOutputStream;
import dev.modelreg.content.TarStream;
import dev.modelreg.content.VerifyingInputStream;
import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Tar layers (the small files of a model group) are stored whole in the blob cache, by their layer digest, and files
 * are written out of them. {@link #sink} is what a copy gives the layer's download: the tar is parsed in the same
 * pass that streams the layer into the cache, every member the registry lists is checked against its models.toml
 * hash, and the wanted members are written to their destinations; the copy renames the layer into the cache only
 * when all of that passed. {@link #extract} feeds a layer cached earlier through the same sink.
 */
final class TarLayers {
    private TarLayers() {}

    /**
     * A sink that writes the members named in {@code dests} (member -> file; created or truncated) and checks every
     * member of {@code hashes} (at least those of {@code dests}) against its hash. At its end it fails if a wanted
     * member was not in the tar, else hands {@code done} the bytes written to {@code dests}.
     */
    static BlobSink sink(Map<String, Digest> hashes, Map<String, Path> dests, LongConsumer done, String what) {
        Set<String> seen = new HashSet<>();
        AtomicLong written = new AtomicLong();
        TarStream tar = new TarStream((name, size) -> {
            Digest want = hashes.get(name);
            if (want == null || !seen.add(name)) return null; // not a registry file, or a later duplicate: never used
            Path dest = dests.get(name);
            OutputStream file = dest == null ? OutputStream.nullOutputStream()
                    : Files.newOutputStream(dest, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            DigestingOutputStream out = new DigestingOutputStream(file);
            return new TarStream.Member() {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    out.close();
                    Digest got = out.digest();
                    if (!got.equals(want)) {
                        throw VerifyingInputStream.mismatch("file '" + name + "' in " + what, want, got, out.count());
                    }
                    if (dest != null) written.addAndGet(out.count());
                }
            };
        }, what);
        return new BlobSink() {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                tar.write(b, off, len);
            }

            @Override
            public void finish() throws IOException {
                tar.finish();
                for (String k : dests.keySet()) {
                    if (!seen.contains(k)) throw new ContentException(ContentException.Kind.INVALID, what + ": does not contain file '" + k + "'");
                }
                done.accept(written.get());
            }
        };
    }

    /** Writes the members named in {@code dests} out of the cached layer {@code tar}, each checked against {@code hashes}. */
    static long extract(Path tar, Map<String, Digest> hashes, Map<String, Path> dests, String what) throws IOException {
        AtomicLong written = new AtomicLong();
        BlobSink sink = sink(hashes, dests, written::addAndGet, what);
        try (InputStream in = Files.newInputStream(tar)) {
            byte[] buf = new byte[64 << 10];
            for (int n; (n = in.read(buf)) >= 0; ) if (n > 0) sink.write(buf, 0, n);
        }
        sink.finish();
        return written.get();
    }
}
