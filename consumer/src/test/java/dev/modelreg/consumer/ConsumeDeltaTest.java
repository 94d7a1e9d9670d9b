package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.publisher.CreationTime;
import dev.modelreg.spec.Reference;
import dev.modelreg.publisher.Exclusions;
import dev.modelreg.publisher.Push;
import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.LayerIndex;
import dev.modelreg.spec.Manifest;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * push --base: the base's tars are kept and changed small files travel in one delta layer; consumers read a file
 * from the last delta listing it, so the older copies inside kept tars are never used, and a cache that holds the
 * base downloads only the delta. Against the real registry.
 */
class ConsumeDeltaTest {
    @TempDir Path tmp;

    static Map<String, byte[]> tree(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (!rel.startsWith(".registry/") && !Exclusions.excluded(p.getFileName().toString())) {
                    out.put(rel, Files.readAllBytes(p)); // what the publisher indexes
                }
            }
        }
        return out;
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(q);
                else if (!p.toString().contains("/.registry/")) Files.copy(p, q);
            }
        }
    }

    Push.Result push(Path dir, String dest, String base) throws IOException {
        return Push.run(Push.Request.builder(dir, Reference.parse(dest)).name("example").namefile("mfsim.nam")
                .created(CreationTime.parse("2026-01-01T00:00:00Z")).base(base).build());
    }

    Manifest manifest(ModelReg reg, Push.Result r) throws IOException {
        return Manifest.parse(Files.readAllBytes(reg.cacheRoot().resolve("blobs/sha256/" + r.digest().hex())), "m");
    }

    ModelReg consumer(String cache) throws java.io.IOException {
        return new ModelReg(ModelReg.loadConfig(null, Map.of()), Settings.from(Map.of("MODELREG_CACHE", tmp.resolve(cache).toString())));
    }

    static void assertSameTree(Path got, Map<String, byte[]> want) throws IOException {
        Map<String, byte[]> have = tree(got);
        assertThat(have.keySet()).isEqualTo(want.keySet());
        for (var e : want.entrySet()) assertThat(have.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
    }

    @Test
    void deltaPushesCarryOnlyChangedSmallFilesAndPullsReadTheNewestCopy() throws IOException {
        Path dir = tmp.resolve("models");
        copyTree(ConsumePublishedTest.examples(), dir);
        try (RegistryFixture registry = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("registry"))) {
            String repo = registry.host() + "/examples/delta";
            Push.Result r1 = push(dir, repo + ":r1", null);

            // r2: two small files changed in two models, one added, one removed
            Files.writeString(dir.resolve("ex-gwf-bcf2ss/gwf.wel"), "changed in r2\n");
            Files.writeString(dir.resolve("ex-gwt-keating/gwf/flow.sto"), "changed in r2\n");
            Files.writeString(dir.resolve("ex-gwf-twri01/notes.txt"), "added in r2\n");
            Files.delete(dir.resolve("ex-gwf-bcf2ss/gwf.oc"));
            Map<String, byte[]> want2 = tree(dir);
            Push.Result full2 = push(dir, repo + "-full:r2", null);
            registry.clearRequests();
            Push.Result r2 = push(dir, repo + ":r2", "r1");
            assertThat(r2.bytesUploaded()).as("uploaded with --base vs a full push")
                    .isLessThan(full2.bytesUploaded() / 2);

            ModelReg a = consumer("a");
            a.pull(repo + ":r1", tmp.resolve("p1"), null);
            a.pull(repo + ":r2", tmp.resolve("p2"), null);
            Manifest m1 = manifest(a, r1);
            Manifest m2 = manifest(a, r2);
            List<Descriptor> deltas = m2.layers().stream().filter(LayerIndex::isDelta).toList();
            assertThat(deltas).singleElement().satisfies(d -> assertThat(Json.parse(d.annotation(Annotations.DELTA)))
                    .isEqualTo(List.of("ex-gwf-bcf2ss/gwf.wel", "ex-gwf-twri01/notes.txt", "ex-gwt-keating/gwf/flow.sto")));
            Set<Descriptor> kept = m2.layers().stream().filter(m1.layers()::contains).collect(Collectors.toSet());
            assertThat(kept).as("layers of r1 kept in r2").hasSize(m2.layers().size() - 1);
            assertSameTree(tmp.resolve("p2"), want2);

            // a cache that holds r1 downloads only the delta (plus r2's manifest and config)
            registry.clearRequests();
            ModelReg b = consumer("b");
            b.pull(repo + ":r1", tmp.resolve("b1"), null);
            registry.clearRequests();
            b.pull(repo + ":r2", tmp.resolve("b2"), null);
            List<Request> gets = registry.awaitRequests(l -> l.stream().filter(q -> q.path().contains("/blobs/")).count() >= 2,
                    Duration.ofSeconds(5)).stream().filter(q -> q.method().equals("GET") && q.path().contains("/blobs/")).toList();
            assertThat(gets.stream().map(q -> q.path().substring(q.path().lastIndexOf('/') + 1)).collect(Collectors.toSet()))
                    .isEqualTo(Set.of(deltas.get(0).digest().toString(), m2.config().digest().toString()));
            assertSameTree(tmp.resolve("b2"), want2);

            // r3 changes a file of the delta again: the newest delta wins over the older one and the kept tar
            Files.writeString(dir.resolve("ex-gwf-bcf2ss/gwf.wel"), "changed again in r3\n");
            Map<String, byte[]> want3 = tree(dir);
            Push.Result r3 = push(dir, repo + ":r3", "r2");
            ModelReg c = consumer("c");
            c.pull(repo + ":r3", tmp.resolve("p3"), null);
            assertThat(manifest(c, r3).layers().stream().filter(LayerIndex::isDelta).count()).isEqualTo(2);
            assertSameTree(tmp.resolve("p3"), want3);
            c.copyFrom(repo + ":r3", "example/ex-gwf-bcf2ss", tmp.resolve("ws"), false);
            assertThat(tmp.resolve("ws/gwf.wel")).hasContent("changed again in r3\n");

            // a chain of deltas is compacted: once the base has MAX_DELTAS of them, full tars again
            String base = "r3";
            ModelReg d = consumer("d");
            List<Long> chain = new java.util.ArrayList<>();
            String[] changes = {"gwf.ic", "gwf.npf", "gwf.rch", "gwf.riv"};
            for (int i = 4; i <= 7; i++) {
                Files.writeString(dir.resolve("ex-gwf-bcf2ss/" + changes[i - 4]), "r" + i + "\n", StandardCharsets.UTF_8);
                Push.Result ri = push(dir, repo + ":r" + i, base);
                d.pull(repo + ":r" + i, tmp.resolve("p" + i), null);
                assertSameTree(tmp.resolve("p" + i), tree(dir));
                chain.add(manifest(d, ri).layers().stream().filter(LayerIndex::isDelta).count());
                base = "r" + i;
            }
            assertThat(chain).containsExactly(3L, 4L, 0L, 1L);

            // a git ref names its tag: feature/x is pushed as feature_2fx and found again as a base
            push(dir, repo + ":feature_2fx", null);
            Files.writeString(dir.resolve("ex-gwf-bcf2ss/gwf.ic"), "on feature/x\n", StandardCharsets.UTF_8);
            Push.Result onBranch = push(dir, repo + ":feature_2fx", "feature/x");
            d.pull(repo + ":feature_2fx", tmp.resolve("pf"), null);
            assertThat(manifest(d, onBranch).layers().stream().filter(LayerIndex::isDelta).count()).isEqualTo(1);
            assertSameTree(tmp.resolve("pf"), tree(dir));

            // a base that is not there: a full push
            Push.Result nobase = push(dir, repo + ":r8", "no-such-tag");
            d.pull(repo + ":r8", tmp.resolve("p8"), null);
            assertThat(manifest(d, nobase).layers()).noneMatch(LayerIndex::isDelta);
        }
    }
}
