package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI killed at chosen instants (crash points, {@code MODELREG_TEST_CRASH_AT}: the process halts there as kill -9
 * would leave it), then run again: the cache pairs every state with the registry it describes, and a workspace is
 * the old one or the new one at its path, never missing, never a mix.
 */
class CrashCliTest {
    static final int KILLED = 137;
    static final String MODEL = "ex/one";

    @TempDir Path tmp;
    Path cache;
    Path config;
    Path layout;
    Path treeA;
    Path treeB;

    @BeforeEach
    void setUp() throws IOException {
        cache = tmp.resolve("cache");
        layout = tmp.resolve("layout");
        treeA = tree("a", "version A\n");
        treeB = tree("b", "version B, longer\n");
        config = Files.writeString(tmp.resolve("sources.toml"), "[sources.ex]\nname = \"ex\"\noci = \"oci-layout:" + layout
                + "\"\nrefs = [\"v1\"]\n", StandardCharsets.UTF_8);
    }

    /** A model repository with one model, {@code one}, whose input file says {@code text}. */
    Path tree(String name, String text) throws IOException {
        Path m = tmp.resolve(name).resolve("one");
        Files.createDirectories(m);
        Files.writeString(m.resolve("mfsim.nam"), "BEGIN options\nEND options\n");
        Files.writeString(m.resolve("input.txt"), text);
        return m.getParent();
    }

