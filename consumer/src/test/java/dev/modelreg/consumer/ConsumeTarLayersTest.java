package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.content.RegistryOptions;
import dev.modelreg.content.store.RegistryStore;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.OciReference;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tar layers are cached whole and files are written out of them in the same pass as the download: every member is
 * checked against models.toml before the layer may enter the cache, and checked again when a later copy reads it
 * back. Pulls into a new directory swap it in; pulls into an existing one replace files only when all verified.
 */
class ConsumeTarLayersTest extends PlainRegistryTest {
    @TempDir Path tmp;
    final Map<String, byte[]> files = new LinkedHashMap<>();
    final Map<String, List<String>> models = new LinkedHashMap<>();
    Map<String, String> env;
    String repo;

    @BeforeEach
    void setUp() {
        repo = "models/tar" + Long.toHexString(System.nanoTime());
        // content unique to this test: blobs are shared by every repository of the registry
        files.put("a/mfsim.nam", (repo + " a\n").getBytes(StandardCharsets.UTF_8));
        files.put("a/gwf/model.dis", ConsumeGitHubTest.bytes(3000, 21));
        files.put("a/gwf/k.bin", ConsumeGitHubTest.bytes(60_000, 22));
        files.put("b/mfsim.nam", (repo + " b\n").getBytes(StandardCharsets.UTF_8));
        files.put("b/wel.txt", ConsumeGitHubTest.bytes(1200, 23));
        models.put("t/a", List.of("a/mfsim.nam", "a/gwf/model.dis", "a/gwf/k.bin"));
        models.put("t/b", List.of("b/mfsim.nam", "b/wel.txt"));
        env = new HashMap<>();
        env.put("MODELREG_CACHE", tmp.resolve("cache").toString());
    }

    TestArtifacts.Pushed push(String tag, Map<String, byte[]> lies) throws IOException {
        RegistryStore store = RegistryStore.connect(OciReference.parse(registry.host() + "/" + repo),
                RegistryOptions.fromEnvironment(Map.of()));
        return TestArtifacts.push(store, tag, files, models, lies);
    }

    ModelReg reg(boolean offline) throws IOException {
        Path b = tmp.resolve("bootstrap.toml");
        Files.writeString(b, "[sources.tm]\nname = \"t\"\noci = \"" + registry.host() + "/" + repo + "\"\nrefs = [\"v1\"]\n");
        return new ModelReg(ModelReg.loadConfig(b, Map.of()), Settings.from(env).withOffline(offline));
    }

    Path cached(Descriptor d) {
        return tmp.resolve("cache/blobs/sha256/" + d.digest().hex());
    }

