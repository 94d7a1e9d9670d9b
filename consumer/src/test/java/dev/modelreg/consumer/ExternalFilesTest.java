package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.Mirror;
import dev.modelreg.content.RegistryOptions;
import dev.modelreg.publisher.CreationTime;
import dev.modelreg.publisher.ExternalFiles;
import dev.modelreg.publisher.Push;
import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.ModelregException;
import dev.modelreg.spec.ModelsTomlCodec;
import dev.modelreg.spec.Reference;
import dev.modelreg.testkit.FaultProxy;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.StubServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files stored outside the registry (spec/README.md 3.14): push --external keeps them out of the layers, a pull fetches
 * them from their URLs (a local HTTP server) verified before caching, with no registry credentials; mirror
 * --internalize puts them into layers so the mirror serves everything with the HTTP server stopped. Against the real
 * registry.
 */
class ExternalFilesTest {
    static final String BINS = "**/*.bin";

    @TempDir Path tmp;

    /** Files by key under /files/, as an external store serves them (replaceable: a tampered file). */
    final Map<String, byte[]> served = new ConcurrentHashMap<>();

    StubServer files(String address) {
        return StubServer.http(address, x -> {
            String path = x.getRequestURI().getPath();
            byte[] b = path.startsWith("/files/") ? served.get(path.substring("/files/".length())) : null;
            StubServer.answer(x, b == null ? 404 : 200, b);
        });
    }

    Path models() throws IOException {
        Path dir = tmp.resolve("models");
        ConsumeDeltaTest.copyTree(ConsumePublishedTest.examples(), dir);
        ConsumeDeltaTest.tree(dir).forEach(served::put);
        return dir;
    }

    Push.Result push(Path dir, String dest, String urlBase, RegistryOptions ro) throws IOException {
        return Push.run(Push.Request.builder(dir, Reference.parse(dest)).name("example").namefile("mfsim.nam")
                .created(CreationTime.parse("2026-01-01T00:00:00Z")).registry(ro)
                .external(ExternalFiles.of(List.of(BINS), urlBase)).build());
    }

    ModelReg consumer(String cache, Map<String, String> env) throws IOException {
        Map<String, String> e = new HashMap<>(env);
        e.put("MODELREG_CACHE", tmp.resolve(cache).toString());
        return new ModelReg(ModelReg.loadConfig(null, Map.of()), Settings.from(e));
    }

