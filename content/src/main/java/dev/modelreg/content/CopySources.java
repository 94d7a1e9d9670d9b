package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import java.io.IOException;
import java.io.InputStream;

/**
 * The source side of {@link Copy}'s transfers: a store's blob as an {@link Ingest.Source} (ranged when the store can
 * serve ranges), with every failure of the source, opening or reading, marked as the source's ({@link #sourced}); and
 * the stream that shows a blob's bytes to a sink on their way to a store that takes streams.
 */
final class CopySources {
    private CopySources() {}

    /** Opens bytes {@code from} to {@code end} of a blob (see {@link RangeFetcher#fetch(Descriptor, long, long)}). */
    private interface RangeOpener {
        RangeFetcher.Fetched open(long from, long end) throws IOException;
    }

    /** Ranges of one blob: how to open one, and the options and retries they are fetched with. */
    private record Ranges(RangeOpener opener, RangeOptions options, int retries) implements RangedDownload.Ranges {
        @Override
        public RangeFetcher.Fetched open(long from, long end) throws IOException {
            return opener.open(from, end);
        }
    }

    /** A source that resumes from an offset and, for a big blob, may be fetched in ranges over several connections. */
    static Ingest.Source ranged(RangeFetcher rf, Descriptor d, CopyOptions options) {
        Ranges ranges = new Ranges((from, end) -> rf.fetch(d, from, end), options.ranges(), options.retries());
        return new Ingest.Source() {
            @Override
            public RangeFetcher.Fetched open(long offset) throws IOException {
                return rf.fetch(d, offset);
            }

            @Override
            public RangedDownload.Ranges ranges() {
                return d.isManifest() ? null : ranges;
            }
        };
    }

    /** {@code s} with its failures, opening it or reading what it sent, marked as the source's ({@link CopyException}). */
    static Ingest.Source sourced(Ingest.Source s) {
        return new Ingest.Source() {
            @Override
            public RangeFetcher.Fetched open(long offset) throws IOException {
                try {
                    return sourced(s.open(offset));
                } catch (ContentException e) {
                    throw fetching(e);
                }
            }

            @Override
            public RangedDownload.Ranges ranges() {
                RangedDownload.Ranges r = s.ranges();
                return r == null ? null : new Ranges((from, end) -> {
                    try {
                        return sourced(r.open(from, end));
                    } catch (ContentException e) {
                        throw fetching(e);
                    }
                }, r.options(), r.retries());
            }

            @Override
            public boolean canResume() {
                return s.canResume();
            }
        };
    }

    private static RangeFetcher.Fetched sourced(RangeFetcher.Fetched f) {
        return f == null ? null : new RangeFetcher.Fetched(new Sourced(f.in()), f.offset(), f.range());
    }

    private static CopyException fetching(ContentException e) {
        return CopyException.at(CopyException.Origin.SOURCE, CopyException.Op.FETCH, e);
    }

    /** A source's stream whose read failures are the source's; it verifies what the stream it wraps verifies. */
    private static final class Sourced extends ChunkedInputStream.Filter implements VerifiedStream {
        Sourced(InputStream in) {
            super(in);
        }

        @Override
        public boolean verifies(Expected e) {
            return in instanceof VerifiedStream v && v.verifies(e);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (ContentException e) {
                throw fetching(e);
            }
        }
    }

    /** A verified source stream that shows its bytes to a sink and counts them; the sink is finished at EOF. */
    static final class Observed extends ChunkedInputStream.Filter implements VerifiedStream {
        private final BlobSink sink;
        private final CopyListener listener;
        private boolean finished;

        Observed(InputStream in, BlobSink sink, CopyListener listener) {
            super(in);
            this.sink = sink;
            this.listener = listener;
        }

        @Override
        public boolean verifies(Expected e) {
            return in instanceof VerifiedStream v && v.verifies(e);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                listener.transferred(n);
                if (sink != null) sink.write(b, off, n);
            } else if (n < 0 && sink != null && !finished) {
                finished = true;
                sink.finish();
            }
            return n;
        }
    }
}