    static List<Path> partials(Path dir) throws IOException {
        if (!Files.exists(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".partial")).toList();
        }
    }

    @Test
    void aTarLayerIsCachedWholeAndServesLaterCopiesOffline() throws IOException {
        TestArtifacts.Pushed p = push("v1", Map.of());
        Descriptor tar = p.layerOf("a/gwf/model.dis");
        reg(false).copy("t/a", tmp.resolve("ws1"), false);
        assertThat(cached(tar)).exists().hasSize(tar.size());
        assertThat(tmp.resolve("ws1/gwf/model.dis")).hasBinaryContent(files.get("a/gwf/model.dis"));

        ModelReg off = reg(true);
        off.copy("t/a", tmp.resolve("ws2"), false);
        for (String k : models.get("t/a")) {
            assertThat(tmp.resolve("ws2").resolve(k.substring(2))).hasBinaryContent(files.get(k));
        }
        assertThat(off.requestCount()).isZero();
    }

    @Test
    void aCorruptCachedTarLayerFailsTheCopyAndWritesNothing() throws IOException {
        TestArtifacts.Pushed p = push("v1", Map.of());
        Descriptor tar = p.layerOf("a/gwf/model.dis");
        reg(false).copy("t/a", tmp.resolve("ws1"), false);
        try (RandomAccessFile f = new RandomAccessFile(cached(tar).toFile(), "rw")) {
            f.seek(1024); // inside the first member's content (after its 512-byte header)
            int x = f.read();
            f.seek(1024);
            f.write(x ^ 0xff);
        }
        Path ws = tmp.resolve("ws2");
        assertThatThrownBy(() -> reg(true).copy("t/a", ws, false))
                .hasMessageContaining("digest mismatch").hasMessageContaining("cached layer " + tar.digest());
        assertThat(ws).doesNotExist();
        assertThat(partials(tmp)).isEmpty();
    }

    @Test
    void aTarMemberThatContradictsTheRegistryKeepsTheLayerOutOfTheCache() throws IOException {
        // the layer is intact (its digest matches the manifest) but models.toml lists another hash for b/wel.txt
        TestArtifacts.Pushed p = push("v1", Map.of("b/wel.txt", "something else".getBytes(StandardCharsets.UTF_8)));
        Descriptor tar = p.layerOf("b/wel.txt");
        ModelReg reg = reg(false);
        // copying only b/mfsim.nam's model still reads the whole layer: every member is checked before caching
        assertThatThrownBy(() -> reg.copy("t/b", tmp.resolve("ws"), false))
                .hasMessageContaining("file 'b/wel.txt'").hasMessageContaining("digest mismatch");
        assertThat(cached(tar)).doesNotExist();
        assertThat(tmp.resolve("ws")).doesNotExist();
        try (Stream<Path> s = Files.list(tmp.resolve("cache/ingest"))) {
            assertThat(s).isEmpty();
        }
        // the other model's layers are fine
        reg.copy("t/a", tmp.resolve("ok"), false);
        assertThat(tmp.resolve("ok/mfsim.nam")).hasBinaryContent(files.get("a/mfsim.nam"));
    }

    @Test
    void pullIntoAnExistingDirectoryReplacesListedFilesAndKeepsTheRest() throws IOException {
        push("v1", Map.of());
        Path dir = tmp.resolve("dir");
        Files.createDirectories(dir.resolve("b"));
        Files.writeString(dir.resolve("keep.txt"), "mine");
        Files.writeString(dir.resolve("b/mfsim.nam"), "stale");
        var r = reg(false).pull(registry.host() + "/" + repo + ":v1", dir, null);
        assertThat(r.files()).hasSize(files.size());
        assertThat(r.bytes()).isEqualTo(files.values().stream().mapToLong(b -> b.length).sum());
        for (Map.Entry<String, byte[]> f : files.entrySet()) assertThat(dir.resolve(f.getKey())).hasBinaryContent(f.getValue());
        assertThat(dir.resolve("keep.txt")).hasContent("mine");
        assertThat(partials(dir)).isEmpty();
    }

    @Test
    void aFileWhereThePullNeedsADirectoryIsNamed() throws IOException {
        push("v1", Map.of());
        Path dir = tmp.resolve("dir");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("a"), "a file, not a directory");
        assertThatThrownBy(() -> reg(false).pull(registry.host() + "/" + repo + ":v1", dir, null))
                .hasMessageContaining("cannot create the directory for 'a/")
                .hasMessageContaining(dir.resolve("a") + " exists and is not a directory");
        assertThat(dir.resolve("a")).hasContent("a file, not a directory");
        assertThat(dir.resolve("b")).doesNotExist();

        Path file = dir.resolve("a");
        assertThatThrownBy(() -> reg(false).pull(registry.host() + "/" + repo + ":v1", file, null))
                .hasMessage("pull target " + file + " exists and is not a directory");
    }

    @Test
    void aFailedPullIntoAnExistingDirectoryChangesNothing() throws IOException {
        push("v1", Map.of("b/wel.txt", "something else".getBytes(StandardCharsets.UTF_8)));
        Path dir = tmp.resolve("dir");
        Files.createDirectories(dir.resolve("a"));
        Files.writeString(dir.resolve("a/mfsim.nam"), "old");
        assertThatThrownBy(() -> reg(false).pull(registry.host() + "/" + repo + ":v1", dir, null))
                .hasMessageContaining("digest mismatch");
        assertThat(dir.resolve("a/mfsim.nam")).hasContent("old");
        assertThat(dir.resolve("b/wel.txt")).doesNotExist();
        assertThat(partials(dir)).isEmpty();

        Path fresh = tmp.resolve("fresh");
        assertThatThrownBy(() -> reg(false).pull(registry.host() + "/" + repo + ":v1", fresh, null))
                .hasMessageContaining("digest mismatch");
        assertThat(fresh).doesNotExist();
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(x -> x.getFileName().toString())).noneMatch(n -> n.contains("staging"));
        }
    }
}
