package dev.modelreg.consumer;

import dev.modelreg.content.BlobSink;
import dev.modelreg.content.ContentException;
import dev.modelreg.content.DigestingOutputStream;
import dev.modelreg.content.fs.SafeFiles;
import dev.modelreg.content.tar.TarStream;
import dev.modelreg.content.VerifyingInputStream;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.Text;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * Tar layers (the small files of a model group) are stored whole in the blob cache, by their layer digest, and files
 * are written out of them. {@link #sink} is what a copy gives the layer's download: the tar is parsed in the same
 * pass that streams the layer into the cache, every member the registry lists is checked against its models.toml
 * size (at its header, before its bytes) and hash, and the wanted members are written to their destinations; a
 * member the layer does not serve is skipped unread; the copy renames the layer into the cache only
 * when all of that passed. {@link #extract} feeds a layer cached earlier through the same sink.
 */
final class TarLayers {
    private TarLayers() {}

    /**
     * A sink that writes the members named in {@code dests} (member -> file; created or truncated) and checks every
     * member of {@code hashes} (at least those of {@code dests}) against its size, if it has one, before reading it, and
     * against its hash. At its end it fails if a wanted
     * member was not in the tar, else hands {@code done} the bytes written to {@code dests}. A tar layer holds regular
     * files (and, tolerated, directories) with relative names, each once: any other entry, an absolute name, a '..'
     * segment, a name twice or more than {@link Limits#MAX_TAR_MEMBERS} entries fails the layer (INVALID, one line).
     */
    static BlobSink sink(Map<String, FileEntry> hashes, Map<String, Path> dests, LongConsumer done, String what) {
        Set<String> seen = new HashSet<>();
        Set<String> names = new HashSet<>();
        AtomicLong written = new AtomicLong();
        AtomicLong entries = new AtomicLong();
        TarStream tar = new TarStream(new TarStream.Members() {
            @Override
            public TarStream.Member open(String name, long size) throws IOException {
                check(name, entries, what);
                if (!names.add(name)) throw invalid(what + ": tar entry '" + Text.printable(name) + "' occurs twice");
                FileEntry want = hashes.get(name);
                if (want == null) return null; // not a registry file this layer serves: never used, never read
                if (want.size() != null && want.size() != size) {
                    throw VerifyingInputStream.sizeMismatch("file '" + Text.printable(name) + "' in " + what, want.size(), size);
                }
                seen.add(name);
                return member(name, want.hash(), dests.get(name), written, what);
            }

            @Override
            public void other(String name, byte type) throws IOException {
                check(type == '5' && name.isEmpty() ? "." : name, entries, what); // "./" is the layer's root
                if (type != '5') {
                    throw invalid(what + ": tar entry '" + Text.printable(name) + "' is " + TarStream.kind(type)
                            + " (a tar layer holds regular files only)");
                }
            }
        }, what);
        return ending(tar, dests.keySet(), seen, k -> what + ": does not contain file '" + k + "'", done, written);
    }

    /**
     * {@code tar} as a sink: at its end each of {@code wanted} must be in {@code seen} (else INVALID, the line
     * {@code missing} makes of it), then {@code done} gets {@code written}.
     */
    static BlobSink ending(TarStream tar, Set<String> wanted, Set<String> seen, Function<String, String> missing,
                           LongConsumer done, AtomicLong written) {
        return new BlobSink() {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                tar.write(b, off, len);
            }

            @Override
            public void finish() throws IOException {
                tar.finish();
                for (String k : wanted) {
                    if (!seen.contains(k)) throw invalid(missing.apply(k));
                }
                done.accept(written.get());
            }
        };
    }

    /** An entry of a tar layer: within {@link Limits#MAX_TAR_MEMBERS}, and a relative path that stays inside. */
    static void check(String name, AtomicLong entries, String what) throws ContentException {
        if (entries.incrementAndGet() > Limits.MAX_TAR_MEMBERS) {
            throw invalid(what + ": more than " + Limits.MAX_TAR_MEMBERS + " tar entries, the limit");
        }
        if (name.isEmpty() || name.startsWith("/") || name.startsWith("\\")
                || (name.length() > 1 && name.charAt(1) == ':' && Character.isLetter(name.charAt(0)))
                || name.indexOf('\0') >= 0) {
            throw invalid(what + ": tar entry '" + Text.printable(name) + "' has an absolute or empty path");
        }
        for (int start = 0, end; start <= name.length(); start = end + 1) { // no regex: called per member
            end = start;
            while (end < name.length() && name.charAt(end) != '/' && name.charAt(end) != '\\') end++;
            if (end - start == 2 && name.startsWith("..", start)) {
                throw invalid(what + ": tar entry '" + Text.printable(name) + "' leaves the layer ('..' in its path)");
            }
        }
    }


    private static ContentException invalid(String message) {
        return new ContentException(ContentException.Kind.INVALID, message);
    }

    /** Writes one wanted member to {@code dest} (null: only checked), hashing it; at its end it must match {@code want}. */
    private static TarStream.Member member(String name, Digest want, Path dest, AtomicLong written, String what)
            throws IOException {
        OutputStream file = dest == null ? OutputStream.nullOutputStream()
                : SafeFiles.newOutputStream(dest);
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
    }

    /** Writes the members named in {@code dests} out of the cached layer {@code tar}, each checked against {@code hashes}. */
    static long extract(Path tar, Map<String, FileEntry> hashes, Map<String, Path> dests, String what) throws IOException {
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
