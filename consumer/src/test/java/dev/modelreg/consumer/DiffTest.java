package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.publisher.CreationTime;
import dev.modelreg.publisher.Push;
import dev.modelreg.spec.Reference;
import dev.modelreg.testkit.ExampleRepo;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.Request;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * diff A B from the configs and manifests alone: on two refs of the 5,000-file shape the registry serves manifests and
 * the two configs, no other blob; the counts match a file-by-file comparison of the two trees; the bytes a pull of B
 * moves given A is cached are what such a pull then fetches.
 */
class DiffTest {
    @TempDir Path tmp;

    ModelReg consumer(String cache) throws IOException {
        Map<String, String> env = Map.of("MODELREG_CACHE", tmp.resolve(cache).toString());
        return new ModelReg(ModelReg.loadConfig(null, env), Settings.from(env));
    }

    void push(Path dir, String ref) throws IOException {
        Push.run(Push.Request.builder(dir, Reference.parse(ref)).name("big").namefile("mfsim.nam")
                .created(CreationTime.parse("2026-01-01T00:00:00Z")).build());
    }

    @Test
    void diffOfTheFiveThousandFileShapeReadsConfigsOnlyAndMatchesAFileByFileComparison() throws IOException {
        Path a = tmp.resolve("a");
        ExampleRepo.Tree generated = ExampleRepo.generate(a, 100, 50, 7L, 512);
        assertThat(generated.files().size()).isGreaterThanOrEqualTo(5000);
        Path b = tmp.resolve("b");
        ConsumeDeltaTest.copyTree(a, b);
        // B: 7 files changed in 3 models, 5 removed, 4 added, one model gone and one new
        List<String> keys = generated.files();
        for (int i = 0; i < 7; i++) Files.writeString(b.resolve(keys.get(100 + i * 3)), "changed " + i + "\n");
        for (int i = 0; i < 5; i++) Files.deleteIfExists(b.resolve(keys.get(900 + i * 7)));
        for (int i = 0; i < 4; i++) Files.writeString(b.resolve(generated.models().get(20) + "/extra" + i + ".txt"), "new " + i);
        dev.modelreg.content.fs.Trees.delete(b.resolve(generated.models().get(50)));
        ConsumeDeltaTest.copyTree(a.resolve(generated.models().get(60)), b.resolve("mf6/zz_new"));

        try (RegistryFixture registry = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("registry"))) {
            String refA = registry.host() + "/models/big:a";
            String refB = registry.host() + "/models/big:b";
            push(a, refA);
            push(b, refB);
            registry.clearRequests();

            ModelReg reg = consumer("d");
            RefDiff d = reg.diff(reg.ref(refA), reg.ref(refB));
            List<Request> log = registry.requests();
            List<Request> blobGets = log.stream().filter(q -> q.path().contains("/blobs/")).toList();
            assertThat(blobGets).as("the two configs, nothing else").hasSize(2)
                    .allMatch(q -> q.method().equals("GET") && q.status() == 200);
            assertThat(log).allMatch(q -> q.path().contains("/manifests/") || q.path().contains("/blobs/")
                    || q.path().equals("/v2/"));
            System.out.println("diff of " + generated.files().size() + " files: " + log.size() + " requests, "
                    + log.stream().mapToLong(Request::bytes).sum() + " bytes: " + log);

            // the oracle: the two trees compared file by file
            Map<String, byte[]> ta = ConsumeDeltaTest.tree(a);
            Map<String, byte[]> tb = ConsumeDeltaTest.tree(b);
            TreeSet<String> added = new TreeSet<>(tb.keySet());
            added.removeAll(ta.keySet());
            TreeSet<String> removed = new TreeSet<>(ta.keySet());
            removed.removeAll(tb.keySet());
            TreeSet<String> changed = new TreeSet<>();
            for (String k : ta.keySet()) if (tb.containsKey(k) && !Arrays.equals(ta.get(k), tb.get(k))) changed.add(k);
            assertThat(changed).hasSize(7);
            assertThat(d.files().stream().filter(f -> f.change().equals("added")).map(RefDiff.FileChange::key)).containsExactlyElementsOf(added);
            assertThat(d.files().stream().filter(f -> f.change().equals("removed")).map(RefDiff.FileChange::key)).containsExactlyElementsOf(removed);
            assertThat(d.files().stream().filter(f -> f.change().equals("changed")).map(RefDiff.FileChange::key)).containsExactlyElementsOf(changed);
            for (RefDiff.FileChange f : d.files()) {
                if (f.sizeA() != null) assertThat(f.sizeA()).isEqualTo(ta.get(f.key()).length);
                if (f.sizeB() != null) assertThat(f.sizeB()).isEqualTo(tb.get(f.key()).length);
            }
            String gone = generated.models().get(50);
            String copied = generated.models().get(60);
            assertThat(d.models().removed()).containsExactlyElementsOf(generated.models().stream()
                    .filter(m -> m.equals(gone) || m.startsWith(gone + "/")).map("big/"::concat).toList());
            assertThat(d.models().added()).containsExactlyElementsOf(generated.models().stream()
                    .filter(m -> m.equals(copied) || m.startsWith(copied + "/"))
                    .map(m -> "big/mf6/zz_new" + m.substring(copied.length())).toList());
            assertThat(d.models().changed()).contains("big/" + generated.models().get(20)).hasSizeGreaterThanOrEqualTo(3);

            // what a pull of B then fetches into a cache holding A: exactly the layers diff counted
            ModelReg p = consumer("p");
            p.pull(refA, tmp.resolve("pa"), null);
            registry.clearRequests();
            p.pull(refB, tmp.resolve("pb"), null);
            List<Request> bGets = registry.requests().stream()
                    .filter(q -> q.method().equals("GET") && q.path().contains("/blobs/")).toList();
            long configBytes = blobGets.get(0).bytes() + blobGets.get(1).bytes();
            assertThat(bGets).hasSize(d.transfer().layers() + 1); // + B's config
            assertThat(bGets.stream().mapToLong(Request::bytes).sum()).as("bytes a pull of B moved")
                    .isBetween(d.transfer().bytes(), d.transfer().bytes() + configBytes);
            assertThat(d.transfer().layers()).isGreaterThan(0).isLessThan(20);
            assertThat(d.toJson().get("fileCounts")).isEqualTo(Map.of("added", (long) added.size(),
                    "removed", (long) removed.size(), "changed", 7L));
        }
    }
}
