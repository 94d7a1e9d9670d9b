package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one verified ingest path. Content streams into a file in {@code ingestDir} (same file store as the target)
 * while it is hashed and counted in the same pass (and shown to a {@link BlobSink}, e.g. a tar extractor); it is
 * checked against the expected digest and size; only then is it renamed into place atomically. If the target
 * already exists it is kept (content addressed: same digest, same bytes).
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
     * Verified, optionally resumable write. Returns true if this call wrote {@code target}, false if it existed.
     * {@code sink} (may be null) sees every byte of the blob, replayed ones included, and is finished before the
     * rename; when the target exists already, the sink reads it from there (verified), so it has always seen the
     * whole blob when this returns. {@code ingestDir} and the target's directory exist (the store makes them without
     * following links, {@link SafeFiles}); a link or a FIFO at the target's name is removed, never read or written.
     */
    public static boolean write(Path ingestDir, Path target, Expected expected, Source source, boolean resumable,
                                BlobSink sink, CopyListener listener, String what) throws IOException {
        if (SafeFiles.isOwnFile(target)) { // a link or a FIFO planted there is removed: our own file takes its place
            if (sink != null) feed(Files.newInputStream(target, LinkOption.NOFOLLOW_LINKS), expected, sink, what);
            return false;
        }
        String name = expected.digest().algorithm() + "-" + expected.digest().hex();
        resumable = resumable && source.canResume();
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
                    return p.moveTo(target);
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
            try (remote; InputStream in = selfVerifying ? body : expected.verifying(body, what)) {
                drain(in, expected, sink);
            }
            return p.moveTo(target); // another writer's copy may have won: the sink has seen these same bytes
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
        try (InputStream v = expected.verifying(in, what)) {
            drain(v, expected, sink);
        }
    }

    /** Reads to the end (where a verifying stream verifies), showing every byte to {@code sink}, then finishes it. */
    static void drain(InputStream in, Expected expected, BlobSink sink) throws IOException {
        byte[] buf = new byte[Streams.bufferSize(expected.knownSize())];
        for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) {
            if (sink != null && n > 0) sink.write(buf, 0, n);
        }
        if (sink != null) sink.finish();
    }

    /** True for failures of the transfer (worth resuming), false for content that is wrong. */
    private static boolean isTransferFailure(ContentException e) {
        return switch (e.kind()) {
            case DIGEST_MISMATCH, SIZE_MISMATCH, INVALID -> false;
            default -> true;
        };
    }

    /** Atomically renames a verified temp file to its content-addressed name; an existing target wins. */
    public static boolean moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (AtomicMoveNotSupportedException e) {
            if (Files.exists(target)) return false;
            Files.move(tmp, target);
            return true;
        }
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
}
