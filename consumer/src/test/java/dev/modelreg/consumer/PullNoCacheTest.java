package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.content.RegistryOptions;
import dev.modelreg.content.store.RegistryStore;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.OciReference;
import dev.modelreg.testkit.RegistryFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pull --no-cache} (spec 9.1): every file verified into the directory, no layer in the cache, no scratch left
 * beside the directory; what the cache held already is copied from it; a workspace edit cannot reach the cache.
 */
class PullNoCacheTest {
    static RegistryFixture registry;
    @TempDir static Path regDir;
    @TempDir Path tmp;

    @BeforeAll
    static void start() {
        registry = RegistryFixture.start(RegistryFixture.Mode.PLAIN, regDir);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void layersGoOnlyIntoTheDirectoryAndTheCacheIsUntouched() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("a/mfsim.nam", "BEGIN options\nEND options\n".getBytes(StandardCharsets.UTF_8));
        files.put("a/big.bin", ConsumeGitHubTest.bytes(3 << 20, 5));
        files.put("a/sub/k.bin", ConsumeGitHubTest.bytes(70_000, 7));
        files.put("b/mfsim.nam", "b\n".getBytes(StandardCharsets.UTF_8));
        files.put("b/big.bin", ConsumeGitHubTest.bytes(2 << 20, 9));
        Map<String, List<String>> models = Map.of("t/a", List.of("a/mfsim.nam", "a/big.bin", "a/sub/k.bin"),
                "t/b", List.of("b/mfsim.nam", "b/big.bin"));
        String ref = registry.host() + "/models/nocache:r1";
        TestArtifacts.Pushed p = TestArtifacts.push(RegistryStore.connect(OciReference.parse(ref), RegistryOptions.defaults()),
                "r1", files, models);
        Map<String, String> env = Map.of("MODELREG_CACHE", tmp.resolve("cache").toString(), "MODELREG_RANGED_MIN_MIB", "1");
        ModelReg reg = new ModelReg(ModelReg.loadConfig(null, env), Settings.from(env));

        Path out = tmp.resolve("out");
        reg.pull(reg.ref(ref), out, Selection.models(List.of()), Placement.NO_CACHE);
        for (Map.Entry<String, byte[]> f : files.entrySet()) assertThat(out.resolve(f.getKey())).hasBinaryContent(f.getValue());
        Cache cache = new Cache(tmp.resolve("cache"));
        assertThat(layers(p)).isNotEmpty();
        for (Descriptor l : layers(p)) assertThat(cache.has(l.digest())).isFalse();
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(x -> x.getFileName().toString())).noneMatch(n -> n.contains(".blobs-") || n.contains(".staging-"));
        }

        // into a directory that has files: file by file, still no layer cached; an edit there cannot reach the cache
        Files.write(out.resolve("a/big.bin"), new byte[] {1, 2, 3});
        reg.pull(reg.ref(ref), out, Selection.models(List.of("t/a")), Placement.NO_CACHE);
        assertThat(out.resolve("a/big.bin")).hasBinaryContent(files.get("a/big.bin"));
        for (Descriptor l : layers(p)) assertThat(cache.has(l.digest())).isFalse();

        // what the cache holds already is copied from it; the rest downloads without entering it
        reg.pull(reg.ref(ref), tmp.resolve("cached"), Selection.models(List.of("t/b")), Placement.COPY);
        Path out2 = tmp.resolve("out2");
        registry.clearRequests();
        reg.pull(reg.ref(ref), out2, Selection.models(List.of()), Placement.NO_CACHE);
        for (Map.Entry<String, byte[]> f : files.entrySet()) assertThat(out2.resolve(f.getKey())).hasBinaryContent(f.getValue());
        assertThat(cache.has(dev.modelreg.spec.Digest.sha256Of(files.get("b/big.bin")))).isTrue();
        assertThat(cache.has(dev.modelreg.spec.Digest.sha256Of(files.get("a/big.bin")))).isFalse();
    }

    @Test
    void copyOfOneModelWritesItsLayersOnlyIntoTheWorkspace() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("a/mfsim.nam", "BEGIN options\nEND options\n".getBytes(StandardCharsets.UTF_8));
        files.put("a/big.bin", ConsumeGitHubTest.bytes(2 << 20, 13));
        files.put("b/mfsim.nam", "b\n".getBytes(StandardCharsets.UTF_8));
        String ref = registry.host() + "/models/nocache-copy:r1";
        TestArtifacts.Pushed p = TestArtifacts.push(RegistryStore.connect(OciReference.parse(ref), RegistryOptions.defaults()),
                "r1", files, Map.of("t/a", List.of("a/mfsim.nam", "a/big.bin"), "t/b", List.of("b/mfsim.nam")));
        Map<String, String> env = Map.of("MODELREG_CACHE", tmp.resolve("cache").toString());
        ModelReg reg = new ModelReg(ModelReg.loadConfig(null, env), Settings.from(env));

        Path ws = tmp.resolve("ws");
        reg.copyFrom(reg.ref(ref), "t/a", ws, false, Placement.NO_CACHE, Selection.ALL);
        assertThat(ws.resolve("mfsim.nam")).hasBinaryContent(files.get("a/mfsim.nam"));
        assertThat(ws.resolve("big.bin")).hasBinaryContent(files.get("a/big.bin"));
        Cache cache = new Cache(tmp.resolve("cache"));
        for (Descriptor l : layers(p)) assertThat(cache.has(l.digest())).as("layer %s", l.digest()).isFalse();
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(x -> x.getFileName().toString())).noneMatch(n -> n.contains(".blobs-") || n.contains(".staging-"));
        }

        // the default copy keeps them: the same model again, now cached, and an edit of the first workspace stays there
        Files.write(ws.resolve("big.bin"), new byte[] {4, 5, 6});
        reg.copyFrom(reg.ref(ref), "t/a", tmp.resolve("ws2"), false, Placement.COPY, Selection.ALL);
        assertThat(tmp.resolve("ws2/big.bin")).hasBinaryContent(files.get("a/big.bin"));
        assertThat(cache.has(dev.modelreg.spec.Digest.sha256Of(files.get("a/big.bin")))).isTrue();
    }

    static List<Descriptor> layers(TestArtifacts.Pushed p) {
        return p.parsed().layers();
    }
}