    static Map<String, byte[]> bins(Map<String, byte[]> tree) {
        return tree.entrySet().stream().filter(e -> e.getKey().endsWith(".bin"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }

    Manifest manifest(ModelReg reg, Digest d) throws IOException {
        return Manifest.parse(Files.readAllBytes(reg.cacheRoot().resolve("blobs/sha256/" + d.hex())), "m");
    }

    @Test
    void externalFilesArePulledFromTheirUrlsVerifiedAndWithoutRegistryCredentials() throws IOException {
        Path dir = models();
        Map<String, byte[]> want = ConsumeDeltaTest.tree(dir);
        Map<String, byte[]> external = bins(want);
        assertThat(external).hasSizeGreaterThan(1);
        try (RegistryFixture registry = RegistryFixture.start(RegistryFixture.Mode.BASIC_AUTH, tmp.resolve("registry"));
             StubServer http = files("127.0.0.1")) {
            Map<String, String> creds = Map.of("MODELREG_REGISTRY_USER", registry.username(),
                    "MODELREG_REGISTRY_PASSWORD", registry.password());
            String ref = registry.host() + "/examples/ext:v1";
            Push.Result r = push(dir, ref, "http://" + http.host() + "/files",
                    RegistryOptions.fromEnvironment(creds));
            assertThat(http.seen()).as("push reads no URL").isEmpty();

            ModelReg a = consumer("a", creds);
            a.pull(ref, tmp.resolve("pulled"), null);
            ConsumeDeltaTest.assertSameTree(tmp.resolve("pulled"), want);
            Manifest m = manifest(a, r.digest());
            assertThat(Json.parse(m.annotations().get(Annotations.EXTERNAL))).isEqualTo(List.copyOf(external.keySet()));
            assertThat(m.layers()).as("no layer holds an external file")
                    .noneMatch(l -> external.containsKey(l.title()) || external.values().stream()
                            .anyMatch(b -> Digest.sha256Of(b).equals(l.digest())));
            var registryFile = ModelsTomlCodec.read(Files.readAllBytes(a.cacheRoot().resolve("blobs/sha256/"
                    + m.config().digest().hex())), "config");
            assertThat(registryFile.files().get("ex-gwf-bcf2ss/arrays/strt.bin").url())
                    .isEqualTo("http://" + http.host() + "/files/ex-gwf-bcf2ss/arrays/strt.bin");
            assertThat(http.seen()).as("one GET per external file").hasSize(external.size());
            assertThat(http.seen()).as("registry credentials never reach an external URL")
                    .allSatisfy(s -> assertThat(s.authorization()).isNull());
            assertThat(registry.requests()).as("no layer holds them").noneMatch(q -> external.values().stream()
                    .anyMatch(b -> q.path().endsWith(Digest.sha256Of(b).toString())));

            // cached: a second pull asks the HTTP server nothing, also offline
            Map<String, String> offline = new HashMap<>(creds);
            offline.put("MODELREG_OFFLINE", "1");
            String pinned = registry.host() + "/examples/ext@" + r.digest(); // offline: a digest (a tag is read online)
            consumer("a", offline).pull(pinned, tmp.resolve("again"), null);
            ConsumeDeltaTest.assertSameTree(tmp.resolve("again"), want);
            assertThat(http.seen()).hasSize(external.size());

            // a tampered external file is refused, names the file and its URL, and is not cached
            String key = "ex-gwf-bcf2ss/arrays/strt.bin";
            byte[] good = served.get(key);
            byte[] bad = good.clone();
            bad[bad.length / 2] ^= 1;
            served.put(key, bad);
            ModelReg b = consumer("b", creds);
            assertThatThrownBy(() -> b.pull(ref, tmp.resolve("tampered"), null))
                    .isInstanceOfSatisfying(ModelregException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ModelregException.Kind.DIGEST_MISMATCH);
                        assertThat(e.getMessage()).contains("file '" + key + "'").contains("/files/" + key).doesNotContain("\n");
                    });
            assertThat(b.cacheRoot().resolve("blobs/sha256/" + Digest.sha256Of(bad).hex())).doesNotExist();
            assertThat(b.cacheRoot().resolve("blobs/sha256/" + Digest.sha256Of(good).hex())).doesNotExist();
            assertThat(tmp.resolve("tampered").resolve(key)).doesNotExist();

            // offline without the file cached: one line, nothing fetched
            Map<String, String> offlineB = new HashMap<>(creds);
            offlineB.put("MODELREG_OFFLINE", "1");
            served.put(key, good);
            int before = http.seen().size();
            assertThatThrownBy(() -> consumer("b", offlineB).pull(pinned, tmp.resolve("offline"), null))
                    .isInstanceOfSatisfying(ModelregException.class, e -> assertThat(e.getMessage())
                            .startsWith("offline: ").contains("stored outside the registry"));
            assertThat(http.seen()).hasSize(before);
        }
    }

