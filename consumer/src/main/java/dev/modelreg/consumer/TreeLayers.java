package dev.modelreg.consumer;

import dev.modelreg.content.BlobSink;
import dev.modelreg.content.ContentException;
import dev.modelreg.content.tar.GunzipSink;
import dev.modelreg.content.fs.SafeFiles;
import dev.modelreg.content.tar.TarStream;
import dev.modelreg.content.VerifyingInputStream;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.ForeignArtifact;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.Text;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The tar layers of a foreign artifact (spec/README.md 3.12), read in the pass that downloads them (or from the
 * cache): a layer at path P holds the file P or the directory P, so each member must be P or below it (directory entries
 * above P, which KitOps writes, are passed over); it is written at its name, below the destination of P. The rules of modelreg's own tars hold: regular files and directories only
 * (no links, devices or FIFOs), no absolute name, no empty, {@code .} or {@code ..} segment, no NUL, no name twice, at
 * most {@link Limits#MAX_TAR_MEMBERS} entries; a compressed layer expands at most to
 * {@link Limits#UNSIZED_EXPANSION_FLOOR} + {@link Limits#UNSIZED_EXPANSION_RATIO} times its size (never more than
 * {@link Limits#MAX_LAYER_EXPANDED_BYTES}), and its tar must hash to the diffId the artifact gives. Anything else fails
 * the layer before it enters the cache.
 */
final class TreeLayers {
    private TreeLayers() {}

    /**
     * The bytes a tar layer of {@code compressed} bytes may expand to: what models.toml cannot bound here (a foreign
     * layer's files have no sizes) gets the allowance of files without a size (3.11).
     */
    static long bound(long compressed) {
        long ratio = compressed > Limits.MAX_LAYER_EXPANDED_BYTES / Limits.UNSIZED_EXPANSION_RATIO
                ? Limits.MAX_LAYER_EXPANDED_BYTES : compressed * Limits.UNSIZED_EXPANSION_RATIO;
        return Math.min(Limits.MAX_LAYER_EXPANDED_BYTES, Limits.UNSIZED_EXPANSION_FLOOR + ratio);
    }

    /**
     * {@code tar} behind what the layer's packing needs: gunzipped or zstd-decoded (bounded by {@link #bound}) and, when {@code diffId}
     * is given, hashed, the digest checked at the end (DIGEST_MISMATCH naming the layer and its diffId).
     */
    static BlobSink unpacked(ForeignArtifact.Layer layer, BlobSink tar, String what) {
        BlobSink checked = layer.diffId() == null ? tar : diffIdChecked(tar, layer.diffId(), what);
        return switch (layer.packing()) {
            case TAR -> checked;
            case TAR_GZIP -> new GunzipSink(checked, bound(layer.descriptor().size()), what);
            case TAR_ZSTD -> new ZstdSink(checked, bound(layer.descriptor().size()), what);
            case RAW -> throw new IllegalArgumentException("layer " + layer.index() + " is raw, not a tar");
        };
    }

    private static BlobSink diffIdChecked(BlobSink tar, Digest diffId, String what) {
        MessageDigest md = diffId.newHasher();
        AtomicLong n = new AtomicLong();
        return new BlobSink() {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                md.update(b, off, len);
                n.addAndGet(len);
                tar.write(b, off, len);
            }

            @Override
            public void finish() throws IOException {
                Digest got = diffId.sameAlgorithm(md);
                if (!got.equals(diffId)) throw VerifyingInputStream.mismatch("the tar (diffId) of " + what, diffId, got, n.get());
                tar.finish();
            }
        };
    }

    /**
     * The tar side: every member below one of {@code dests}' paths (path -> where it goes: the file, or the directory
     * its members go below), written there; at the end each path must have had a member, and {@code done} gets the
     * bytes written.
     */
    static BlobSink sink(Map<String, Path> dests, LongConsumer done, String what) {
        Set<String> names = new HashSet<>();
        Set<String> seen = new HashSet<>();
        AtomicLong written = new AtomicLong();
        AtomicLong entries = new AtomicLong();
        TarStream tar = new TarStream(new TarStream.Members() {
            @Override
            public TarStream.Member open(String name, long size) throws IOException {
                Path out = place(name, dests, names, seen, entries, what);
                if (!out.equals(dests.get(pathOf(name, dests)))) SafeFiles.directories(dests.get(pathOf(name, dests)), out.getParent());
                OutputStream file = SafeFiles.newOutputStream(out);
                return new TarStream.Member() {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        file.write(b, off, len);
                        written.addAndGet(len);
                    }

                    @Override
                    public void close() throws IOException {
                        file.close();
                    }
                };
            }

            @Override
            public void other(String name, byte type) throws IOException {
                if (type != '5') {
                    throw invalid(what + ": tar entry '" + Text.printable(name) + "' is " + TarStream.kind(type)
                            + " (a layer holds regular files and directories only)");
                }
                String dir = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
                if (dests.keySet().stream().anyMatch(p -> p.startsWith(dir + "/"))) { // a directory above the path: there
                    checked(dir, names, entries, what);
                    return;
                }
                Path out = place(dir, dests, names, seen, entries, what);
                SafeFiles.directories(dests.get(pathOf(dir, dests)), out);
            }
        }, what);
        return TarLayers.ending(tar, dests.keySet(), seen,
                p -> what + ": holds nothing at its path '" + Text.printable(p) + "'", done, written);
    }

    /** Where the member {@code name} goes, after every check; refused in one line naming the layer. */
    private static Path place(String name, Map<String, Path> dests, Set<String> names, Set<String> seen,
                              AtomicLong entries, String what) throws ContentException {
        checked(name, names, entries, what);
        String path = pathOf(name, dests);
        if (path == null) {
            throw invalid(what + ": tar entry '" + Text.printable(name) + "' is outside the layer's path"
                    + (dests.size() == 1 ? " '" + Text.printable(dests.keySet().iterator().next()) + "'" : "s"));
        }
        seen.add(path);
        return name.equals(path) ? dests.get(path) : dests.get(path).resolve(name.substring(path.length() + 1));
    }

    /** An entry within the count ({@link TarLayers#check}), with a plain relative name, not seen before; else refused. */
    private static void checked(String name, Set<String> names, AtomicLong entries, String what) throws ContentException {
        TarLayers.check(name, entries, what);
        for (String seg : name.split("[/\\\\]", -1)) {
            if (seg.isEmpty() || seg.equals(".")) {
                throw invalid(what + ": tar entry '" + Text.printable(name) + "' is not a plain path ('.' or an empty segment)");
            }
        }
        if (!names.add(name)) throw invalid(what + ": tar entry '" + Text.printable(name) + "' occurs twice");
    }

    /** The path of {@code dests} that {@code name} is, or is below; null if none. */
    private static String pathOf(String name, Map<String, Path> dests) {
        for (String p : dests.keySet()) {
            if (name.equals(p) || (name.length() > p.length() && name.startsWith(p) && name.charAt(p.length()) == '/')) return p;
        }
        return null;
    }

    private static ContentException invalid(String message) {
        return new ContentException(ContentException.Kind.INVALID, message);
    }
}
