package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.content.fs.Trees;
import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI killed at chosen instants (crash points, {@code MODELREG_TEST_CRASH_AT}: the process halts there as kill -9
 * would leave it), then run again: the cache pairs every state with the registry it describes, a workspace is the
 * old one or the new one at its path, never missing, never a mix, and a pull into a directory is finished or rolled
 * back by the next run on it.
 */
class CrashCliTest {
    static final int KILLED = 137;
    static final String MODEL = "ex/one";
    static final String JOURNAL = ".modelreg-pull.journal";

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

    /** Two models, one and two, of 13 files each in v1; v2 changes every file and adds two/new.txt: 27 renames. */
    Path twoModels(String name, Map<String, String> files, boolean second) throws IOException {
        for (String model : List.of("one", "two")) {
            List<String> names = new ArrayList<>(List.of("mfsim.nam"));
            for (int i = 0; i < 12; i++) names.add(String.format("%s%02d.txt", model.equals("one") ? "f" : "g", i));
            if (second && model.equals("two")) names.add("new.txt");
            for (String n : names) files.put(model + "/" + n, (second ? "v2 " : "v1 ") + model + "/" + n + (second ? " changed" : ""));
        }
        Path root = tmp.resolve(name);
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.createDirectories(root.resolve(f.getKey()).getParent());
            Files.writeString(root.resolve(f.getKey()), f.getValue());
        }
        return root;
    }

    /**
     * Which ref the files below {@code prefix} of {@code dir} hold, wholly: "v1" (a file v1 has not is absent), "v2",
     * or a description of the mix.
     */
    static String holds(Path dir, String prefix, Map<String, String> v1, Map<String, String> v2) throws IOException {
        int one = 0;
        int two = 0;
        List<String> other = new ArrayList<>();
        List<String> keys = v2.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
        for (String k : keys) {
            Path f = dir.resolve(k);
            String now = Files.exists(f) ? Files.readString(f) : null;
            if (v2.get(k).equals(now)) two++;
            else if (Objects.equals(v1.get(k), now)) one++;
            else other.add(k);
        }
        if (two == keys.size()) return "v2";
        if (one == keys.size()) return "v1";
        return "a mix: " + two + " of v2, " + one + " of v1, neither: " + other;
    }

    static List<String> leftovers(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".partial") || n.equals(JOURNAL)
                    || n.endsWith(".lock") || n.contains(".staging-") || n.contains(".old-")).toList();
        }
    }

    /**
     * A pull of v2 into a directory holding v1, halted before 10 of its 27 renames ({@code pull.rename-N}) and after
     * the last: the next pull, copy or verify on that directory says "interrupted pull of REF" in one line and
     * finishes the pull (every new file staged and verified) or rolls it back (a staged file lost); either way every
     * file is then wholly v1's or wholly v2's, and no temp file, kept file or journal is left.
     */
    @Test
    void aPullKilledAtTenRenamesIsFinishedOrRolledBackByTheNextCommand() throws Exception {
        Map<String, String> v1 = new TreeMap<>();
        Map<String, String> v2 = new TreeMap<>();
        Path a = twoModels("two-a", v1, false);
        Path b = twoModels("two-b", v2, true);
        String ref1 = "oci-layout:" + layout + ":v1";
        String ref2 = "oci-layout:" + layout + ":v2";
        ok("push", a.toString(), ref1, "--name", "ex");
        ok("push", b.toString(), ref2, "--name", "ex");
        Path pristine = tmp.resolve("pristine");
        ok("pull", ref1, pristine.toString());
        assertThat(holds(pristine, "", v1, v2)).isEqualTo("v1");
        assertThat(v2).hasSize(27);

        Path dir = tmp.resolve("dir");
        List<String> points = new ArrayList<>();
        for (int n : new int[] {1, 3, 6, 9, 12, 15, 18, 21, 24, 27}) points.add("pull.rename-" + n);
        points.add("pull.renames-done");
        List<String> report = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            String point = points.get(i);
            Trees.delete(dir);
            Modelreg.copyTree(pristine, dir);
            Modelreg.Run killed = run(point, "pull", ref2, dir.toString());
            assertThat(killed.code()).as(point + ": " + killed.err()).isEqualTo(KILLED);
            assertThat(dir.resolve(JOURNAL)).as(point + ": the journal").exists();
            int renamed = point.startsWith("pull.rename-") ? Integer.parseInt(point.substring("pull.rename-".length())) - 1 : 27;
            String mix = holds(dir, "", v1, v2);
            if (renamed > 0 && renamed < 27) assertThat(mix).as(point).startsWith("a mix: " + renamed + " of v2, ");
            // at three points (one for each next command) a staged file is lost before the next run: it must roll back
            boolean lose = i == 2 || i == 4 || i == 6;
            if (lose) {
                try (Stream<Path> s = Files.list(dir.resolve("two"))) {
                    Path staged = s.filter(p -> p.getFileName().toString().startsWith(".new.txt.")).findFirst().orElseThrow();
                    Files.delete(staged);
                }
            }
            String[] next = switch (i % 3) {
                case 0 -> new String[] {"pull", ref2, dir.toString()};
                case 1 -> new String[] {"verify", "--from", ref2, "ex/two", dir.resolve("two").toString()};
                default -> new String[] {"copy", "--from", ref2, "ex/one", dir.resolve("one").toString(), "--overwrite"};
            };
            Modelreg.Run after = run(null, next);
            List<String> said = after.err().lines().filter(l -> l.contains("interrupted pull")).toList();
            String outcome = lose ? "rolled back" : "finished";
            assertThat(said).as(point + ", then " + next[0] + ": " + after.err()).singleElement().asString()
                    .contains("interrupted pull of " + ref2 + " (sha256:").contains(": " + outcome);
            int want = next[0].equals("verify") && lose ? 2 : 0; // verify: the rolled-back directory is v1, not v2
            assertThat(after.code()).as(point + ", then " + next[0] + ": " + after.err()).isEqualTo(want);
            // what the recovery left: the pull's files wholly one ref's (then a pull wrote v2 over all, a copy over one/)
            String recovered = lose && !next[0].equals("pull") ? "v1" : "v2";
            assertThat(holds(dir, "two/", v1, v2)).as(point + ", then " + next[0]).isEqualTo(recovered);
            assertThat(holds(dir, "one/", v1, v2)).as(point + ", then " + next[0])
                    .isEqualTo(next[0].equals("copy") ? "v2" : recovered);
            assertThat(leftovers(dir)).as(point + ", then " + next[0] + ": temp files, kept files, the journal").isEmpty();
            assertThat(beside("dir")).as(point + ", then " + next[0] + ": beside the directory").isEmpty();
            report.add(point + " (" + renamed + " of 27 renamed" + (lose ? ", a staged file lost" : "") + ") -> " + next[0]
                    + ": " + said.get(0).replaceAll(".*: (finished|rolled back)", "$1"));
        }
        report.forEach(System.out::println);
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