    @Test
    void mirrorInternalizeServesEverythingWithTheHttpServerStopped() throws IOException {
        Path dir = models();
        Map<String, byte[]> want = ConsumeDeltaTest.tree(dir);
        try (RegistryFixture registry = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("registry"))) {
            String ref = registry.host() + "/examples/ext:v1";
            String mirror = registry.host() + "/airgap/ext:v1";
            Push.Result r;
            RegistryOptions ro = RegistryOptions.fromEnvironment(Map.of());
            try (StubServer http = files("127.0.0.1")) {
                r = push(dir, ref, "http://" + http.host() + "/files", ro);
                ModelReg m = consumer("m", Map.of());
                Mirror.Result done = Mirror.run(Reference.parse(ref), Reference.parse(mirror), ro, CopyOptions.of(ro),
                        m.internalizer());
                assertThat(done.root().digest()).isNotEqualTo(r.digest());
                assertThat(http.seen()).hasSize(bins(want).size());
            }
            ModelReg c = consumer("c", Map.of());
            c.pull(mirror, tmp.resolve("pulled"), null); // the HTTP server is gone
            ConsumeDeltaTest.assertSameTree(tmp.resolve("pulled"), want);
            Reference mirrored = Reference.parse(mirror);
            Digest d = c.inspect(mirror).digest();
            Manifest m = manifest(c, d);
            assertThat(m.annotations()).doesNotContainKey(Annotations.EXTERNAL)
                    .containsEntry(Annotations.INTERNALIZED, r.digest().toString());
            assertThat(m.layers().stream().map(l -> l.title()).filter(t -> t != null && t.endsWith(".bin")).toList())
                    .containsExactlyInAnyOrderElementsOf(bins(want).keySet());
            assertThat(mirrored.tag()).isEqualTo("v1");

            // the source ref, with the server stopped, fails in one line naming the file and its URL
            ModelReg e = consumer("e", Map.of());
            assertThatThrownBy(() -> e.pull(ref, tmp.resolve("gone"), null))
                    .isInstanceOfSatisfying(ModelregException.class, x -> assertThat(x.getMessage())
                            .contains(".bin'").contains("/files/").doesNotContain("\n"));
        }
    }

    @Test
    void hostileExternalUrlsFailInOneLineAndCacheNothing() throws IOException {
        Path dir = models();
        Map<String, byte[]> want = ConsumeDeltaTest.tree(dir);
        String key = "ex-gwf-bcf2ss/arrays/strt.bin";
        Digest hash = Digest.sha256Of(served.get(key));
        try (RegistryFixture registry = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("registry"));
             StubServer http = files("127.0.0.1");
             StubServer other = files("127.0.0.2");
             FaultProxy proxy = FaultProxy.start(http.port())) {
            String ref = registry.host() + "/examples/ext:v1";
            push(dir, ref, proxy.baseUrl() + "/files", RegistryOptions.fromEnvironment(Map.of()));
            Map<String, String> env = Map.of("MODELREG_RETRIES", "0", "MODELREG_STALL_TIMEOUT", "2");
            record Case(String name, FaultProxy.Fault fault, ModelregException.Kind kind, String says) {}
            List<Case> cases = List.of(
                    new Case("wrong bytes", FaultProxy.Fault.corrupt(5), ModelregException.Kind.DIGEST_MISMATCH, "digest"),
                    new Case("another size", FaultProxy.Fault.contentLength(7), ModelregException.Kind.SIZE_MISMATCH,
                            "models.toml says"),
                    new Case("redirect loop", FaultProxy.Fault.redirectLoop(), null, "redirect"),
                    new Case("stall", FaultProxy.Fault.stall(3, Duration.ofSeconds(30)), null, key));
            int i = 0;
            for (Case c : cases) {
                proxy.clearRules();
                proxy.inject("GET", "/files/" + key, c.fault(), FaultProxy.ALWAYS);
                ModelReg reg = consumer("c" + i, env);
                Path to = tmp.resolve("ws" + i++);
                assertThatThrownBy(() -> reg.pull(ref, to, null)).as(c.name())
                        .isInstanceOfSatisfying(ModelregException.class, e -> {
                            if (c.kind() != null) assertThat(e.kind()).as(c.name()).isEqualTo(c.kind());
                            assertThat(e.getMessage()).as(c.name()).contains(key).containsIgnoringCase(c.says())
                                    .doesNotContain("\n");
                        });
                assertThat(reg.cacheRoot().resolve("blobs/sha256/" + hash.hex())).as(c.name()).doesNotExist();
                assertThat(to.resolve(key)).as(c.name()).doesNotExist();
            }

            // a redirect to another host is followed (the bytes are verified all the same), without credentials
            proxy.clearRules();
            String otherBase = "http://" + other.host() + "/files";
            try (StubServer redirector = StubServer.http("127.0.0.1", x -> StubServer.answer(x, 302, null,
                    "Location", otherBase + x.getRequestURI().getPath().substring("/files".length())))) {
                Path dir2 = tmp.resolve("models2");
                ConsumeDeltaTest.copyTree(dir, dir2);
                String ref2 = registry.host() + "/examples/redirected:v1";
                push(dir2, ref2, "http://127.0.0.1:" + redirector.port() + "/files", RegistryOptions.fromEnvironment(Map.of()));
                Map<String, String> creds = Map.of("MODELREG_REGISTRY_USER", "someone", "MODELREG_REGISTRY_PASSWORD", "secret");
                consumer("r", creds).pull(ref2, tmp.resolve("redirected"), null);
                ConsumeDeltaTest.assertSameTree(tmp.resolve("redirected"), want);
                assertThat(other.seen()).hasSize(bins(want).size())
                        .allSatisfy(s -> assertThat(s.authorization()).isNull());
                assertThat(redirector.seen()).allSatisfy(s -> assertThat(s.authorization()).isNull());
            }
        }
    }
}
