package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.content.RegistryOptions;
import dev.modelreg.content.store.RegistryStore;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.OciReference;
import dev.modelreg.testkit.GitHubFixture;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.Request;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OCI transport against the real distribution registry. */
class ConsumeOciTest extends PlainRegistryTest {
    @TempDir Path tmp;
    final Map<String, byte[]> files = new LinkedHashMap<>();
    final Map<String, List<String>> models = new LinkedHashMap<>();
    Map<String, String> env;
    String repo;
    int n;

    @BeforeEach
    void setUp() {
        files.put("ex1/mfsim.nam", "BEGIN options\nEND options\n".getBytes(StandardCharsets.UTF_8));
        files.put("ex1/gwf/model.dis", ConsumeGitHubTest.bytes(3000, 7));
        files.put("ex1/gwf/deep/k.bin", ConsumeGitHubTest.bytes(70_000, 11));
        files.put("ex2/mfsim.nam", "ex2 namefile\n".getBytes(StandardCharsets.UTF_8));
        files.put("ex2/big.bin", ConsumeGitHubTest.bytes(60_000, 13));
        files.put("ex3/mfsim.nam", "ex3\n".getBytes(StandardCharsets.UTF_8));
        models.put("test/ex1", List.of("ex1/mfsim.nam", "ex1/gwf/model.dis", "ex1/gwf/deep/k.bin"));
        models.put("test/ex2", List.of("ex2/mfsim.nam", "ex2/big.bin"));
        models.put("test/ex3", List.of("ex3/mfsim.nam"));
        env = new HashMap<>();
        env.put("MODELREG_CACHE", tmp.resolve("cache").toString());
        repo = "models/t" + Long.toHexString(System.nanoTime());
    }

    TestArtifacts.Pushed push(String tag) throws IOException {
        RegistryStore store = RegistryStore.connect(OciReference.parse(registry.host() + "/" + repo),
                RegistryOptions.fromEnvironment(Map.of()));
        return TestArtifacts.push(store, tag, files, models);
    }

    Path bootstrap(String extra) throws IOException {
        Path b = tmp.resolve("bootstrap-" + (n++) + ".toml");
        Files.writeString(b, "[sources.tm]\nname = \"test\"\noci = \"" + registry.host() + "/" + repo + "\"\nrefs = [\"develop\"]\n" + extra);
        return b;
    }

    ModelReg reg(Path bootstrap, boolean offline) throws java.io.IOException {
        return new ModelReg(ModelReg.loadConfig(bootstrap, Map.of()), Settings.from(env).withOffline(offline));
    }

    List<Request> blobGets() {
        return registry.requests().stream().filter(r -> r.method().equals("GET") && r.path().contains("/blobs/")).toList();
    }

    static Set<String> digestsIn(List<Request> rs) {
        return rs.stream().map(r -> r.path().substring(r.path().lastIndexOf('/') + 1)).collect(Collectors.toSet());
    }

