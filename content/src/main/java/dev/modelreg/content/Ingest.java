package dev.modelreg.content;

import dev.modelreg.content.fs.SafeFiles;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one verified ingest path. Content streams into a file in {@code ingestDir} (same file store as the target)
 * while it is hashed and counted in the same pass (and shown to a {@link BlobSink}, e.g. a tar extractor); it is
 * checked against the expected digest and size; only then is it renamed into place atomically. If the target
 * already exists it is kept (content addressed: same digest, same bytes). Content whose digest is not known in
 * advance goes the same way, to the address of the digest that arrived ({@link Expected#unknown}).
 *
 * <p><b>Resume.</b> A resumable write keeps its partial file under the digest's name
 * ({@code ingest/sha256-HEX.partial}, locked while written) when the transfer fails for any reason but bad content;
 * the next write of that digest asks its source for the rest ({@link RangeFetcher}), replays the partial through
 * the hasher and the sink, and appends. A source that ignores the range starts over; a partial that fails
 * verification is deleted. Leftovers are cleaned by {@link #cleanup}: unlocked temp files at once, partials nobody
 * resumed within a day.
 */
public final class Ingest {
    /** Partials not resumed within this time are removed by {@link #cleanup}. */
    public static final Duration KEEP_PARTIALS = Duration.ofHours(24);
    private static final Set<Path> CLEANED = ConcurrentHashMap.newKeySet();

    private Ingest() {}

    /** Where the bytes come from: the blob from {@code offset} on (or from 0, if the source cannot seek). */
    public interface Source {
        RangeFetcher.Fetched open(long offset) throws IOException;

        /** Bounded ranges of this source for a download over several connections ({@link RangedDownload}); null: none. */
        default RangedDownload.Ranges ranges() {
            return null;
        }

        /** False for a source that cannot serve a range (a local store): a partial of it is not worth keeping. */
        default boolean canResume() {
            return true;
        }

        /** A source read from its start only. */
        static Source whole(Fetcher f, Descriptor d) {
            return new Source() {
                @Override
                public RangeFetcher.Fetched open(long offset) throws IOException {
                    return new RangeFetcher.Fetched(f.fetch(d), 0);
                }

                @Override
                public boolean canResume() {
                    return false;
                }
            };
        }
    }

    /** Where the blob of a digest is stored in a store: its path, with its directory made (by the store's rules). */
    public interface Address {
        Path of(Digest d) throws IOException;
    }

    /** What a write stored: the blob's digest (learned from the bytes, for {@link Expected#unknown}), and whether this call stored it. */
    public record Stored(Digest digest, boolean now) {}

    /**
     * Verified write of {@code content} (not resumable). Returns true if this call wrote {@code target}. A manifest
     * over the limit is refused before a byte is read.
     */
    public static boolean write(Path ingestDir, Path target, Descriptor expected, InputStream content, String what)
            throws IOException {
        try {
            if (expected.isManifest()) Manifests.checkSize(expected.size(), what);
            return write(ingestDir, target, Expected.of(expected), offset -> new RangeFetcher.Fetched(content, 0), false,
                    null, CopyListener.NONE, what); // not resumable: one stream
        } finally {
            content.close();
        }
    }

    /**
     * {@link #write(Path, Address, Expected, Source, boolean, BlobSink, CopyListener, String)} to {@code target}.
     * Returns true if this call wrote {@code target}, false if it existed.
     */
    public static boolean write(Path ingestDir, Path target, Expected expected, Source source, boolean resumable,
                                BlobSink sink, CopyListener listener, String what) throws IOException {
        return write(ingestDir, d -> target, expected, source, resumable, sink, listener, what).now();
    }

    /**
     * The one hash-and-commit loop: verified, optionally resumable write into the blob at {@code address}. For content
     * whose digest is not known in advance ({@link Expected#unknown}: a release zip, a file listed without a hash),
     * the bytes are hashed while written into a temp file (never resumed: its name is not known) and committed to the
     * address of the digest that arrived. {@code sink} (may be null) sees every byte of the blob, replayed ones
     * included, and is finished before the rename; when the target exists already, the sink reads it from there
     * (verified), so it has always seen the whole blob when this returns. {@code ingestDir} exists (the store makes it
     * without following links, {@link SafeFiles}); a link or a FIFO at the target's name is removed, never read or
     * written.
     */
    public static Stored write(Path ingestDir, Address address, Expected expected, Source source, boolean resumable,
                               BlobSink sink, CopyListener listener, String what) throws IOException {
        boolean learn = expected.learnsDigest();
        Path target = learn ? null : address.of(expected.digest());
        if (target != null && SafeFiles.isOwnFile(target)) { // a link or a FIFO planted there is removed: our own file takes its place
            if (sink != null) feed(Files.newInputStream(target, LinkOption.NOFOLLOW_LINKS), expected, sink, what);
            return new Stored(expected.digest(), false);
        }
        String name = learn ? Digest.SHA256 + "-unknown" : expected.digest().algorithm() + "-" + expected.digest().hex();
        resumable = resumable && !learn && source.canResume();
        PartialFile p = resumable ? PartialFile.resumable(ingestDir.resolve(name + ".partial")) : null;
        if (p == null) p = PartialFile.temp(ingestDir, name);
        boolean keep = false;
        try {
            long have = resumable ? RangedDownload.validPrefix(p) : p.size();
            if (expected.exactSize() && have >= expected.size()) {
                p.truncate(); // a full-length partial that was not renamed failed verification before
                have = 0;
            }
            RangedDownload.Ranges ranges = resumable && expected.exactSize() ? source.ranges() : null;
            RangeFetcher.Fetched f = null;
            if (ranges != null && ranges.options().applies(expected.size(), have)) {
                f = ranges.open(have, RangedDownload.firstEnd(ranges.options(), have, expected.size()));
                if (f != null && f.range() && f.offset() == have) { // else the whole blob (or nothing): one stream
                    listener.started(expected.digest(), expected.knownSize(), have);
                    RangedDownload.run(p, have, expected, ranges, f, sink, listener, what);
                    return new Stored(expected.digest(), p.moveTo(target));
                }
            }
            if (f == null) f = source.open(have);
            if (f.offset() != have) {
                p.truncate();
                have = 0;
            }
            listener.started(expected.digest(), expected.knownSize(), have);
            InputStream remote = f.in();
            // a stream that verifies this very expectation itself (the copy's) is not hashed a second time
            boolean selfVerifying = have == 0 && remote instanceof VerifiedStream vs && vs.verifies(expected);
            InputStream body = have == 0 ? p.tee(remote, listener) : new SequenceInputStream(p.replay(have), p.tee(remote, listener));
            Digest got = expected.digest();
            try (remote; InputStream in = selfVerifying ? body : VerifyingInputStream.expecting(body, expected, what)) {
                BlobSink.drain(in, expected.knownSize(), sink);
                if (learn) got = ((VerifyingInputStream) in).digest();
            }
            if (learn) {
                target = address.of(got);
                if (SafeFiles.isOwnFile(target)) return new Stored(got, false); // stored before: the same bytes
            }
            return new Stored(got, p.moveTo(target)); // another writer's copy may have won: the sink has seen these same bytes
        } catch (ContentException e) {
            keep = resumable && isTransferFailure(e);
            throw e;
        } catch (IOException | RuntimeException | Error e) {
            keep = resumable;
            throw e;
        } finally {
            p.close(keep);
        }
    }

    /** Reads {@code in} (closed here), verified against {@code expected}, into {@code sink}, and finishes the sink. */
    public static void feed(InputStream in, Expected expected, BlobSink sink, String what) throws IOException {
        try (InputStream v = VerifyingInputStream.expecting(in, expected, what)) {
            BlobSink.drain(v, expected.knownSize(), sink);
        }
    }

    /** True for failures of the transfer (worth resuming), false for content that is wrong. */
    private static boolean isTransferFailure(ContentException e) {
        return switch (e.kind()) {
            case DIGEST_MISMATCH, SIZE_MISMATCH, INVALID -> false;
            default -> true;
        };
    }

    /**
     * Removes what crashed writers left in {@code ingestDir} (once per directory and JVM): temp files no process
     * holds, and resumable partials untouched for {@link #KEEP_PARTIALS}. A file another process is writing is
     * locked by it and left alone.
     */
    public static void cleanup(Path ingestDir) {
        if (!CLEANED.add(ingestDir.toAbsolutePath())) return;
        PartialFile.removeLeftovers(ingestDir, KEEP_PARTIALS);
    }

    /** As {@link #cleanup}, now, and resumable partials of any age too (clearing a cache): what a writer holds stays. */
    public static void clear(Path ingestDir) {
        PartialFile.removeLeftovers(ingestDir, Duration.ZERO);
    }
}
