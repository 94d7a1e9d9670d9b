package dev.modelreg.content;

import dev.modelreg.content.store.BlobCache;
import dev.modelreg.content.store.RegistryStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.OciReference;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.Request;
import dev.modelreg.testkit.StubServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resumable ingest: a partial download kept in the cache's ingest/ is completed with a Range request (bytes counted
 * by the real registry), a partial that fails verification is discarded, and a body cut off midway is resumed by the
 * copy's retry.
 */
class ResumeTest {
    static final int SIZE = 4 << 20;
    static final int HAVE = 1_500_000;

    @TempDir Path tmp;

    @Test
    void aPartialIsCompletedWithARangeRequestAndAFalsePartialIsDiscarded() throws IOException {
        byte[] data = Blobs.random(61, SIZE);
        Descriptor d = Blobs.describe(MediaTypes.FILE_LAYER, data);
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("reg"))) {
            RegistryStore store = RegistryStore.connect(OciReference.parse(reg.host() + "/models/resume"), RegistryOptions.defaults());
            store.push(d, new java.io.ByteArrayInputStream(data));
            BlobCache cache = BlobCache.open(tmp.resolve("cache"));
            Path partial = Files.createDirectories(cache.ingestDir()).resolve("sha256-" + d.digest().hex() + ".partial");
            Files.write(partial, Arrays.copyOf(data, HAVE));
            reg.clearRequests();

            CopyResult r = Copy.blobs(store, List.of(d), cache, CopyOptions.defaults());
            assertThat(r.blobsCopied()).isEqualTo(1);
            assertThat(Files.readAllBytes(cache.path(d.digest()))).isEqualTo(data);
            assertThat(reg.awaitRequests(q -> q.stream().anyMatch(x -> x.method().equals("GET")), java.time.Duration.ofSeconds(5)))
                    .filteredOn(x -> x.method().equals("GET"))
                    .singleElement().satisfies(x -> {
                        assertThat(x.status()).isEqualTo(206);
                        assertThat(x.bytes()).as("only the remainder travelled").isEqualTo(SIZE - HAVE);
                    });
            assertThat(cache.ingestDir()).isEmptyDirectory();

            // a partial whose bytes are not the blob's: verification fails, it is dropped, nothing is cached
            BlobCache other = BlobCache.open(tmp.resolve("cache2"));
            Path bad = Files.createDirectories(other.ingestDir()).resolve("sha256-" + d.digest().hex() + ".partial");
            byte[] wrong = Arrays.copyOf(data, HAVE);
            wrong[10] ^= 1;
            Files.write(bad, wrong);
            assertThatThrownBy(() -> Copy.blobs(store, List.of(d), other, CopyOptions.defaults()))
                    .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.DIGEST_MISMATCH));
            assertThat(bad).doesNotExist();
            assertThat(other.has(d.digest())).isFalse();
            reg.clearRequests();
            Copy.blobs(store, List.of(d), other, CopyOptions.defaults());
            assertThat(Files.readAllBytes(other.path(d.digest()))).isEqualTo(data);
            assertThat(reg.awaitRequests(q -> q.stream().anyMatch(x -> x.method().equals("GET")), java.time.Duration.ofSeconds(5)))
                    .filteredOn(x -> x.method().equals("GET")).extracting(Request::status).containsExactly(200);
        }
    }

    @Test
    void aBodyCutOffMidwayIsResumedByTheRetry() throws IOException {
        byte[] data = Blobs.random(62, SIZE);
        Descriptor d = Blobs.describe(MediaTypes.FILE_LAYER, data);
        AtomicInteger gets = new AtomicInteger();
        try (StubServer reg = StubServer.http("127.0.0.1", x -> {
            String range = x.getRequestHeaders().getFirst("Range");
            if (gets.incrementAndGet() == 1) {
                x.sendResponseHeaders(200, SIZE);
                OutputStream out = x.getResponseBody();
                out.write(data, 0, 1 << 20);
                out.flush();
                throw new IOException("cut off"); // the server drops the connection after 1 MiB
            }
            long from = Long.parseLong(range.substring("bytes=".length(), range.indexOf('-')));
            x.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (SIZE - 1) + "/" + SIZE);
            x.sendResponseHeaders(206, SIZE - from);
            x.getResponseBody().write(data, (int) from, (int) (SIZE - from));
        })) {
            RegistryStore store = RegistryStore.connect(OciReference.parse(reg.host() + "/models/cut"), RegistryOptions.defaults());
            BlobCache cache = BlobCache.open(tmp.resolve("cache"));
            Copy.blobs(store, List.of(d), cache, CopyOptions.defaults());
            assertThat(Files.readAllBytes(cache.path(d.digest()))).isEqualTo(data);
            List<StubServer.Seen> seen = reg.seen().stream().filter(s -> s.method().equals("GET")).toList();
            assertThat(seen).hasSize(2);
            assertThat(seen.get(0).range()).isNull();
            assertThat(seen.get(1).range()).matches("bytes=\\d+-");
            long from = Long.parseLong(seen.get(1).range().replaceAll("\\D", ""));
            assertThat(from).as("resumed where the partial ended, not from 0").isPositive().isLessThanOrEqualTo(1 << 20);
            assertThat(cache.ingestDir()).isEmptyDirectory();
        }
    }
}