    @Test
    void syncCopyVerifyAndOneRequestNoopSync() throws IOException {
        TestArtifacts.Pushed p = push("develop");
        ModelReg reg = reg(bootstrap(""), false);
        var s = reg.sync("tm", null, false);
        assertThat(s).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo("synced");
            assertThat(r.transport()).isEqualTo("oci");
            assertThat(r.digest()).isEqualTo(p.manifest().digest());
        });
        assertThat(tmp.resolve("cache/sources/tm/develop/models.toml")).hasBinaryContent(p.config());
        assertThat(reg.info()).singleElement().satisfies(i -> assertThat(i.cached()).singleElement()
                .satisfies(c -> assertThat(c.digest()).isEqualTo(p.manifest().digest())));

        // a fresh instance (as a new CLI process would be): one HEAD, nothing else
        registry.clearRequests();
        ModelReg fresh = reg(bootstrap(""), false);
        assertThat(fresh.sync("tm", "develop", false)).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo("unchanged"));
        assertThat(fresh.requestCount()).isEqualTo(1);
        List<Request> seen = registry.awaitRequests(l -> !l.isEmpty(), java.time.Duration.ofSeconds(5));
        assertThat(seen).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("HEAD");
            assertThat(r.path()).endsWith("/manifests/develop");
        });
        assertThat(blobGets()).isEmpty();

        // --force re-resolves and re-reads the manifest
        registry.clearRequests();
        assertThat(reg.sync("tm", "develop", true)).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo("synced"));

        Path ws = tmp.resolve("ws");
        var c = reg.copy("test/ex1", ws, false);
        assertThat(c.files()).containsExactlyInAnyOrder("mfsim.nam", "gwf/model.dis", "gwf/deep/k.bin");
        for (String k : models.get("test/ex1")) {
            assertThat(ws.resolve(k.substring("ex1/".length()))).hasBinaryContent(files.get(k));
        }
        assertThat(reg.verify("test/ex1", ws).ok()).isTrue();
        Files.write(ws.resolve("gwf/model.dis"), new byte[] {9});
        assertThat(reg.verify("test/ex1", ws).mismatches()).singleElement()
                .satisfies(m -> assertThat(m.path()).isEqualTo("gwf/model.dis"));
    }

    @Test
    void oneModelCopyFetchesOnlyThatModelsLayers() throws IOException {
        TestArtifacts.Pushed p = push("develop");
        ModelReg reg = reg(bootstrap(""), false);
        reg.sync("tm", null, false);
        registry.clearRequests();
        reg.copy("test/ex2", tmp.resolve("ws2"), false);
        Set<String> want = Set.of(p.layerOf("ex2/mfsim.nam").digest().toString(), p.layerOf("ex2/big.bin").digest().toString());
        List<Request> gets = registry.awaitRequests(l -> l.stream().filter(r -> r.path().contains("/blobs/")).count() >= 2,
                java.time.Duration.ofSeconds(5)).stream().filter(r -> r.method().equals("GET") && r.path().contains("/blobs/")).toList();
        assertThat(digestsIn(gets)).isEqualTo(want);
        assertThat(gets).hasSize(2);
        assertThat(p.parsed().layers()).hasSizeGreaterThan(3);

        // a second copy of the same model costs no request at all (registry cached, files cached)
        registry.clearRequests();
        long before = reg.requestCount();
        reg.copy("test/ex2", tmp.resolve("ws3"), false);
        assertThat(reg.requestCount()).isEqualTo(before);
    }

    @Test
    void pinnedDigestCopiesOfflineOnceCached() throws IOException {
        TestArtifacts.Pushed p = push("develop");
        String pin = p.manifest().digest().toString();
        Path b = bootstrap("");
        reg(b, false).copy("tm@" + pin + "/ex3", tmp.resolve("a"), false);
        assertThat(tmp.resolve("a/mfsim.nam")).hasBinaryContent(files.get("ex3/mfsim.nam"));
        // the tag moves on; the pin keeps its content
        files.put("ex3/mfsim.nam", "changed\n".getBytes(StandardCharsets.UTF_8));
        push("develop");
        registry.clearRequests();
        ModelReg off = reg(b, true);
        off.copy("tm@" + pin + "/ex3", tmp.resolve("b"), false);
        assertThat(tmp.resolve("b/mfsim.nam")).hasContent("ex3\n");
        assertThat(off.requestCount()).isZero();
        assertThat(off.list("tm", pin)).singleElement().satisfies(l -> assertThat(l.state().digest().toString()).isEqualTo(pin));
        assertThatThrownBy(() -> off.copy("test/ex1", tmp.resolve("c"), false)).hasMessageContaining("offline");
        assertThat(tmp.resolve("c")).doesNotExist();
    }

    @Test
    void tamperedBlobIsRefusedAndNothingLands() throws IOException {
        // blobs are shared by every repository of the registry: tamper only with content unique to this test
        byte[] salt = repo.getBytes(StandardCharsets.UTF_8);
        for (String k : List.of("ex1/gwf/model.dis", "ex1/gwf/deep/k.bin")) {
            byte[] b = files.get(k).clone();
            System.arraycopy(salt, 0, b, 0, salt.length);
            files.put(k, b);
        }
        TestArtifacts.Pushed p = push("develop");
        Descriptor tar = p.layerOf("ex1/gwf/model.dis");
        Descriptor big = p.layerOf("ex1/gwf/deep/k.bin");
        for (Descriptor d : List.of(tar, big)) {
            Path data = registry.storageDir().resolve("docker/registry/v2/blobs/sha256/" + d.digest().hex().substring(0, 2)
                    + "/" + d.digest().hex() + "/data");
            assertThat(data).exists();
            try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
                f.seek(600);
                int x = f.read();
                f.seek(600);
                f.write(x ^ 0xff);
            }
        }
        ModelReg reg = reg(bootstrap(""), false);
        Path ws = tmp.resolve("ws");
        assertThatThrownBy(() -> reg.copy("test/ex1", ws, false)).hasMessageContaining("mismatch");
        assertThat(ws).doesNotExist();
        for (String k : models.get("test/ex1")) {
            assertThat(tmp.resolve("cache/blobs/sha256/" + Digest.sha256Of(files.get(k)).hex())).doesNotExist();
        }
        assertThat(tmp.resolve("cache/blobs/sha256/" + tar.digest().hex())).doesNotExist();
        // a transfer cut off when the copy failed may keep its partial file for a later resume (never a verified blob)
        try (var s = Files.list(tmp.resolve("cache/ingest"))) {
            assertThat(s).allSatisfy(f -> assertThat(f.getFileName().toString()).endsWith(".partial"));
        }
        // other models are unaffected
        reg.copy("test/ex3", tmp.resolve("ok"), false);
        assertThat(tmp.resolve("ok/mfsim.nam")).hasBinaryContent(files.get("ex3/mfsim.nam"));
    }

    @Test
    void twoConcurrentColdCopiesBothSucceed() throws Exception {
        push("develop");
        Path b = bootstrap("");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Results.CopyResult>> jobs = List.of(
                    () -> reg(b, false).copy("test/ex1", tmp.resolve("w1"), false),
                    () -> reg(b, false).copy("test/ex1", tmp.resolve("w2"), false));
            for (Future<Results.CopyResult> f : pool.invokeAll(jobs)) assertThat(f.get().files()).hasSize(3);
        } finally {
            pool.shutdownNow();
        }
        for (String w : List.of("w1", "w2")) {
            assertThat(tmp.resolve(w + "/gwf/deep/k.bin")).hasBinaryContent(files.get("ex1/gwf/deep/k.bin"));
        }
        try (var s = Files.list(tmp.resolve("cache/ingest"))) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void pullWritesEveryFileByRegistryPathWithoutABootstrapEntry() throws IOException {
        TestArtifacts.Pushed p = push("v1");
        ModelReg reg = new ModelReg(new dev.modelreg.spec.BootstrapConfig(Map.of()), Settings.from(env));
        var r = reg.pull(registry.host() + "/" + repo + ":v1", tmp.resolve("all"), null);
        assertThat(r.digest()).isEqualTo(p.manifest().digest());
        for (var e : files.entrySet()) assertThat(tmp.resolve("all").resolve(e.getKey())).hasBinaryContent(e.getValue());
        reg.pull(registry.host() + "/" + repo + "@" + p.manifest().digest(), tmp.resolve("one"), List.of("test/ex2"));
        try (var s = Files.walk(tmp.resolve("one"))) {
            assertThat(s.filter(Files::isRegularFile).map(x -> tmp.resolve("one").relativize(x).toString()))
                    .containsExactlyInAnyOrder("ex2/mfsim.nam", "ex2/big.bin");
        }
        assertThatThrownBy(() -> reg.pull(registry.host() + "/" + repo + ":nope", tmp.resolve("x"), null))
                .hasMessageContaining("nope");
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    @Test
    void ociFirstThenGitHubOnNotFoundOnly() throws IOException {
        try (GitHubFixture gh = GitHubFixture.start(tmp.resolve("gh"))) {
            env.putAll(gh.env());
            String toml = "[files.\"a/mfsim.nam\"]\nhash = \"" + Digest.sha256Of("x\n".getBytes()).hex() + "\"\n\n[models]\n\"test/a\" = [\"a/mfsim.nam\"]\n";
            gh.putRaw("org", "models", "develop", ".registry/models.toml", toml.getBytes(StandardCharsets.UTF_8));
            gh.putRaw("org", "models", "develop", "a/mfsim.nam", "x\n".getBytes());
            ModelReg reg = reg(bootstrap("repo = \"org/models\"\n"), false);
            // nothing pushed: the OCI tag is not found, GitHub serves the ref
            assertThat(reg.sync("tm", null, false)).singleElement().satisfies(r -> assertThat(r.transport()).isEqualTo("github-raw"));
            reg.copy("test/a", tmp.resolve("a"), false);
            assertThat(tmp.resolve("a/mfsim.nam")).hasContent("x");
            // once pushed, OCI wins
            TestArtifacts.Pushed p = push("develop");
            assertThat(reg.sync("tm", null, false)).singleElement().satisfies(r -> {
                assertThat(r.transport()).isEqualTo("oci");
                assertThat(r.digest()).isEqualTo(p.manifest().digest());
            });
        }
    }

    @Test
    void authErrorsAreReportedNotMasked() throws IOException {
        try (RegistryFixture auth = RegistryFixture.start(RegistryFixture.Mode.BASIC_AUTH, tmp.resolve("auth"))) {
            Path b = tmp.resolve("auth.toml");
            Files.writeString(b, "[sources.tm]\nname = \"test\"\noci = \"" + auth.host() + "/models/x\"\nrepo = \"org/models\"\nrefs = [\"develop\"]\n");
            var r = reg(b, false).sync("tm", null, false);
            assertThat(r).singleElement().satisfies(x -> {
                assertThat(x.failed()).isTrue();
                assertThat(x.error()).contains("authentication required by " + auth.host()).contains("no credentials for " + auth.host());
            });
        }
    }
}