    Modelreg.Run run(String crashAt, String... args) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>(Map.of("MODELREG_CACHE", cache.toString(), "MODELREG_CONFIG", config.toString()));
        if (crashAt != null) env.put("MODELREG_TEST_CRASH_AT", crashAt);
        return Modelreg.run(tmp, Modelreg.FAST_JVM, env, args);
    }

    Modelreg.Run ok(String... args) throws IOException, InterruptedException {
        return Modelreg.ok(run(null, args), args);
    }

    String push(Path tree) throws IOException, InterruptedException {
        return (String) ok("push", tree.toString(), "oci-layout:" + layout + ":v1", "--name", "ex", "--json").json().get("digest");
    }

    /** The digest info reports for ex@v1 (a pinned copy adds a cached ref of its own). */
    @SuppressWarnings("unchecked")
    String infoDigest() throws IOException, InterruptedException {
        Map<String, Object> info = ok("info", "--json").json();
        List<Map<String, Object>> sources = (List<Map<String, Object>>) info.get("sources");
        List<Map<String, Object>> cached = (List<Map<String, Object>>) sources.get(0).get("cached");
        return (String) cached.stream().filter(c -> "v1".equals(c.get("ref"))).findFirst().orElseThrow().get("digest");
    }

    /**
     * The cached state and registry agree: info reports {@code digest}, and both a copy of the recorded ref and an
     * offline copy pinned to that digest serve that ref's files.
     */
    void assertCopyOfflineServes(String digest, String text) throws Exception {
        assertThat(infoDigest()).isEqualTo(digest);
        // the copy plans from the cached state's manifest and registry (no sync: the ref is cached)
        Path ws = tmp.resolve("ws-" + System.nanoTime());
        ok("copy", MODEL, ws.toString());
        assertThat(ws.resolve("input.txt")).hasContent(text.strip());
        Path pinned = tmp.resolve("pinned-" + System.nanoTime());
        ok("copy", "--offline", "ex@" + digest + "/one", pinned.toString());
        assertThat(pinned.resolve("input.txt")).hasContent(text.strip());
    }

    @Test
    void aSyncKilledAroundItsCommitLeavesTheOldPairOrTheNew() throws Exception {
        String a = push(treeA);
        ok("sync");
        String b = push(treeB); // the tag moved
        assertThat(b).isNotEqualTo(a);

        Modelreg.Run before = run("cache.before-state", "sync", "--force");
        assertThat(before.code()).as(before.err()).isEqualTo(KILLED);
        assertCopyOfflineServes(a, "version A");

        Modelreg.Run torn = run("atomic-write.before-rename", "sync", "--force");
        assertThat(torn.code()).as(torn.err()).isEqualTo(KILLED);
        assertThat(leftoverTemps(cache.resolve("sources"))).as("the new state, written but not renamed").hasSize(1);
        assertCopyOfflineServes(a, "version A");

        Modelreg.Run after = run("cache.after-state", "sync", "--force");
        assertThat(after.code()).as(after.err()).isEqualTo(KILLED);
        assertThat(leftoverTemps(cache.resolve("sources"))).as("the next sync removed the killed one's temp file").isEmpty();
        assertCopyOfflineServes(b, "version B, longer");
    }

    @Test
    void aRegistryCopyThatDoesNotMatchItsStateIsNeverServed() throws Exception {
        String a = push(treeA);
        ok("sync");
        Path refDir;
        try (Stream<Path> s = Files.walk(cache.resolve("sources"))) {
            refDir = s.filter(p -> p.endsWith("state.json")).findFirst().orElseThrow().getParent();
        }
        // an older cache layout kept only the copy: with the blob gone and the copy edited, nothing matches the state
        byte[] registry = Files.readAllBytes(refDir.resolve("models.toml"));
        Path blob = cache.resolve("blobs/sha256").resolve(Digest.sha256Of(registry).hex());
        assertThat(blob).exists();
        Files.delete(blob);
        Files.writeString(refDir.resolve("models.toml"), new String(registry, StandardCharsets.UTF_8)
                .replace("input.txt", "other.txt"));
        Modelreg.Run offline = run(null, "copy", "--offline", MODEL, tmp.resolve("w").toString());
        assertThat(offline.code()).as("offline and not cached").isEqualTo(7);
        assertThat(offline.err()).contains("offline").contains("not in the cache");
        assertThat(tmp.resolve("w")).doesNotExist();
        // online, the ref is synced again and served as recorded
        ok("copy", MODEL, tmp.resolve("w").toString());
        assertThat(tmp.resolve("w/input.txt")).hasContent("version A");
        assertThat(infoDigest()).isEqualTo(a);
    }

    @Test
    void aCopyKilledBetweenTheTwoRenamesOfItsSwapIsRestoredByTheNextRun() throws Exception {
        push(treeA);
        Path ws = tmp.resolve("ws");
        ok("copy", MODEL, ws.toString());
        push(treeB);
        ok("sync", "--force");

        Modelreg.Run killed = run("workspace.moved-aside", "copy", MODEL, ws.toString(), "--overwrite");
        assertThat(killed.code()).as(killed.err()).isEqualTo(KILLED);
        assertThat(ws).as("killed between the renames: the old workspace is aside").doesNotExist();
        assertThat(beside("ws")).anySatisfy(n -> assertThat(n).startsWith(".ws.old-"));

        // the next run on that workspace, even a verify, puts it back first
        Modelreg.Run verify = run(null, "verify", MODEL, ws.toString());
        assertThat(verify.code()).as("the restored workspace is version A, the ref is B now").isEqualTo(2);
        assertThat(ws.resolve("input.txt")).hasContent("version A");
        assertThat(beside("ws")).isEmpty();

        Modelreg.Run staged = run("workspace.staged", "copy", MODEL, ws.toString(), "--overwrite");
        assertThat(staged.code()).isEqualTo(KILLED);
        assertThat(ws.resolve("input.txt")).hasContent("version A");
        assertThat(beside("ws")).anySatisfy(n -> assertThat(n).startsWith(".ws.staging-"));
        ok("copy", MODEL, ws.toString(), "--overwrite");
        assertThat(ws.resolve("input.txt")).hasContent("version B, longer");
        ok("verify", MODEL, ws.toString());
        assertThat(beside("ws")).as("staging and lock files are gone").isEmpty();
    }

    @Test
    void aPullIntoAnExistingDirectoryKilledBeforeItsRenamesChangesNoFile() throws Exception {
        push(treeA);
        Path dir = tmp.resolve("dir");
        ok("pull", "ex@v1", dir.toString());
        push(treeB);
        ok("sync", "--force");
        Modelreg.Run killed = run("workspace.files-written", "pull", "ex@v1", dir.toString());
        assertThat(killed.code()).isEqualTo(KILLED);
        assertThat(dir.resolve("one/input.txt")).hasContent("version A");
        assertThat(leftoverTemps(dir)).as("the killed run's temp files").isNotEmpty();
        ok("pull", "ex@v1", dir.toString());
        assertThat(dir.resolve("one/input.txt")).hasContent("version B, longer");
        assertThat(leftoverTemps(dir)).as("removed by the next pull").isEmpty();
    }

    List<String> beside(String name) throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("." + name + ".")).toList();
        }
    }

    static List<Path> leftoverTemps(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".") && p.getFileName().toString().endsWith(".partial"))
                    .toList();
        }
    }
}
