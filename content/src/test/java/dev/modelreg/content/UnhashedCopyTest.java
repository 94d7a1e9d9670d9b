package dev.modelreg.content;

import dev.modelreg.content.store.BlobCache;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content whose digest is not known in advance (a release zip, a file listed without a hash) goes through the one copy
 * and the one ingest: hashed while written, stored under the digest that arrived, bounded, retried whole.
 */
class UnhashedCopyTest {
    @TempDir Path tmp;

    static final byte[] DATA = Blobs.random(91, 300_000);

    /** A source of {@code data} whose first {@code cuts} opens break off after 1000 bytes, as a reset connection does. */
    static Ingest.Source source(byte[] data, int cuts, AtomicInteger opens) {
        return offset -> {
            boolean cut = opens.incrementAndGet() <= cuts;
            return new RangeFetcher.Fetched(new ChunkedInputStream() {
                private int pos;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (cut && pos >= 1000) {
                        throw new ContentException(ContentException.Kind.UNAVAILABLE, "the release zip: connection reset", null, true);
                    }
                    if (pos >= data.length) return -1;
                    int n = Math.min(len, data.length - pos);
                    System.arraycopy(data, pos, b, off, n);
                    pos += n;
                    return n;
                }
            }, 0);
        };
    }

    @Test
    void storedUnderTheDigestThatArrivedRetriedWhole() throws IOException {
        BlobCache cache = BlobCache.open(tmp.resolve("cache"));
        AtomicInteger opens = new AtomicInteger();
        AtomicInteger retries = new AtomicInteger();
        CopyOptions o = CopyOptions.defaults().withListener(new CopyListener() {
            @Override
            public void retrying(Digest digest, Exception cause) {
                retries.incrementAndGet();
            }
        });
        Digest d = Copy.unhashed(source(DATA, 1, opens), "the release zip", cache, Expected.MAX_UNSIZED, o);
        assertThat(d).isEqualTo(Digest.sha256Of(DATA));
        assertThat(cache.path(d)).hasBinaryContent(DATA);
        assertThat(cache.isVerifiedNow(d)).isTrue();
        assertThat(opens.get()).as("cut off once, fetched again whole").isEqualTo(2);
        assertThat(retries.get()).isEqualTo(1);
        assertThat(cache.ingestDir()).isEmptyDirectory();

        // the same bytes again: the stored blob wins, nothing is left behind
        assertThat(Copy.unhashed(source(DATA, 0, new AtomicInteger()), "again", cache, Expected.MAX_UNSIZED, o)).isEqualTo(d);
        assertThat(cache.ingestDir()).isEmptyDirectory();
    }

    @Test
    void moreThanTheLimitIsRefusedAndNothingIsStored() throws IOException {
        BlobCache cache = BlobCache.open(tmp.resolve("cache"));
        assertThatThrownBy(() -> Copy.unhashed(source(DATA, 0, new AtomicInteger()), "the release zip", cache,
                DATA.length - 1, CopyOptions.defaults())).satisfies(t -> {
            CopyException e = (CopyException) t;
            assertThat(e.kind()).isEqualTo(ContentException.Kind.SIZE_MISMATCH);
            assertThat(e.origin()).isEqualTo(CopyException.Origin.SOURCE);
            assertThat(e.getMessage()).isEqualTo("the release zip: more than the limit of " + (DATA.length - 1) + " bytes");
        });
        assertThat(cache.has(Digest.sha256Of(DATA))).isFalse();
        assertThat(cache.ingestDir()).isEmptyDirectory();
        try (var s = Files.list(cache.root().resolve("blobs"))) {
            assertThat(s.flatMap(p -> {
                try {
                    return Files.list(p);
                } catch (IOException x) {
                    throw new java.io.UncheckedIOException(x);
                }
            })).isEmpty();
        }
    }
}
