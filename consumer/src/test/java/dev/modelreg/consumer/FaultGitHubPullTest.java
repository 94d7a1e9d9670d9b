package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.content.ContentException;
import dev.modelreg.spec.Digest;
import dev.modelreg.testkit.FaultProxy;
import dev.modelreg.testkit.FaultProxy.Exchange;
import dev.modelreg.testkit.FaultProxy.Fault;
import dev.modelreg.testkit.GitHubFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite for GitHub mode: raw files and release assets from the GitHub fixture through {@link FaultProxy}
 * (every GitHub base URL points at the proxy; the fixture's redirects are rewritten to come back through it), with
 * short timeouts. Transient faults end in a workspace whose files are all correct, resumed with {@code Range} where
 * the engine resumes; permanent ones in a one-line error naming the file and its URL, with nothing unverified in
 * the cache's blobs or the workspace.
 */
@Timeout(30)
class FaultGitHubPullTest {
    static final String RAW = "https://raw.githubusercontent.com";

    @TempDir Path tmp;
    GitHubFixture gh;
    FaultProxy proxy;
    Path bootstrap;
    Map<String, String> env;
    final Map<String, byte[]> files = new LinkedHashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        gh = GitHubFixture.start(tmp.resolve("gh"));
        proxy = FaultProxy.start(Integer.parseInt(gh.baseUrl().substring(gh.baseUrl().lastIndexOf(':') + 1)));
        files.put("ex1/mfsim.nam", "BEGIN options\nEND options\n".getBytes(StandardCharsets.UTF_8));
        files.put("ex1/gwf/model.dis", ConsumeGitHubTest.bytes(30_000, 7));
        files.put("ex1/gwf/big.bin", ConsumeGitHubTest.bytes(300_000, 11));
        bootstrap = tmp.resolve("bootstrap.toml");
        Files.writeString(bootstrap, "[sources.testmodels]\nrepo = \"org/models\"\nname = \"test\"\nrefs = [\"develop\", \"v1.0\"]\n");
        env = new HashMap<>();
        env.put("MODELREG_GITHUB_URL", proxy.baseUrl());
        env.put("MODELREG_GITHUB_RAW_URL", proxy.baseUrl());
        env.put("MODELREG_GITHUB_API_URL", proxy.baseUrl());
        env.put("MODELREG_CACHE", tmp.resolve("cache").toString());
        env.put("MODELREG_TIMEOUT", "5");
        env.put("MODELREG_STALL_TIMEOUT", "1");
        env.put("MODELREG_RETRIES", "3");
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        gh.close();
    }

    /** A raw-mode ref: files under examples/, models.toml with their hashes and raw URLs. */
    void publishRaw() {
        StringBuilder toml = new StringBuilder("schema_version = \"1.0\"\n");
        files.forEach((k, v) -> {
            gh.putRaw("org", "models", "develop", "examples/" + k, v);
            toml.append("\n[files.\"").append(k).append("\"]\nhash = \"").append(Digest.sha256Of(v).hex())
                    .append("\"\nurl = \"").append(RAW).append("/org/models/develop/examples/").append(k).append("\"\n");
        });
        toml.append("\n[models]\n\"test/ex1\" = [\"ex1/mfsim.nam\", \"ex1/gwf/model.dis\", \"ex1/gwf/big.bin\"]\n");
        gh.putRaw("org", "models", "develop", ".registry/models.toml", toml.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A release-mode ref: models.toml (no hashes) and models.zip as assets of release v1.0. */
    void publishRelease() throws IOException {
        StringBuilder toml = new StringBuilder();
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            for (var e : files.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
                toml.append("[files.\"").append(e.getKey()).append("\"]\nurl = \"https://github.com/org/models/releases/download/v1.0/models.zip\"\n\n");
            }
        }
        toml.append("[models]\n\"test/ex1\" = [\"ex1/mfsim.nam\", \"ex1/gwf/model.dis\", \"ex1/gwf/big.bin\"]\n");
        gh.putRelease("org", "models", "v1.0", "models.toml", toml.toString().getBytes(StandardCharsets.UTF_8));
        gh.putRelease("org", "models", "v1.0", "models.zip", zip.toByteArray());
    }

    Path ws() {
        return tmp.resolve("ws");
    }

    Results.CopyResult copy(String model) throws IOException {
        return new ModelReg(ModelReg.loadConfig(bootstrap, Map.of()), Settings.from(env)).copy(model, ws(), false);
    }

    static String rawPath(String key) {
        return "/examples/" + key.replace(".", "\\.") + "$";
    }

    void assertCopiedCorrectly() throws IOException {
        for (var e : files.entrySet()) {
            assertThat(ws().resolve(e.getKey().substring("ex1/".length()))).hasBinaryContent(e.getValue());
        }
        assertCacheHoldsOnlyVerifiedBlobs();
        try (Stream<Path> s = Files.list(tmp.resolve("cache/ingest"))) {
            assertThat(s).as("no partial or temp file left after success").isEmpty();
        }
    }

    void assertCacheHoldsOnlyVerifiedBlobs() throws IOException {
        Path blobs = tmp.resolve("cache/blobs/sha256");
        if (!Files.isDirectory(blobs)) return;
        try (Stream<Path> s = Files.list(blobs)) {
            assertThat(s).allSatisfy(p -> assertThat(Digest.sha256Of(Files.readAllBytes(p)).hex())
                    .as("content of %s", p).isEqualTo(p.getFileName().toString()));
        }
    }

    /**
     * One line naming {@code key} and its URL (through the proxy); {@code key}'s content (and {@code alsoAbsent}) is
     * not in the cache, the cache holds only verified blobs, a partial kept for a resume is a true prefix of its file
     * (none of {@code key} when {@code wrongContent}), and no workspace or staging leftover exists.
     */
    void assertRefusedAndNothingLanded(Throwable e, String key, boolean wrongContent, Digest... alsoAbsent) throws IOException {
        assertThat(e.getMessage()).doesNotContain("\n").contains("'" + key + "'").contains(proxy.baseUrl());
        Digest good = Digest.sha256Of(files.get(key));
        assertThat(tmp.resolve("cache/blobs/sha256/" + good.hex())).doesNotExist();
        for (Digest d : alsoAbsent) assertThat(tmp.resolve("cache/blobs/sha256/" + d.hex())).doesNotExist();
        assertCacheHoldsOnlyVerifiedBlobs();
        Map<String, byte[]> byHex = new HashMap<>();
        files.values().forEach(v -> byHex.put(Digest.sha256Of(v).hex(), v));
        if (Files.isDirectory(tmp.resolve("cache/ingest"))) {
            try (Stream<Path> s = Files.list(tmp.resolve("cache/ingest"))) {
                for (Path p : s.toList()) {
                    String n = p.getFileName().toString();
                    assertThat(n).as("only resumable partials stay").matches("sha256-[0-9a-f]{64}\\.partial");
                    String hex = n.substring(7, 71);
                    if (wrongContent) assertThat(hex).as("no partial of wrong content is kept").isNotEqualTo(good.hex());
                    byte[] kept = Files.readAllBytes(p);
                    assertThat(kept).as("partial %s is a prefix of its file", n).isEqualTo(Arrays.copyOf(byHex.get(hex), kept.length));
                }
            }
        }
        assertThat(ws()).doesNotExist();
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".ws."));
        }
    }

    List<Exchange> gets(String pathRegex) {
        return proxy.exchanges(pathRegex).stream().filter(x -> x.method().equals("GET")).toList();
    }

    // ------------------------------------------------------------------------------------------- transient

    @Test
    void rawFilesCutOffMidwayAreResumedWithARangeAndA503OnTheRegistryFileIsRetried() throws IOException {
        publishRaw();
        proxy.inject("GET", "/\\.registry/models\\.toml$", Fault.status(503), 2);
        proxy.inject("GET", rawPath("ex1/gwf/big.bin"), Fault.reset(120_000), 1);
        proxy.inject("GET", rawPath("ex1/gwf/model.dis"), Fault.truncate(10_000), 1);
        copy("test/ex1");
        assertCopiedCorrectly();
        assertThat(proxy.injected()).isEqualTo(4);
        assertThat(gets("/\\.registry/models\\.toml$")).extracting(Exchange::status).containsExactly(503, 503, 200);
        List<Exchange> big = gets(rawPath("ex1/gwf/big.bin"));
        assertThat(big).extracting(Exchange::faulted).containsExactly(true, false);
        assertThat(big.get(1).status()).isEqualTo(206);
        assertThat(big.get(1).range()).matches("bytes=\\d+-");
        long from = Long.parseLong(big.get(1).range().replaceAll("\\D", ""));
        assertThat(from).as("resumed, not from 0").isPositive().isLessThanOrEqualTo(120_000);
        assertThat(gets(rawPath("ex1/gwf/model.dis"))).extracting(Exchange::range).containsExactly(null, "bytes=10000-");
    }

    @Test
    void aStalledRawFileIsResumed() throws IOException {
        publishRaw();
        proxy.inject("GET", rawPath("ex1/gwf/big.bin"), Fault.stall(100_000, Duration.ofSeconds(20)), 1);
        copy("test/ex1");
        assertCopiedCorrectly();
        assertThat(gets(rawPath("ex1/gwf/big.bin"))).extracting(Exchange::range).containsExactly(null, "bytes=100000-");
    }

    @Test
    void a429TwiceOnARawFileWaitsAsAsked() throws IOException {
        publishRaw();
        proxy.inject("GET", rawPath("ex1/gwf/big.bin"), Fault.status(429), 2);
        copy("test/ex1");
        assertCopiedCorrectly();
        assertThat(gets(rawPath("ex1/gwf/big.bin"))).extracting(Exchange::status).containsExactly(429, 429, 200);
    }

    @Test
    void aReleaseZipCutOffOnceIsFetchedAgain() throws IOException {
        publishRelease();
        proxy.inject("GET", "/_objects/.*/models\\.zip$", Fault.truncate(1000), 1);
        proxy.inject("GET", "/releases/download/v1\\.0/models\\.zip$", Fault.status(502), 1);
        copy("test@v1.0/ex1");
        for (var e : files.entrySet()) {
            assertThat(ws().resolve(e.getKey().substring("ex1/".length()))).hasBinaryContent(e.getValue());
        }
        assertCacheHoldsOnlyVerifiedBlobs();
        assertThat(gets("/models\\.zip$")).extracting(Exchange::status).containsExactly(502, 302, 200, 302, 200);
    }

    // ------------------------------------------------------------------------------------------- permanent

    @Test
    void wrongBytesOfARawFileAreRefused() throws IOException {
        publishRaw();
        proxy.inject("GET", rawPath("ex1/gwf/big.bin"), Fault.corrupt(-1), FaultProxy.ALWAYS);
        byte[] wrong = files.get("ex1/gwf/big.bin").clone();
        wrong[wrong.length / 2] ^= (byte) 0xff;
        assertThatThrownBy(() -> copy("test/ex1")).isInstanceOfSatisfying(ContentException.class, e -> {
            assertThat(e.kind()).isEqualTo(ContentException.Kind.DIGEST_MISMATCH);
            assertThat(e.getMessage()).contains("digest mismatch").contains(Digest.sha256Of(wrong).toString());
        }).satisfies(e -> assertRefusedAndNothingLanded(e, "ex1/gwf/big.bin", true, Digest.sha256Of(wrong)));
        assertThat(gets(rawPath("ex1/gwf/big.bin"))).as("not fetched again").hasSize(1);
    }

    @Test
    void aShorterContentLengthOfARawFileIsRefused() throws IOException {
        publishRaw();
        proxy.inject("GET", rawPath("ex1/gwf/big.bin"), Fault.contentLength(-1000), FaultProxy.ALWAYS);
        assertThatThrownBy(() -> copy("test/ex1")).isInstanceOfSatisfying(ContentException.class, e -> {
            assertThat(e.kind()).isEqualTo(ContentException.Kind.DIGEST_MISMATCH);
            assertThat(e.getMessage()).contains("digest mismatch").contains("(299000 bytes read)");
        }).satisfies(e -> assertRefusedAndNothingLanded(e, "ex1/gwf/big.bin", true,
                Digest.sha256Of(Arrays.copyOf(files.get("ex1/gwf/big.bin"), 299_000))));
    }

    @Test
    void aLongerContentLengthOfARawFileEndsInAResumeThatFindsNothingLeftAndTheFileIsVerified() throws IOException {
        // a raw file has no size in models.toml: the body ending early is a lost connection, kept and resumed; the
        // server's 416 "bytes */N" (N = what the partial holds) leaves nothing to fetch, and the sha256 decides
        publishRaw();
        proxy.inject("GET", rawPath("ex1/gwf/big.bin"), Fault.contentLength(+1000), FaultProxy.ALWAYS);
        copy("test/ex1");
        assertCopiedCorrectly();
        assertThat(gets(rawPath("ex1/gwf/big.bin"))).extracting(Exchange::range, Exchange::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(null, 200), org.assertj.core.groups.Tuple.tuple("bytes=300000-", 416));
    }

    @Test
    void aLongerContentLengthOverAShortBodyIsRefused() throws IOException {
        // the same lie over a file that is short (299 000 of its 300 000 bytes): the resume finds nothing left, and
        // the hash refuses what the partial holds
        publishRaw();
        proxy.inject("GET", rawPath("ex1/gwf/big.bin"), Fault.contentLength(+1000), FaultProxy.ALWAYS);
        gh.putRaw("org", "models", "develop", "examples/ex1/gwf/big.bin", Arrays.copyOf(files.get("ex1/gwf/big.bin"), 299_000));
        assertThatThrownBy(() -> copy("test/ex1")).isInstanceOfSatisfying(ContentException.class, e -> {
            assertThat(e.kind()).isEqualTo(ContentException.Kind.DIGEST_MISMATCH);
            assertThat(e.getMessage()).contains("digest mismatch").contains("(299000 bytes read)");
        }).satisfies(e -> assertRefusedAndNothingLanded(e, "ex1/gwf/big.bin", true));
    }

    @Test
    void aPersistent500OnARawFileFailsAtOnceInTheReferenceToolsWords() throws IOException {
        publishRaw();
        proxy.inject("GET", rawPath("ex1/gwf/big.bin"), Fault.status(500), FaultProxy.ALWAYS);
        assertThatThrownBy(() -> copy("test/ex1"))
                .hasMessageContaining("file 'ex1/gwf/big.bin' of test@develop (" + proxy.baseUrl())
                .hasMessageEndingWith(": HTTP Error 500: Internal Server Error")
                .satisfies(e -> assertRefusedAndNothingLanded(e, "ex1/gwf/big.bin", false));
        assertThat(gets(rawPath("ex1/gwf/big.bin"))).hasSize(1);
    }

    @Test
    void a503ThatNeverEndsOnARawFileFailsWithinTheRetryBudget() throws IOException {
        publishRaw();
        proxy.inject("GET", rawPath("ex1/gwf/big.bin"), Fault.status(503), FaultProxy.ALWAYS);
        assertThatThrownBy(() -> copy("test/ex1"))
                .hasMessageEndingWith(": HTTP Error 503: Service Unavailable")
                .satisfies(e -> assertRefusedAndNothingLanded(e, "ex1/gwf/big.bin", false));
        assertThat(gets(rawPath("ex1/gwf/big.bin"))).as("1 + MODELREG_RETRIES").hasSize(4);
    }

    @Test
    void aRedirectLoopOfAReleaseAssetEndsInOneLine() throws IOException {
        publishRelease();
        proxy.inject("GET", "/releases/download/v1\\.0/models\\.zip$", Fault.redirectLoop(), FaultProxy.ALWAYS);
        assertThatThrownBy(() -> copy("test@v1.0/ex1")).satisfies(e -> {
            assertThat(e.getMessage()).doesNotContain("\n").contains("too many redirects (10)").contains("release zip")
                    .contains(proxy.baseUrl());
        });
        assertThat(gets("/models\\.zip$")).hasSize(10);
        assertThat(ws()).doesNotExist();
        assertCacheHoldsOnlyVerifiedBlobs();
    }
}
