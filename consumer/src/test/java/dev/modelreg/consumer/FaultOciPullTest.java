package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.RegistryOptions;
import dev.modelreg.content.store.RegistryStore;
import dev.modelreg.spec.BootstrapConfig;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.OciReference;
import dev.modelreg.testkit.FaultProxy;
import dev.modelreg.testkit.FaultProxy.Exchange;
import dev.modelreg.testkit.FaultProxy.Fault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite for the OCI transport: a pull from the real distribution registry through {@link FaultProxy}, with
 * short timeouts (MODELREG_TIMEOUT 5 s, MODELREG_STALL_TIMEOUT 1 s, MODELREG_RETRIES 3). Transient faults end in a
 * pull whose files are all correct, the proxy showing the retry and the {@code Range} that resumed the blob;
 * permanent faults end in a one-line error naming the endpoint, the blob and the kind of failure, with nothing
 * unverified in the cache's blobs or in the workspace.
 */
@Timeout(30)
class FaultOciPullTest extends PlainRegistryTest {
    @TempDir Path tmp;
    FaultProxy proxy;
    final Map<String, byte[]> files = new LinkedHashMap<>();
    Map<String, String> env;
    String repo;
    TestArtifacts.Pushed pushed;
    Descriptor big;
    Descriptor tar;
    /** Every blob of the artifact by hex digest, read straight from the registry (the oracle). */
    final Map<String, byte[]> blobs = new HashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        repo = "models/f" + Long.toHexString(System.nanoTime());
        // content unique to this test: the registry shares blobs between repositories
        byte[] salt = repo.getBytes(StandardCharsets.UTF_8);
        files.put("m/big.bin", salted(ConsumeGitHubTest.bytes(400_000, 7), salt));
        files.put("m/mfsim.nam", salted("BEGIN options\nEND options\n".getBytes(StandardCharsets.UTF_8), salt));
        files.put("m/gwf/model.dis", salted(ConsumeGitHubTest.bytes(30_000, 11), salt));
        RegistryStore direct = RegistryStore.connect(OciReference.parse(registry.host() + "/" + repo), RegistryOptions.defaults());
        pushed = TestArtifacts.push(direct, "v1", files, Map.of("test/m", List.copyOf(files.keySet())));
        big = pushed.layerOf("m/big.bin");
        tar = pushed.layerOf("m/mfsim.nam");
        assertThat(tar.digest()).isNotEqualTo(big.digest());
        for (Descriptor d : pushed.parsed().layers()) {
            try (var in = direct.fetch(d)) {
                blobs.put(d.digest().hex(), in.readAllBytes());
            }
        }
        proxy = FaultProxy.start(registry.port());
        env = new HashMap<>();
        env.put("MODELREG_CACHE", tmp.resolve("cache").toString());
        env.put("MODELREG_TIMEOUT", "5");
        env.put("MODELREG_STALL_TIMEOUT", "1");
        env.put("MODELREG_RETRIES", "3");
    }

    @AfterEach
    void tearDown() {
        proxy.close();
    }

    static byte[] salted(byte[] b, byte[] salt) {
        byte[] out = new byte[b.length + salt.length];
        System.arraycopy(salt, 0, out, 0, salt.length);
        System.arraycopy(b, 0, out, salt.length, b.length);
        return out;
    }

    Path ws() {
        return tmp.resolve("ws");
    }

    Results.CopyResult pull() throws IOException {
        ModelReg reg = new ModelReg(new BootstrapConfig(Map.of()), Settings.from(env));
        return reg.pull(proxy.host() + "/" + repo + ":v1", ws(), null);
    }

    static String blobPath(Descriptor d) {
        return "/blobs/" + d.digest() + "$";
    }

    void assertPulledCorrectly(Results.CopyResult r) throws IOException {
        assertThat(r.digest()).isEqualTo(pushed.manifest().digest());
        for (var e : files.entrySet()) assertThat(ws().resolve(e.getKey())).hasBinaryContent(e.getValue());
        assertCacheHoldsOnlyVerifiedBlobs();
        try (Stream<Path> s = Files.list(tmp.resolve("cache/ingest"))) {
            assertThat(s).as("no partial or temp file left after success").isEmpty();
        }
    }

    /** Every file in the cache's blob store has the content its name says. */
    void assertCacheHoldsOnlyVerifiedBlobs() throws IOException {
        Path blobs = tmp.resolve("cache/blobs/sha256");
        if (!Files.isDirectory(blobs)) return;
        try (Stream<Path> s = Files.list(blobs)) {
            assertThat(s).allSatisfy(p -> assertThat(Digest.sha256Of(Files.readAllBytes(p)).hex())
                    .as("content of %s", p).isEqualTo(p.getFileName().toString()));
        }
    }

    /**
     * After a permanent failure: the message is one line naming the endpoint (the proxy's host and repository) and
     * the blob; the faulted blob (and {@code alsoAbsent}, e.g. the digest of the wrong bytes) is not in the cache, the
     * cache holds only verified blobs, every partial kept for a resume is a true prefix of its blob (one of wrong
     * content is not kept at all when {@code wrongContent}), and no workspace (or staging leftover) exists.
     */
    void assertRefusedAndNothingLanded(Throwable e, Descriptor faulted, boolean wrongContent, Digest... alsoAbsent)
            throws IOException {
        assertThat(e.getMessage()).doesNotContain("\n").contains(proxy.host() + "/" + repo).contains(faulted.digest().toString());
        assertThat(tmp.resolve("cache/blobs/sha256/" + faulted.digest().hex())).doesNotExist();
        for (Digest d : alsoAbsent) assertThat(tmp.resolve("cache/blobs/sha256/" + d.hex())).doesNotExist();
        assertCacheHoldsOnlyVerifiedBlobs();
        if (Files.isDirectory(tmp.resolve("cache/ingest"))) {
            try (Stream<Path> s = Files.list(tmp.resolve("cache/ingest"))) {
                for (Path p : s.toList()) {
                    String n = p.getFileName().toString();
                    assertThat(n).as("only resumable partials stay").matches("sha256-[0-9a-f]{64}\\.partial");
                    String hex = n.substring(7, 71);
                    if (wrongContent) assertThat(hex).as("no partial of wrong content is kept").isNotEqualTo(faulted.digest().hex());
                    byte[] kept = Files.readAllBytes(p);
                    assertThat(blobs).containsKey(hex);
                    assertThat(kept).as("partial %s is a prefix of its blob", n)
                            .isEqualTo(java.util.Arrays.copyOf(blobs.get(hex), kept.length));
                }
            }
        }
        assertThat(ws()).doesNotExist();
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".ws."));
        }
    }

    /** The blob's GETs: the first as asked, the faulted ones, and that the retry asked only for the rest. */
    List<Exchange> blobGets(Descriptor d) {
        return proxy.exchanges(blobPath(d)).stream().filter(x -> x.method().equals("GET")).toList();
    }

    static long rangeStart(Exchange x) {
        assertThat(x.range()).matches("bytes=\\d+-");
        return Long.parseLong(x.range().substring(6, x.range().length() - 1));
    }

    // ------------------------------------------------------------------------------------------- transient

    @Test
    void aResetMidBlobIsResumedWithARange() throws IOException {
        FaultProxy.Rule rule = proxy.inject("GET", blobPath(big), Fault.reset(150_000), 1);
        assertPulledCorrectly(pull());
        assertThat(rule.injected()).isEqualTo(1);
        List<Exchange> gets = blobGets(big);
        assertThat(gets).hasSize(2);
        assertThat(gets.get(0).faulted()).isTrue();
        assertThat(gets.get(0).range()).isNull();
        assertThat(gets.get(1).status()).isEqualTo(206);
        assertThat(rangeStart(gets.get(1))).as("resumed where the reset cut it, not from 0").isPositive().isLessThanOrEqualTo(150_000);
    }

    @Test
    void aTruncatedBlobIsResumedWithARange() throws IOException {
        proxy.inject("GET", blobPath(big), Fault.truncate(100_000), 1);
        assertPulledCorrectly(pull());
        List<Exchange> gets = blobGets(big);
        assertThat(gets).extracting(Exchange::faulted).containsExactly(true, false);
        assertThat(rangeStart(gets.get(1))).isEqualTo(100_000);
        assertThat(gets.get(1).status()).isEqualTo(206);
    }

    @Test
    void aTruncatedTarLayerIsResumedAndItsMembersStillExtractCorrectly() throws IOException {
        // a tar layer is extracted in the download's pass: the resumed retry replays the partial through a new sink
        proxy.inject("GET", blobPath(tar), Fault.truncate(tar.size() / 3), 1);
        assertPulledCorrectly(pull());
        List<Exchange> gets = blobGets(tar);
        assertThat(gets).extracting(Exchange::faulted).containsExactly(true, false);
        assertThat(rangeStart(gets.get(1))).isEqualTo(tar.size() / 3);
    }

    @Test
    void aStallShorterThanTheRetryBudgetIsResumed() throws IOException {
        proxy.inject("GET", blobPath(big), Fault.stall(200_000, Duration.ofSeconds(20)), 1);
        long t0 = System.nanoTime();
        assertPulledCorrectly(pull());
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("given up after the 1 s stall timeout, not the 20 s hold")
                .isLessThan(Duration.ofSeconds(10));
        List<Exchange> gets = blobGets(big);
        assertThat(gets).extracting(Exchange::faulted).containsExactly(true, false);
        assertThat(rangeStart(gets.get(1))).isEqualTo(200_000);
    }

    @Test
    void a429TwiceWaitsAsAskedThenSucceeds() throws IOException {
        FaultProxy.Rule rule = proxy.inject("GET", blobPath(big), Fault.status(429), 2);
        long t0 = System.nanoTime();
        assertPulledCorrectly(pull());
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("Retry-After: 1, twice").isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(rule.injected()).isEqualTo(2);
        assertThat(blobGets(big)).extracting(Exchange::status).containsExactly(429, 429, 200);
    }

    @Test
    void a502And503AreRetriedOnManifestsAndBlobs() throws IOException {
        proxy.inject("HEAD", "/manifests/v1$", Fault.status(503), 2);
        proxy.inject("GET", "/manifests/", Fault.status(502), 1);
        proxy.inject("GET", blobPath(big), Fault.status(502), 2);
        proxy.inject("GET", blobPath(tar), Fault.status(503), 2);
        assertPulledCorrectly(pull());
        assertThat(proxy.injected()).isEqualTo(7);
        assertThat(proxy.exchanges("/manifests/v1$")).extracting(Exchange::status).containsExactly(503, 503, 200);
        assertThat(blobGets(big)).extracting(Exchange::status).containsExactly(502, 502, 200);
        assertThat(blobGets(tar)).extracting(Exchange::status).containsExactly(503, 503, 200);
    }

    @Test
    void aBlobCutOffThreeWaysInARowArrivesWholeResumedEachTime() throws IOException {
        // rules are tried in order: the first attempt is reset, the second truncated, the third stalls
        proxy.inject("GET", blobPath(big), Fault.reset(100_000), 1);
        proxy.inject("GET", blobPath(big), Fault.truncate(100_000), 1);
        proxy.inject("GET", blobPath(big), Fault.stall(50_000, Duration.ofSeconds(20)), 1);
        assertPulledCorrectly(pull());
        List<Exchange> gets = blobGets(big);
        assertThat(gets).extracting(Exchange::faulted).containsExactly(true, true, true, false);
        long previous = 0;
        for (Exchange x : gets.subList(1, 4)) {
            long from = rangeStart(x);
            assertThat(from).as("each retry asks for less").isGreaterThan(previous);
            previous = from;
        }
    }

    // ------------------------------------------------------------------------------------------- permanent

    @Test
    void wrongBytesOfTheRightLengthAreRefused() throws IOException {
        FaultProxy.Rule rule = proxy.inject("GET", blobPath(big), Fault.corrupt(-1), FaultProxy.ALWAYS);
        byte[] wrong = files.get("m/big.bin").clone();
        wrong[wrong.length / 2] ^= (byte) 0xff;
        assertThatThrownBy(this::pull).isInstanceOfSatisfying(ContentException.class, e -> {
            assertThat(e.kind()).isEqualTo(ContentException.Kind.DIGEST_MISMATCH);
            assertThat(e.getMessage()).contains("digest mismatch").contains(Digest.sha256Of(wrong).toString());
            try {
                assertRefusedAndNothingLanded(e, big, true, Digest.sha256Of(wrong));
            } catch (IOException x) {
                throw new AssertionError(x);
            }
        });
        assertThat(rule.injected()).as("wrong content is not fetched again").isEqualTo(1);
    }

    @Test
    void wrongBytesInATarLayerAreRefused() throws IOException {
        proxy.inject("GET", blobPath(tar), Fault.corrupt(700), FaultProxy.ALWAYS);
        assertThatThrownBy(this::pull).satisfies(e -> {
            assertThat(e.getMessage()).contains("mismatch");
            assertRefusedAndNothingLanded(e, tar, true);
        });
        assertThat(blobGets(tar)).hasSize(1);
    }

    @Test
    void aPersistent500FailsAtOnce() throws IOException {
        proxy.inject("GET", blobPath(big), Fault.status(500), FaultProxy.ALWAYS);
        assertThatThrownBy(this::pull).isInstanceOfSatisfying(ContentException.class, e -> {
            assertThat(e.kind()).isEqualTo(ContentException.Kind.UNAVAILABLE);
            assertThat(e.getMessage()).contains("HTTP 500");
        }).satisfies(e -> assertRefusedAndNothingLanded(e, big, false));
        assertThat(blobGets(big)).as("a 500 is not retried").hasSize(1);
    }

    @Test
    void aRedirectLoopEndsInOneLine() throws IOException {
        proxy.inject("GET", blobPath(big), Fault.redirectLoop(), FaultProxy.ALWAYS);
        assertThatThrownBy(this::pull).isInstanceOfSatisfying(ContentException.class, e -> {
            assertThat(e.kind()).isEqualTo(ContentException.Kind.INVALID);
            assertThat(e.getMessage()).contains("too many redirects (10)");
        }).satisfies(e -> assertRefusedAndNothingLanded(e, big, false));
        assertThat(blobGets(big)).as("10 hops, not retried").hasSize(10);
    }

    @Test
    void aLongerContentLengthIsRefused() throws IOException {
        proxy.inject("GET", blobPath(big), Fault.contentLength(+1000), FaultProxy.ALWAYS);
        assertThatThrownBy(this::pull).isInstanceOfSatisfying(ContentException.class, e -> {
            assertThat(e.kind()).isEqualTo(ContentException.Kind.SIZE_MISMATCH);
            assertThat(e.getMessage()).contains("sends " + (big.size() + 1000) + " bytes").contains("whose size is " + big.size());
        }).satisfies(e -> assertRefusedAndNothingLanded(e, big, true));
        assertThat(blobGets(big)).hasSize(1);
    }

    @Test
    void aShorterContentLengthIsRefused() throws IOException {
        proxy.inject("GET", blobPath(big), Fault.contentLength(-1000), FaultProxy.ALWAYS);
        assertThatThrownBy(this::pull).isInstanceOfSatisfying(ContentException.class, e -> {
            assertThat(e.kind()).isEqualTo(ContentException.Kind.SIZE_MISMATCH);
            assertThat(e.getMessage()).contains("sends " + (big.size() - 1000) + " bytes");
        }).satisfies(e -> assertRefusedAndNothingLanded(e, big, true));
        assertThat(blobGets(big)).hasSize(1);
    }

    @Test
    void a503ThatNeverEndsFailsWithinTheRetryBudget() throws IOException {
        proxy.inject("GET", blobPath(big), Fault.status(503), FaultProxy.ALWAYS);
        assertThatThrownBy(this::pull).isInstanceOfSatisfying(ContentException.class, e -> {
            assertThat(e.kind()).isEqualTo(ContentException.Kind.UNAVAILABLE);
            assertThat(e.getMessage()).contains("HTTP 503");
        }).satisfies(e -> assertRefusedAndNothingLanded(e, big, false));
        assertThat(blobGets(big)).as("1 + MODELREG_RETRIES requests, not the transport's retries once more per copy retry")
                .hasSize(4);
    }

    @Test
    void aStallThatNeverEndsFailsWithinTheRetryBudget() throws IOException {
        proxy.inject("GET", blobPath(big), Fault.stall(100_000, Duration.ofSeconds(20)), FaultProxy.ALWAYS);
        assertThatThrownBy(this::pull).isInstanceOfSatisfying(ContentException.class, e -> {
            assertThat(e.kind()).isEqualTo(ContentException.Kind.UNAVAILABLE);
            assertThat(e.getMessage()).contains("less than 1024 bytes moved in 1 s, giving up (MODELREG_STALL_TIMEOUT)");
        }).satisfies(e -> assertRefusedAndNothingLanded(e, big, false));
        // each attempt got 100 kB further (resumed), then the budget (1 + MODELREG_RETRIES attempts) was spent
        assertThat(blobGets(big)).extracting(Exchange::range).containsExactly(null, "bytes=100000-", "bytes=200000-", "bytes=300000-");
        assertThat(tmp.resolve("cache/ingest/sha256-" + big.digest().hex() + ".partial")).as("kept for the next run to resume")
                .hasSize(400_000);
    }
}
