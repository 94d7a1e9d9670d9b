package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import dev.modelreg.testkit.RegistryFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Several CLI processes at once on one cache (spec section 9: concurrent processes both succeed and leave a
 * consistent cache, no lock files): syncs, pulls and copies of the same and of different refs and models. Afterwards
 * every blob's sha256 is its name, every cached models.toml is the one its state.json names, and every workspace
 * verifies. Two refs of one repository differ in one model (a changed file, a removed file, an added file), so a
 * directory that mixes them is visible.
 */
@Isolated // it starts 8 CLI processes at once under a time limit.
class ConcurrentCliTest {
    private static final Duration LIMIT = Duration.ofSeconds(50);
    private static final String MODEL = "example/ex-gwf-bcf2ss";

    @TempDir Path tmp;
    private final List<Modelreg.Started> started = new CopyOnWriteArrayList<>();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Modelreg.Started s : started) s.kill();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void processesShareOneCache() throws Exception {
        long t0 = System.nanoTime();
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("registry"))) {
            Refs refs = publish(reg);
            Path cfg = tmp.resolve("sources.toml");
            Files.writeString(cfg, "[sources.example]\nname = \"example\"\noci = \"" + refs.repository + "\"\n"
                    + "refs = [\"a\", \"b\"]\n");
            Map<String, String> env = Map.of("MODELREG_CACHE", tmp.resolve("cache").toString(),
                    "MODELREG_CONFIG", cfg.toString());

            List<Modelreg.Run> runs = allOk(env,
                    List.of("sync"),
                    List.of("sync", "--source", "example", "--ref", "b", "--json"),
                    List.of("pull", refs.a, dir("pull-a")),
                    List.of("pull", refs.b, dir("pull-b")),
                    List.of("copy", "example@a/ex-gwf-bcf2ss", dir("ws-a1")),
                    List.of("copy", "example@a/ex-gwf-bcf2ss", dir("ws-a2")),
                    List.of("copy", "example@b/ex-gwf-bcf2ss", dir("ws-b")),
                    List.of("copy", "--from", refs.b, "example/ex-gwt-keating", dir("ws-keating")));
            long concurrentMs = runs.stream().mapToLong(Modelreg.Run::millis).max().orElse(0);

            CacheCheck cache = checkCache(tmp.resolve("cache"));
            assertThat(cache.blobs).as("blobs in the cache").isPositive();
            assertThat(cache.refs).as("refs in the cache").isEqualTo(2);

            allOk(env,
                    List.of("verify", "example@a/ex-gwf-bcf2ss", dir("ws-a1")),
                    List.of("verify", "example@a/ex-gwf-bcf2ss", dir("ws-a2")),
                    List.of("verify", "example@b/ex-gwf-bcf2ss", dir("ws-b"), "--json"),
                    List.of("verify", "--from", refs.b, "example/ex-gwt-keating", dir("ws-keating")));
            assertThat(tree(tmp.resolve("pull-a"))).isEqualTo(files(refs.registryA, null));
            assertThat(tree(tmp.resolve("pull-b"))).isEqualTo(files(refs.registryB, null));
            assertThat(tree(tmp.resolve("ws-a1"))).isEqualTo(files(refs.registryA, MODEL));
            assertThat(tree(tmp.resolve("ws-a2"))).isEqualTo(files(refs.registryA, MODEL));
            assertThat(tree(tmp.resolve("ws-b"))).isEqualTo(files(refs.registryB, MODEL));
            assertThat(tree(tmp.resolve("ws-keating"))).isEqualTo(files(refs.registryB, "example/ex-gwt-keating"));
            System.out.printf("ConcurrentCliTest: 8 processes on one cache in %d ms (%d blobs verified, %d ingest"
                            + " leftovers), then 4 verify processes; %d s in all%n", concurrentMs, cache.blobs,
                    cache.ingestLeftovers, (System.nanoTime() - t0) / 1_000_000_000);
        }
    }

    /**
     * Two processes writing two refs into the same directory at once (pull, and copy without --overwrite), the second
     * started while the first is still running. Correct: either both succeed and the directory holds exactly one
     * ref's files with their hashes, or one fails with one error line naming the directory and the other succeeds.
     * Known bug, being fixed (a lock on the target): a pull that starts while another one is running but looks at
     * the directory after the other put its files there writes file by file over them, both exit 0 and the
     * directory mixes the two refs. (Waiting for the other's lock and then writing file by file would mix them the
     * same way: the second has to fail, or replace the directory whole.)
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void twoWritersIntoOneDirectory() throws Exception {
        long t0 = System.nanoTime();
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("registry"))) {
            Refs refs = publish(reg);
            List<String> problems = new ArrayList<>();
            int concurrent = 0;
            // the second writer starts 0, 300 and 600 ms after the first: it then decides before or after the
            // first one has put its files in place, while the first one is still running
            for (int round = 0; round < 3; round++) {
                Map<String, String> env = Map.of("MODELREG_CACHE", tmp.resolve("cache-" + round).toString());
                Path pullDir = tmp.resolve("same-pull-" + round);
                Path ws = tmp.resolve("same-ws-" + round);
                Modelreg.Started pullA = start(env, "pull", refs.a, pullDir.toString());
                Modelreg.Started copyA = start(env, "copy", "--from", refs.a, MODEL, ws.toString());
                Thread.sleep(300L * round);
                Modelreg.Started pullB = start(env, "pull", refs.b, pullDir.toString());
                Modelreg.Started copyB = start(env, "copy", "--from", refs.b, MODEL, ws.toString());
                boolean pullsOverlap = pullA.process().isAlive();
                boolean copiesOverlap = copyA.process().isAlive();
                List<Modelreg.Run> runs = new ArrayList<>();
                try {
                    for (Modelreg.Started s : List.of(pullA, pullB, copyA, copyB)) runs.add(s.finish(LIMIT));
                } finally {
                    for (Modelreg.Started s : List.of(pullA, pullB, copyA, copyB)) s.kill();
                }
                String label = "round " + round + " (+" + 300 * round + " ms): ";
                if (pullsOverlap) {
                    concurrent++;
                    problems.addAll(oneWinner(label + "pull a | pull b", runs.get(0), runs.get(1), pullDir, true,
                            files(refs.registryA, null), files(refs.registryB, null)));
                }
                if (copiesOverlap) {
                    concurrent++;
                    problems.addAll(oneWinner(label + "copy a | copy b", runs.get(2), runs.get(3), ws, false,
                            files(refs.registryA, MODEL), files(refs.registryB, MODEL)));
                }
            }
            assertThat(concurrent).as("pairs of writers that ran at the same time").isPositive();
            System.out.printf("ConcurrentCliTest: 3 rounds of 2 x 2 writers into one directory (%d pairs overlapped) in %d s,"
                    + " %d problems%n", concurrent, (System.nanoTime() - t0) / 1_000_000_000, problems.size());
            assertThat(problems).as("concurrent writers into one directory").isEmpty();
        }
    }

    /** What is wrong with the outcome of two concurrent writers of {@code a} and {@code b} into {@code dir}. */
    private static List<String> oneWinner(String what, Modelreg.Run a, Modelreg.Run b, Path dir, boolean merges,
                                          Map<String, Digest> wantA, Map<String, Digest> wantB) throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, Digest> got = Files.isDirectory(dir) ? tree(dir) : Map.of();
        if (a.code() == 0 && b.code() == 0) {
            // serialized writers: one ref whole, or (a pull into a directory that is no longer empty adds its files
            // to what is there, as two pulls one after the other do) one ref's files over the other's, never a mix
            Map<String, Digest> aThenB = new java.util.TreeMap<>(wantA);
            aThenB.putAll(wantB);
            Map<String, Digest> bThenA = new java.util.TreeMap<>(wantB);
            bThenA.putAll(wantA);
            boolean serial = got.equals(wantA) || got.equals(wantB) || (merges && (got.equals(aThenB) || got.equals(bThenA)));
            if (!serial) {
                problems.add(what + ": both exited 0 and " + dir + " is neither ref" + (merges ? " nor one over the other" : "")
                        + ": " + diff(got, wantA, "a") + "; " + diff(got, wantB, "b"));
            }
            return problems;
        }
        if (a.code() != 0 && b.code() != 0) {
            problems.add(what + ": both failed: " + a.err().strip() + " | " + b.err().strip());
            return problems;
        }
        Modelreg.Run failed = a.code() != 0 ? a : b;
        Map<String, Digest> winner = a.code() == 0 ? wantA : wantB;
        // stderr may hold progress lines too; the error is one line, no stack trace
        List<String> errors = failed.err().lines().filter(l -> l.startsWith("modelreg: error: ") || l.startsWith("\tat ")).toList();
        if (errors.size() != 1 || !errors.get(0).contains(dir.toString())) {
            problems.add(what + ": the loser's error is not one line naming " + dir + ": " + failed.err().strip());
        }
        if (!got.equals(winner)) problems.add(what + ": " + dir + " is not the winner's ref: " + diff(got, winner, "winner"));
        return problems;
    }

    private static String diff(Map<String, Digest> got, Map<String, Digest> want, String name) {
        TreeSet<String> extra = new TreeSet<>(got.keySet());
        extra.removeAll(want.keySet());
        TreeSet<String> missing = new TreeSet<>(want.keySet());
        missing.removeAll(got.keySet());
        TreeSet<String> changed = new TreeSet<>();
        for (String k : got.keySet()) if (want.containsKey(k) && !want.get(k).equals(got.get(k))) changed.add(k);
        return "vs " + name + ": not in it " + extra + ", missing " + missing + ", different " + changed;
    }

    private Modelreg.Started start(Map<String, String> env, String... args) throws IOException {
        Modelreg.Started s = Modelreg.start(tmp, tmp, Modelreg.FAST_JVM, env, args);
        started.add(s);
        return s;
    }

    /** Starts every command at once with the same environment and waits for all (bounded; killed on failure). */
    @SafeVarargs
    private List<Modelreg.Run> all(Map<String, String> env, List<String>... commands) throws Exception {
        return Modelreg.all(tmp, env, LIMIT, List.of(commands));
    }

    /** {@link #all}, requiring exit 0 of each. */
    @SafeVarargs
    private List<Modelreg.Run> allOk(Map<String, String> env, List<String>... commands) throws Exception {
        List<Modelreg.Run> runs = all(env, commands);
        for (int i = 0; i < runs.size(); i++) {
            assertThat(runs.get(i).code()).as("modelreg %s\nstderr: %s", String.join(" ", commands[i]), runs.get(i).err())
                    .isZero();
        }
        return runs;
    }

    private record Refs(String repository, String a, String b, ModelsToml registryA, ModelsToml registryB) {}

    /**
     * Ref a is examples/models; ref b differs from it in ex-gwf-bcf2ss: one file changed, one removed, one added.
     * The expected registry files come from make-registry over each tree.
     */
    private Refs publish(RegistryFixture reg) throws Exception {
        Path treeA = Modelreg.copyExamples(tmp.resolve("tree-a"));
        Path treeB = Modelreg.copyExamples(tmp.resolve("tree-b"));
        Files.writeString(treeB.resolve("ex-gwf-bcf2ss/gwf.ic"), "# changed in b\n", java.nio.file.StandardOpenOption.APPEND);
        Files.delete(treeB.resolve("ex-gwf-bcf2ss/gwf.wel"));
        Files.writeString(treeB.resolve("ex-gwf-bcf2ss/notes-b.txt"), "only in b\n");
        String repository = reg.host() + "/models";
        allOk(Map.of("MODELREG_CACHE", tmp.resolve("publish-cache").toString()),
                List.of("make-registry", "--path", treeA.toString(), "--name", "example"),
                List.of("make-registry", "--path", treeB.toString(), "--name", "example"));
        allOk(Map.of(),
                List.of("push", treeA.toString(), repository + ":a", "--name", "example"),
                List.of("push", treeB.toString(), repository + ":b", "--name", "example"));
        ModelsToml a = ModelsTomlCodec.read(Files.readAllBytes(treeA.resolve(".registry/models.toml")), "a");
        ModelsToml b = ModelsTomlCodec.read(Files.readAllBytes(treeB.resolve(".registry/models.toml")), "b");
        assertThat(files(a, MODEL)).isNotEqualTo(files(b, MODEL));
        return new Refs(repository, repository + ":a", repository + ":b", a, b);
    }

    /** The files (relative path -> sha256) of a whole registry (model null: by key) or of one model (by path in it). */
    private static Map<String, Digest> files(ModelsToml registry, String model) {
        Map<String, Digest> out = new TreeMap<>();
        if (model == null) {
            registry.files().forEach((k, f) -> out.put(k, f.hash()));
            return out;
        }
        List<String> keys = registry.filesOf(model);
        assertThat(keys).as("model %s", model).isNotEmpty();
        String base = keys.get(0).substring(0, keys.get(0).lastIndexOf('/') + 1);
        for (String k : keys) while (!k.startsWith(base)) base = base.substring(0, base.lastIndexOf('/', base.length() - 2) + 1);
        for (String k : keys) {
            FileEntry f = registry.files().get(k);
            out.put(k.substring(base.length()), f.hash());
        }
        return out;
    }

    /** Every regular file under {@code dir}, by '/'-separated relative path, with its sha256. */
    private static Map<String, Digest> tree(Path dir) throws IOException {
        Map<String, Digest> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    out.put(dir.relativize(p).toString().replace('\\', '/'), Digest.sha256Of(Files.readAllBytes(p)));
                }
            }
        }
        return out;
    }

    private record CacheCheck(int blobs, int refs, int ingestLeftovers) {}

    /** Every blob's sha256 is its name; every cached models.toml has the sha256 its state.json names as config. */
    private static CacheCheck checkCache(Path root) throws IOException {
        int blobs = 0;
        try (Stream<Path> s = Files.list(root.resolve("blobs/sha256"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                assertThat(p).isRegularFile();
                assertThat(Digest.sha256Of(Files.readAllBytes(p)).hex()).as("blob %s", p).isEqualTo(p.getFileName().toString());
                blobs++;
            }
        }
        int refs = 0;
        try (Stream<Path> s = Files.walk(root.resolve("sources"))) {
            for (Path state : (Iterable<Path>) s.filter(p -> p.getFileName().toString().equals("state.json"))::iterator) {
                Object config = ((Map<?, ?>) Json.parse(Files.readString(state, StandardCharsets.UTF_8))).get("config");
                byte[] toml = Files.readAllBytes(state.resolveSibling("models.toml"));
                assertThat(Digest.sha256Of(toml).toString()).as("models.toml beside %s", state).isEqualTo(config);
                refs++;
            }
        }
        int leftovers = 0;
        if (Files.isDirectory(root.resolve("ingest"))) {
            try (Stream<Path> s = Files.list(root.resolve("ingest"))) {
                leftovers = (int) s.count();
            }
        }
        return new CacheCheck(blobs, refs, leftovers);
    }

    private String dir(String rel) {
        return tmp.resolve(rel).toString();
    }
}
