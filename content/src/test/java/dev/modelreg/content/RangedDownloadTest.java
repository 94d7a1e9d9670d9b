package dev.modelreg.content;

import dev.modelreg.content.store.BlobCache;
import dev.modelreg.content.store.RegistryStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.OciReference;
import dev.modelreg.testkit.FaultProxy;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.Request;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A big blob over several ranged connections (spec 12.6), against the real registry with a fault proxy in front:
 * the ranges cover the blob exactly once, a server that ignores Range gets one stream, a range cut off midway is
 * retried from where it stopped, a corrupted range fails the digest and leaves nothing, a partial is resumed, and a
 * crashed ranged download's holes are not trusted.
 */
class RangedDownloadTest {
    static final int SIZE = 4 << 20;
    static final int CHUNK = 256 << 10;
    static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

    @TempDir static Path shared;
    @TempDir Path tmp;
    static RegistryFixture reg;
    static FaultProxy proxy;
    static RegistryStore store;
    static byte[] data;
    static Descriptor d;

    @BeforeAll
    static void start() throws IOException {
        reg = RegistryFixture.start(RegistryFixture.Mode.PLAIN, shared.resolve("reg"));
        data = Blobs.random(91, SIZE);
        d = Blobs.describe(MediaTypes.FILE_LAYER, data);
        RegistryStore.connect(OciReference.parse(reg.host() + "/models/ranged"), RegistryOptions.defaults())
                .push(d, new ByteArrayInputStream(data));
        proxy = FaultProxy.start(reg.port());
        store = RegistryStore.connect(OciReference.parse(proxy.host() + "/models/ranged"), RegistryOptions.defaults());
    }

    @AfterAll
    static void stop() {
        proxy.close();
        reg.close();
    }

    @BeforeEach
    void reset() {
        proxy.clearRules();
        proxy.clearExchanges();
        proxy.ignoreRange(false);
        reg.clearRequests();
    }

    static CopyOptions ranged() {
        return CopyOptions.defaults().withRanges(new RangeOptions(1 << 20, 4, CHUNK));
    }

    List<FaultProxy.Exchange> gets() {
        return proxy.exchanges("/blobs/").stream().filter(x -> x.method().equals("GET")).toList();
    }

    /**
     * Blob bytes the registry says it sent, once its access log holds every blob GET the proxy passed on (the registry
     * logs a request after its response: under load the last line can come after the download is done).
     */
    long blobBytesServed() {
        int passed = gets().size();
        return reg.awaitRequests(q -> q.stream().filter(RangedDownloadTest::isBlobGet).count() >= passed, Duration.ofSeconds(10))
                .stream().filter(RangedDownloadTest::isBlobGet).mapToLong(Request::bytes).sum();
    }

    static boolean isBlobGet(Request x) {
        return x.method().equals("GET") && x.path().contains("/blobs/");
    }

    @Test
    void theRangesCoverTheBlobOnceAndTheWholeIsVerified() throws IOException {
        BlobCache cache = BlobCache.open(tmp.resolve("cache"));
        Copy.blobs(store, List.of(d), cache, ranged());
        assertThat(Files.readAllBytes(cache.path(d.digest()))).isEqualTo(data);
        assertThat(gets()).hasSize(SIZE / CHUNK).allSatisfy(x -> assertThat(x.status()).isEqualTo(206));
        long covered = 0;
        for (FaultProxy.Exchange x : gets().stream().sorted((a, b) -> Long.compare(start(a), start(b))).toList()) {
            Matcher m = RANGE.matcher(x.range());
            assertThat(m.matches()).as(x.range()).isTrue();
            assertThat(Long.parseLong(m.group(1))).isEqualTo(covered);
            covered = Long.parseLong(m.group(2)) + 1;
        }
        assertThat(covered).isEqualTo(SIZE);
        assertThat(blobBytesServed()).isEqualTo(SIZE);
        assertThat(cache.ingestDir()).isEmptyDirectory();
    }

    @Test
    void aSmallBlobOrOneConnectionIsOneStream() throws IOException {
        Copy.blobs(store, List.of(d), BlobCache.open(tmp.resolve("a")), ranged().withRanges(new RangeOptions(SIZE, 4, CHUNK)));
        assertThat(gets()).singleElement().satisfies(x -> assertThat(x.range()).isNull());
        proxy.clearExchanges();
        Copy.blobs(store, List.of(d), BlobCache.open(tmp.resolve("b")), ranged().withRanges(RangeOptions.OFF));
        assertThat(gets()).singleElement().satisfies(x -> assertThat(x.range()).isNull());
    }

    @Test
    void aServerThatIgnoresRangeGetsOneStream() throws IOException {
        proxy.ignoreRange(true);
        BlobCache cache = BlobCache.open(tmp.resolve("cache"));
        Copy.blobs(store, List.of(d), cache, ranged());
        assertThat(Files.readAllBytes(cache.path(d.digest()))).isEqualTo(data);
        assertThat(gets()).singleElement().satisfies(x -> assertThat(x.status()).isEqualTo(200));
        assertThat(cache.ingestDir()).isEmptyDirectory();
    }

