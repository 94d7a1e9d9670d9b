package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.consumer.CacheReport;
import dev.modelreg.consumer.ModelReg;
import dev.modelreg.consumer.Settings;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import dev.modelreg.testkit.RegistryFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cache prune} racing pulls into the same cache (spec/README.md 9.3): in each of 10 rounds the cache is cleared,
 * then two CLI processes pull (a configured source's ref, which records a ref state, and a bare reference, which
 * records none: its blobs are unreferenced from the instant they are cached) while this JVM prunes the cache in a loop.
 * Nothing is lost: both pulls succeed with the registry's files, the ref the first one recorded pulls again offline
 * (every blob it references is still cached), and some prune did find unreferenced blobs a running pull used and kept
 * them.
 */
class CachePruneCliTest {
    private static final int ROUNDS = 10;

    @TempDir Path tmp;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void pruneRacingPullsLosesNothing() throws Exception {
        long t0 = System.nanoTime();
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("registry"))) {
            Path tree = Modelreg.copyExamples(tmp.resolve("tree"));
            String repository = reg.host() + "/models";
            Map<String, String> publish = Map.of("MODELREG_CACHE", tmp.resolve("publish-cache").toString());
            Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, publish, "make-registry", "--path", tree.toString(),
                    "--name", "example"), "make-registry");
            Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, publish, "push", tree.toString(), repository + ":a",
                    "--name", "example"), "push");
            Map<String, Digest> want = new TreeMap<>();
            ModelsToml registry = ModelsTomlCodec.read(Files.readAllBytes(tree.resolve(".registry/models.toml")), "a");
            registry.files().forEach((k, f) -> want.put(k, f.hash()));

            Path cfg = tmp.resolve("sources.toml");
            Files.writeString(cfg, "[sources.example]\nname = \"example\"\noci = \"" + repository + "\"\nrefs = [\"a\"]\n");
            Path cache = tmp.resolve("cache");
            Map<String, String> env = Map.of("MODELREG_CACHE", cache.toString(), "MODELREG_CONFIG", cfg.toString());
            Settings settings = Settings.from(Map.of()).withCacheRoot(cache);
            ModelReg pruner = new ModelReg(ModelReg.loadConfig(cfg, Map.of()), settings);

            int prunes = 0;
            int keptInUse = 0;
            long removed = 0;
            for (int round = 0; round < ROUNDS; round++) {
                pruner.clear(null, null);
                Path a = tmp.resolve("pull-a-" + round);
                Path bare = tmp.resolve("pull-bare-" + round);
                Modelreg.Started pullA = Modelreg.start(tmp, tmp, Modelreg.FAST_JVM, env, "pull", "example@a", a.toString());
                Modelreg.Started pullBare = Modelreg.start(tmp, tmp, Modelreg.FAST_JVM, env, "pull", repository + ":a",
                        bare.toString());
                AtomicBoolean running = new AtomicBoolean(true);
                CompletableFuture<List<CacheReport.Pruned>> loop = CompletableFuture.supplyAsync(() -> {
                    List<CacheReport.Pruned> out = new ArrayList<>();
                    try {
                        while (running.get()) {
                            out.add(pruner.cacheUsage().prune(null, false));
                            Thread.sleep(10);
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                    return out;
                });
                Modelreg.Run ra;
                Modelreg.Run rb;
                try {
                    ra = pullA.finish(Duration.ofSeconds(60));
                    rb = pullBare.finish(Duration.ofSeconds(60));
                } finally {
                    running.set(false);
                    pullA.kill();
                    pullBare.kill();
                }
                List<CacheReport.Pruned> ps = loop.get(60, TimeUnit.SECONDS);
                prunes += ps.size();
                for (CacheReport.Pruned p : ps) {
                    if (!p.inUse().isEmpty()) keptInUse++;
                    removed += p.removed().size();
                }
                String label = "round " + round + ": ";
                assertThat(ra.code()).as(label + "pull example@a: %s", ra.err()).isZero();
                assertThat(rb.code()).as(label + "pull of the bare reference: %s", rb.err()).isZero();
                assertThat(tree(a)).as(label + "example@a").isEqualTo(want);
                assertThat(tree(bare)).as(label + "the bare reference").isEqualTo(want);
                // what the recorded ref references is all still cached: it pulls offline
                Path again = tmp.resolve("offline-" + round);
                new ModelReg(ModelReg.loadConfig(cfg, Map.of()), settings.withOffline(true))
                        .pull("example@a", again, null);
                assertThat(tree(again)).as(label + "offline pull of example@a").isEqualTo(want);
                assertThat(blobsHashToTheirNames(cache)).as(label + "cached blobs").isPositive();
            }
            assertThat(keptInUse).as("prunes that kept unreferenced blobs a running pull used").isPositive();
            // the processes ended: their registrations went with them, so a prune after a clear leaves nothing
            pruner.clear(null, null);
            assertThat(pruner.cacheUsage().list().blobs()).as("blobs left after clear").isZero();
            try (Stream<Path> s = Files.list(cache.resolve("in-use"))) {
                assertThat(s.toList()).as("in-use files of ended processes").isEmpty();
            }
            System.out.printf("CachePruneCliTest: %d rounds of 2 pulls racing %d prunes (%d kept blobs in use, %d blobs"
                    + " removed) in %d s%n", ROUNDS, prunes, keptInUse, removed, (System.nanoTime() - t0) / 1_000_000_000);
        }
    }

    private static Map<String, Digest> tree(Path dir) throws Exception {
        Map<String, Digest> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) out.put(dir.relativize(p).toString().replace('\\', '/'), Digest.sha256Of(Files.readAllBytes(p)));
            }
        }
        return out;
    }

    private static int blobsHashToTheirNames(Path cache) throws Exception {
        int n = 0;
        try (Stream<Path> s = Files.list(cache.resolve("blobs/sha256"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                assertThat(Digest.sha256Of(Files.readAllBytes(p)).hex()).as("blob %s", p).isEqualTo(p.getFileName().toString());
                n++;
            }
        }
        return n;
    }
}
