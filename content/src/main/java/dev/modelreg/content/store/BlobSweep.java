package dev.modelreg.content.store;

import dev.modelreg.content.fs.Trees;
import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** Lists the blobs of a cache and removes those a prune may remove ({@link BlobCache#prune}). */
final class BlobSweep {
    private BlobSweep() {}

    /** The blobs under {@code blobs}, by digest order; entries that are not blobs go to {@code junk} (may be null). */
    static List<CachedBlob> list(Path blobs, List<Path> junk) throws IOException {
        List<CachedBlob> out = new ArrayList<>();
        if (!Files.isDirectory(blobs, LinkOption.NOFOLLOW_LINKS)) return out;
        try (DirectoryStream<Path> algs = Files.newDirectoryStream(blobs)) {
            for (Path alg : algs) {
                String a = alg.getFileName().toString();
                if (!(a.equals(Digest.SHA256) || a.equals(Digest.SHA512)) || !Files.isDirectory(alg, LinkOption.NOFOLLOW_LINKS)) {
                    if (junk != null) junk.add(alg);
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(alg)) {
                    for (Path f : files) {
                        CachedBlob b = blob(a, f);
                        if (b != null) out.add(b);
                        else if (junk != null && Files.exists(f, LinkOption.NOFOLLOW_LINKS)) junk.add(f);
                    }
                }
            }
        }
        out.sort(java.util.Comparator.comparing(CachedBlob::digest));
        return out;
    }

    /** The blob at {@code f}, or null when it is not one (another name, a link, a directory; or gone). */
    private static CachedBlob blob(String alg, Path f) throws IOException {
        Digest d;
        try {
            d = new Digest(alg, f.getFileName().toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (!a.isRegularFile()) return null;
        return new CachedBlob(d, a.size(), a.lastModifiedTime().toInstant(), links(f) > 1);
    }

    private static int links(Path f) {
        try {
            return Files.getAttribute(f, "unix:nlink", LinkOption.NOFOLLOW_LINKS) instanceof Integer n ? n : 1;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 1;
        }
    }

    /**
     * Of {@code all}, the blobs neither {@code referenced} nor {@code inUse} that {@code eligible} accepts: removed
     * (unless {@code dryRun}) and returned; those only {@code inUse} keeps go to {@code kept}.
     */
    static List<CachedBlob> sweep(BlobDir dir, List<CachedBlob> all, Set<Digest> referenced, Set<Digest> inUse,
                                  Predicate<CachedBlob> eligible, boolean dryRun, List<CachedBlob> kept) throws IOException {
        List<CachedBlob> removed = new ArrayList<>();
        for (CachedBlob b : all) {
            if (referenced.contains(b.digest()) || !eligible.test(b)) continue;
            if (inUse.contains(b.digest())) {
                kept.add(b);
                continue;
            }
            if (!dryRun) Files.deleteIfExists(dir.location(b.digest()));
            removed.add(b);
        }
        return removed;
    }

    /** Removes entries of {@code blobs/} that are not blobs (a link is removed itself, never followed). */
    static void removeJunk(List<Path> junk) throws IOException {
        for (Path p : junk) Trees.delete(p);
    }
}
