package dev.modelreg.consumer;

import dev.modelreg.content.AtomicFiles;
import dev.modelreg.content.ContentException;
import dev.modelreg.content.DigestingOutputStream;
import dev.modelreg.content.Ingest;
import dev.modelreg.content.Streams;
import dev.modelreg.content.VerifyingInputStream;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Tar layers (the small files of a model group) are stored whole in the blob cache, by their layer digest, and files
 * are written out of them. {@link #ingest} streams a layer from its source once: the bytes go to a temp file in the
 * cache's ingest dir (checked against the layer's digest and size) while the tar is parsed in the same pass, every
 * member the registry lists is checked against its models.toml hash, and the wanted members are written to their
 * destinations. Only when all of that passed is the layer renamed into the cache; on any failure nothing enters it.
 * {@link #extract} writes members out of a layer cached earlier, hashing each as it is written.
 */
final class TarLayers {
    private TarLayers() {}

    /**
     * Streams layer {@code raw} into the cache and writes its members named in {@code dests} (member -> file to
     * create). {@code hashes} holds the models.toml hash of every member to check (at least those of {@code dests}).
     * Returns the bytes written to {@code dests}.
     */
    static long ingest(InputStream raw, Descriptor layer, Map<String, Digest> hashes, Map<String, Path> dests,
            Cache cache, String what) throws IOException {
        Path ingestDir = cache.root().resolve("ingest");
        Files.createDirectories(ingestDir);
        Path tmp = AtomicFiles.tempFile(ingestDir, layer.digest().hex().substring(0, 12) + "-", ".partial");
        try {
            long written;
            try (VerifyingInputStream vin = new VerifyingInputStream(raw, layer, what);
                 OutputStream copy = Files.newOutputStream(tmp);
                 TeeInputStream tee = new TeeInputStream(vin, copy)) {
                written = members(new BufferedInputStream(tee, 64 << 10), hashes, dests, what);
                tee.transferTo(OutputStream.nullOutputStream()); // the end-of-archive blocks and padding
                vin.verifyToEnd();
            }
            Path target = cache.blob(layer.digest());
            Files.createDirectories(target.getParent());
            if (Ingest.moveIntoPlace(tmp, target)) cache.verifiedNow(layer.digest());
            return written;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes the members named in {@code dests} out of the cached layer {@code tar}, each checked against {@code hashes}. */
    static long extract(Path tar, Map<String, Digest> hashes, Map<String, Path> dests, String what) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tar), 64 << 10)) {
            return members(in, hashes, dests, what);
        }
    }

    private static long members(InputStream in, Map<String, Digest> hashes, Map<String, Path> dests, String what)
            throws IOException {
        long written = 0;
        Set<String> seen = new HashSet<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            if (!e.isFile()) continue;
            String name = normalize(e.getName());
            Digest want = hashes.get(name);
            if (want == null || !seen.add(name)) continue; // not a registry file, or a later duplicate: never used
            Path dest = dests.get(name);
            Digest got;
            try (OutputStream sink = dest == null ? OutputStream.nullOutputStream()
                    : Files.newOutputStream(dest, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 DigestingOutputStream out = new DigestingOutputStream(sink)) {
                written += Streams.copy(tar, out, e.getSize());
                out.flush();
                got = out.digest();
            }
            if (!got.equals(want)) {
                throw new ContentException(ContentException.Kind.DIGEST_MISMATCH, "file '" + name + "' in "
                        + what + ": hash mismatch: want " + want.hex() + ", got " + got.hex());
            }
        }
        for (String k : dests.keySet()) {
            if (!seen.contains(k)) {
                throw new ContentException(ContentException.Kind.INVALID, what + ": does not contain file '" + k + "'");
            }
        }
        return written;
    }

    static String normalize(String name) {
        String n = name;
        while (n.startsWith("./")) n = n.substring(2);
        return n;
    }

    /**
     * Copies every byte read through it to {@code copy}, skipped bytes included (commons-io's TeeInputStream, on the
     * classpath through commons-compress, passes skip() through uncopied: the tar reader skips the entries a layer no
     * longer serves, and the cached layer would lose them).
     */
    private static final class TeeInputStream extends FilterInputStream {
        private final OutputStream copy;

        TeeInputStream(InputStream in, OutputStream copy) {
            super(in);
            this.copy = copy;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) copy.write(b);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) copy.write(b, off, n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, 64 << 10)];
            int r = read(buf, 0, buf.length);
            return Math.max(r, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public void close() throws IOException {
            // the streams are closed by their owners
        }
    }
}
