package dev.modelreg.content;

import dev.modelreg.content.fs.SafeFiles;
import dev.modelreg.content.http.Backoff;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One big blob over several connections (spec/README.md 12.6): the bytes the partial file does not have yet are cut
 * into ranges of at most {@link RangeOptions#chunk()} bytes, fetched {@link RangeOptions#connections()} at a time with
 * {@code Range} requests and written in place into the one partial file (positional writes). One reader follows the
 * contiguous prefix written so far (the frontier) and hashes it in order, showing it to the sink, so the blob is
 * verified in one pass as its ranges arrive; nothing is renamed into the store before the whole digest matched.
 *
 * <p>Bounded: each range asks for exactly its bytes (a 206 must carry that very {@code Content-Range}; a byte beyond it
 * is refused), is retried from where it stopped at most {@code retries} times, and the ranges add up to the
 * descriptor's size. A failed download keeps only the frontier (the partial is cut there) for a later resume. While
 * ranges are written ahead of the frontier, a marker file ({@code ALG-HEX.partial.ranged}) holds a frontier that is
 * at most the real one: a process killed meanwhile leaves a partial with holes, and the next run trusts only the
 * marker's prefix of it.
 */
final class RangedDownload {
    /** The suffix of the marker beside a partial that ranges are written into. */
    static final String MARKER = PartialFile.MARKER;
    private static final long MARK_EVERY = 16L << 20;
    private static final int BUFFER = 256 * 1024;

    /** How to ask the source for a range: see {@link RangeFetcher#fetch(dev.modelreg.spec.Descriptor, long, long)}. */
    interface Ranges {
        RangeFetcher.Fetched open(long from, long end) throws IOException;

        RangeOptions options();

        /** How often one range is tried again after a transient failure (resuming where it stopped). */
        int retries();
    }

    private final PartialFile partial;
    private final Path marker;
    private final Ranges ranges;
    private final long size;
    private final long[] starts;
    private final long[] written; // per range: the next byte to write (starts[i] .. end(i))
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition moved = lock.newCondition();
    private final CopyListener listener;
    private final dev.modelreg.spec.Digest digest;
    private final String what;
    private long frontier;
    private int firstOpen; // the first range not written whole
    private long marked;
    private volatile Throwable failure;

    private RangedDownload(PartialFile partial, Ranges ranges, long have, Expected expected, CopyListener listener, String what) {
        this.partial = partial;
        this.marker = markerOf(partial.path());
        this.ranges = ranges;
        this.size = expected.size();
        this.digest = expected.digest();
        this.listener = listener;
        this.what = what;
        long chunk = chunk(ranges.options(), have, size);
        int n = (int) ceilDiv(size - have, chunk);
        this.starts = new long[n];
        this.written = new long[n];
        for (int i = 0; i < n; i++) starts[i] = written[i] = have + i * chunk;
        this.frontier = have;
    }

    /** The size of each range: the option's, or larger so that a blob has at most 1,024 ranges. */
    private static long chunk(RangeOptions o, long have, long size) {
        return Math.max(o.chunk(), ceilDiv(size - have, 1024));
    }

    /** Where the first range of a download from {@code have} ends (exclusive). */
    static long firstEnd(RangeOptions o, long have, long size) {
        return Math.min(size, have + chunk(o, have, size));
    }

    static Path markerOf(Path partial) {
        return partial.resolveSibling(partial.getFileName() + MARKER);
    }

    /**
     * How much of a partial is trustworthy: its length, or the frontier a killed ranged download recorded beside it
     * (the partial is cut there and the marker removed).
     */
    static long validPrefix(PartialFile p) throws IOException {
        long have = p.size();
        Path m = markerOf(p.path());
        java.nio.file.attribute.BasicFileAttributes a = SafeFiles.attributes(m);
        if (a == null) return have;
        long mark = 0; // a marker that is not a small regular file of ours (a link, a FIFO): trust nothing, read nothing
        if (a.isRegularFile() && a.size() <= 20) {
            try (java.io.InputStream in = Files.newInputStream(m, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                mark = Long.parseLong(new String(in.readNBytes(20), StandardCharsets.US_ASCII).trim());
            } catch (IOException | NumberFormatException e) {
                mark = 0;
            }
        }
        long keep = Math.max(0, Math.min(have, mark));
        p.truncate(keep);
        Files.deleteIfExists(m);
        return keep;
    }

    /**
     * Downloads the rest of a blob of exactly {@code expected.size()} bytes, the first {@code have} of which are in
     * {@code p}; {@code first} is the source's answer to the first range (already asked, at offset {@code have}).
     * Verifies the whole (replayed prefix included) and shows it to {@code sink}; returns when the partial holds the
     * verified blob. On failure the partial is cut to the frontier (kept for a resume if the caller keeps it).
     */
    static void run(PartialFile p, long have, Expected expected, Ranges ranges, RangeFetcher.Fetched first,
                    BlobSink sink, CopyListener listener, String what) throws IOException {
        RangedDownload d = new RangedDownload(p, ranges, have, expected, listener, what);
        d.mark(have);
        try {
            AtomicInteger next = new AtomicInteger(1);
            List<Parallel.Task> tasks = new ArrayList<>();
            tasks.add(() -> { // the one in-order pass: hash (verify) and the sink
                try (InputStream in = VerifyingInputStream.expecting(d.inOrder(), expected, what)) {
                    BlobSink.drain(in, expected.knownSize(), sink);
                } catch (IOException | RuntimeException | Error e) {
                    d.fail(e);
                    throw e;
                }
            });
            int workers = Math.min(ranges.options().connections(), d.starts.length);
            for (int w = 0; w < workers; w++) {
                boolean withFirst = w == 0;
                tasks.add(() -> d.work(withFirst ? first : null, next));
            }
            Parallel.run(tasks, tasks.size());
        } catch (IOException | RuntimeException | Error e) {
            if (first != null) closeQuietly(first.in());
            p.truncate(d.frontier()); // only the contiguous prefix is worth keeping
            throw e;
        } finally {
            Files.deleteIfExists(d.marker);
        }
    }

    /** Fetches ranges until none is left: the first one with {@code first} (already open), then the next free one. */
    private void work(RangeFetcher.Fetched first, AtomicInteger next) throws IOException {
        try {
            if (first != null) fetch(0, first);
            for (int i; failure == null && (i = next.getAndIncrement()) < starts.length; ) fetch(i, null);
        } catch (IOException | RuntimeException | Error e) {
            fail(e);
            throw e;
        }
    }

    /** Range {@code i}, from {@code opened} or a new request; retried from where it stopped. */
    private void fetch(int i, RangeFetcher.Fetched opened) throws IOException {
        long end = end(i);
        byte[] buf = new byte[BUFFER];
        for (int attempt = 0; ; attempt++) {
            long pos = written(i);
            try {
                RangeFetcher.Fetched f = opened != null ? opened : ranges.open(pos, end);
                opened = null;
                if (f == null || !f.range() || f.offset() != pos) {
                    if (f != null) closeQuietly(f.in());
                    throw ContentException.invalid(what + ": the source answered the range from byte " + pos
                            + " with the whole blob after it had served ranges");
                }
                try (InputStream in = f.in()) {
                    while (pos < end) {
                        if (failure != null) return; // another range failed: the download is over
                        int n = in.read(buf, 0, (int) Math.min(buf.length, end - pos));
                        if (failure != null) return; // failed meanwhile: the partial may be cut already, write nothing
                        if (n < 0) {
                            throw new ContentException(ContentException.Kind.UNAVAILABLE, what + ": range "
                                    + starts[i] + "-" + (end - 1) + " ended at byte " + pos, null, true);
                        }
                        partial.writeAt(buf, 0, n, pos);
                        pos += n;
                        advance(i, pos);
                        listener.transferred(n);
                    }
                    if (in.read() >= 0) {
                        throw ContentException.invalid(what + ": the source sent more than the range "
                                + starts[i] + "-" + (end - 1) + " it was asked for");
                    }
                }
                return;
            } catch (ContentException e) {
                if (!e.isTransient() || attempt >= ranges.retries() || failure != null) throw e;
                listener.retrying(digest, e);
                Backoff.sleep(Backoff.delay(attempt), what);
            }
        }
    }

    private long end(int i) {
        return i + 1 < starts.length ? starts[i + 1] : size;
    }

    private long written(int i) {
        lock.lock();
        try {
            return written[i];
        } finally {
            lock.unlock();
        }
    }

    /** Range {@code i} has its bytes up to {@code pos}: moves the frontier when it is the first open range. */
    private void advance(int i, long pos) throws IOException {
        long mark = -1;
        lock.lock();
        try {
            written[i] = pos;
            if (i != firstOpen) return;
            while (firstOpen < starts.length && written[firstOpen] == end(firstOpen)) firstOpen++;
            frontier = firstOpen < starts.length ? written[firstOpen] : size;
            moved.signalAll();
            if (frontier - marked >= MARK_EVERY) mark = marked = frontier;
        } finally {
            lock.unlock();
        }
        if (mark >= 0) mark(mark);
    }

    /** Records {@code frontier} in the marker (written after the bytes below it, so never ahead of them). */
    private void mark(long frontier) throws IOException {
        SafeFiles.writeOwn(marker, Long.toString(frontier).getBytes(StandardCharsets.US_ASCII));
    }

    private long frontier() {
        lock.lock();
        try {
            return frontier;
        } finally {
            lock.unlock();
        }
    }

    private void fail(Throwable e) {
        lock.lock();
        try {
            if (failure == null) failure = e;
            moved.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The blob from byte 0, as far as the frontier has reached; waits for it to move; fails when a range failed. */
    private InputStream inOrder() {
        return new ChunkedInputStream() {
            private long pos;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos >= size) return -1;
                long until = await(pos);
                int n = partial.readAt(b, off, (int) Math.min(len, until - pos), pos);
                if (n < 0) throw new IOException(partial.path() + " shrank while it was written");
                pos += n;
                return n;
            }
        };
    }

    private long await(long pos) throws IOException {
        lock.lock();
        try {
            while (frontier <= pos) {
                Throwable f = failure;
                if (f instanceof IOException io) throw io;
                if (f instanceof RuntimeException re) throw re;
                if (f instanceof Error er) throw er;
                moved.await();
            }
            return frontier;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } finally {
            lock.unlock();
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // already failing
        }
    }
}