    @Test
    void aRangeCutOffMidwayIsRetriedFromWhereItStopped() throws IOException {
        FaultProxy.Rule r = proxy.inject("GET", "/blobs/", FaultProxy.Fault.reset(100_000), 1);
        BlobCache cache = BlobCache.open(tmp.resolve("cache"));
        Copy.blobs(store, List.of(d), cache, ranged());
        assertThat(r.injected()).isEqualTo(1);
        assertThat(Files.readAllBytes(cache.path(d.digest()))).isEqualTo(data);
        assertThat(gets()).hasSize(SIZE / CHUNK + 1)
                .as("one range was asked again from inside itself, not from its start")
                .anySatisfy(x -> assertThat(start(x) % CHUNK).isPositive());
        assertThat(cache.ingestDir()).isEmptyDirectory();
    }

    @Test
    void aCorruptedRangeFailsTheDigestAndNothingIsStored() throws IOException {
        proxy.inject("GET", "/blobs/", FaultProxy.Fault.corrupt(1_000), 1);
        BlobCache cache = BlobCache.open(tmp.resolve("cache"));
        assertThatThrownBy(() -> Copy.blobs(store, List.of(d), cache, ranged()))
                .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.DIGEST_MISMATCH));
        assertThat(cache.has(d.digest())).isFalse();
        assertThat(cache.ingestDir()).isEmptyDirectory();
    }

    @Test
    void aPartialPrefixIsKeptAndOnlyTheRestIsFetchedInRanges() throws IOException {
        int have = 1_000_000;
        BlobCache cache = BlobCache.open(tmp.resolve("cache"));
        Path partial = Files.createDirectories(cache.ingestDir()).resolve("sha256-" + d.digest().hex() + ".partial");
        Files.write(partial, Arrays.copyOf(data, have));
        Copy.blobs(store, List.of(d), cache, ranged());
        assertThat(Files.readAllBytes(cache.path(d.digest()))).isEqualTo(data);
        assertThat(gets()).hasSizeGreaterThan(1).allSatisfy(x -> assertThat(start(x)).isGreaterThanOrEqualTo(have));
        assertThat(gets().stream().mapToLong(RangedDownloadTest::start).min().orElseThrow()).isEqualTo(have);
        assertThat(blobBytesServed()).isEqualTo(SIZE - have);
        assertThat(cache.ingestDir()).isEmptyDirectory();
    }

    @Test
    void aKilledRangedDownloadIsResumedFromItsMarkerNotFromItsHoles() throws IOException {
        int mark = 1_000_000;
        BlobCache cache = BlobCache.open(tmp.resolve("cache"));
        Path partial = Files.createDirectories(cache.ingestDir()).resolve("sha256-" + d.digest().hex() + ".partial");
        byte[] holey = Arrays.copyOf(data, 3_000_000); // ranges written ahead of the frontier, with a hole in between
        Arrays.fill(holey, mark, 2_000_000, (byte) 0);
        Files.write(partial, holey);
        Files.writeString(RangedDownload.markerOf(partial), Long.toString(mark));
        Copy.blobs(store, List.of(d), cache, ranged());
        assertThat(Files.readAllBytes(cache.path(d.digest()))).isEqualTo(data);
        assertThat(blobBytesServed()).isEqualTo(SIZE - mark);
        assertThat(cache.ingestDir()).isEmptyDirectory();
    }

    @Test
    void aRangeThatFailsForGoodKeepsOnlyTheFrontierForTheNextRun() throws IOException {
        proxy.inject("GET", "/blobs/", FaultProxy.Fault.reset(50_000), FaultProxy.ALWAYS); // every range breaks
        BlobCache cache = BlobCache.open(tmp.resolve("cache"));
        assertThatThrownBy(() -> Copy.blobs(store, List.of(d), cache, ranged().withRetries(0)))
                .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.isTransient()).isTrue());
        Path partial = cache.ingestDir().resolve("sha256-" + d.digest().hex() + ".partial");
        assertThat(RangedDownload.markerOf(partial)).doesNotExist();
        long kept = Files.size(partial);
        assertThat(kept).as("cut to the contiguous prefix of the first range").isLessThanOrEqualTo(50_000);
        assertThat(Files.readAllBytes(partial)).isEqualTo(Arrays.copyOf(data, (int) kept));
        proxy.clearRules();
        reg.awaitRequests(q -> q.stream().filter(RangedDownloadTest::isBlobGet).count() >= gets().size(), Duration.ofSeconds(10));
        reg.clearRequests(); // after the first run's last line, so that it cannot count in the second
        proxy.clearExchanges();
        Copy.blobs(store, List.of(d), cache, ranged());
        assertThat(Files.readAllBytes(cache.path(d.digest()))).isEqualTo(data);
        assertThat(blobBytesServed()).isEqualTo(SIZE - kept);
        assertThat(cache.ingestDir()).isEmptyDirectory();
    }

    static long start(FaultProxy.Exchange x) {
        Matcher m = RANGE.matcher(x.range() == null ? "" : x.range());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }
}
