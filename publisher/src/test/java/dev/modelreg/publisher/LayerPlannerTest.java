package dev.modelreg.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerPlannerTest {
    @TempDir
    Path tmp;

    /** A registry of {@code models} models with {@code perModel} files each, sizes chosen by the caller. */
    private record Fake(ModelsToml registry, Map<String, Path> paths, Map<String, Long> sizes, Map<String, Digest> digests) {}

    private static Fake fake(Map<String, List<String>> models, Map<String, Long> sizes) {
        TreeMap<String, FileEntry> files = new TreeMap<>();
        Map<String, Digest> digests = new HashMap<>();
        Map<String, Path> paths = new HashMap<>();
        for (String k : sizes.keySet()) {
            Digest d = Digest.sha256Of(k.getBytes());
            files.put(k, FileEntry.ofHash(d));
            digests.put(k, d);
            paths.put(k, Path.of("/nonexistent", k));
        }
        return new Fake(new ModelsToml("1.0", files, new TreeMap<>(models), null), paths, sizes, digests);
    }

    private static LayerPlan plan(Fake f, long threshold, int max) throws PublishException {
        return LayerPlanner.plan(f.registry(), f.paths(), f.sizes(), f.digests(), threshold, max);
    }

    private static Set<String> allKeys(LayerPlan p) {
        Set<String> keys = new HashSet<>();
        for (LayerPlan.Layer l : p.layers()) {
            if (l instanceof LayerPlan.FileLayer f) assertThat(keys.add(f.key())).isTrue();
            if (l instanceof LayerPlan.TarLayer t) t.keys().forEach(k -> assertThat(keys.add(k)).as(k).isTrue());
        }
        return keys;
    }

    @Test
    void largeFilesAloneSmallFilesPerDeepestModel() throws Exception {
        Map<String, Long> sizes = new TreeMap<>(Map.of("a/mfsim.nam", 10L, "a/big.bin", 2000L, "a/n/mfsim.nam", 5L,
                "a/n/exactly.bin", 1000L, "loose.txt", 1L));
        Fake f = fake(Map.of("p/a", List.of("a/big.bin", "a/mfsim.nam", "a/n/exactly.bin", "a/n/mfsim.nam"),
                "p/a/n", List.of("a/n/exactly.bin", "a/n/mfsim.nam")), sizes);
        LayerPlan p = plan(f, 1000, 500);
        List<String> titles = p.layers().stream().map(LayerPlan.Layer::title).toList();
        assertThat(titles).containsExactly("_root.tar", "a/big.bin", "a/n/exactly.bin", "p_a.tar", "p_a_n.tar");
        LayerPlan.TarLayer pa = (LayerPlan.TarLayer) p.layers().get(3);
        assertThat(pa.groups()).containsExactly("p/a");
        assertThat(pa.keys()).containsExactly("a/mfsim.nam");
        assertThat(((LayerPlan.TarLayer) p.layers().get(4)).keys()).containsExactly("a/n/mfsim.nam");
        assertThat(((LayerPlan.TarLayer) p.layers().get(0)).groups()).containsExactly("");
        assertThat(allKeys(p)).isEqualTo(sizes.keySet());
    }

    @Test
    void overTheLimitLargeFilesJoinTheirGroupFirstThenSmallestTarsMerge() throws Exception {
        Map<String, List<String>> models = new TreeMap<>();
        Map<String, Long> sizes = new TreeMap<>();
        for (int m = 0; m < 6; m++) {
            List<String> l = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String k = "m" + m + "/f" + i;
                sizes.put(k, (long) (m * 10 + i));
                l.add(k);
            }
            String big = "m" + m + "/big";
            sizes.put(big, 5000L + m);
            l.add(big);
            models.put("p/m" + m, l);
        }
        Fake f = fake(models, sizes);
        assertThat(plan(f, 1000, 500).layers()).hasSize(12);

        LayerPlan nine = plan(f, 1000, 9);
        assertThat(nine.layers()).hasSize(9);
        assertThat(nine.fileLayers()).isEqualTo(3); // the three smallest big files moved into their group's tar
        assertThat(nine.layers()).noneMatch(l -> l.title().equals("m0/big") || l.title().equals("m1/big") || l.title().equals("m2/big"));
        assertThat(allKeys(nine)).isEqualTo(sizes.keySet());

        LayerPlan four = plan(f, 1000, 4);
        assertThat(four.layers()).hasSize(4);
        assertThat(four.fileLayers()).isZero();
        assertThat(four.layers()).allSatisfy(l -> assertThat(l.title()).endsWith(".tar"));
        assertThat(four.layers()).anySatisfy(l -> assertThat(((LayerPlan.TarLayer) l).groups()).hasSizeGreaterThan(1));
        assertThat(allKeys(four)).isEqualTo(sizes.keySet());
        assertThat(four.layers().stream().map(LayerPlan.Layer::title).distinct().count()).isEqualTo(4);

        LayerPlan one = plan(f, 1000, 1);
        assertThat(one.layers()).hasSize(1);
        assertThat(allKeys(one)).isEqualTo(sizes.keySet());
    }

    @Test
    void onlyLargeFilesOverTheLimitStillFit() throws Exception {
        Map<String, List<String>> models = new TreeMap<>();
        Map<String, Long> sizes = new TreeMap<>();
        for (int m = 0; m < 10; m++) {
            sizes.put("m" + m + "/w.bin", 10_000L + m);
            models.put("p/m" + m, List.of("m" + m + "/w.bin"));
        }
        LayerPlan p = plan(fake(models, sizes), 1000, 3);
        assertThat(p.layers()).hasSize(3);
        assertThat(allKeys(p)).isEqualTo(sizes.keySet());
    }

    @Test
    void titlesAreFilesystemSafeAndUnique() throws Exception {
        assertThat(LayerPlanner.safe("mf6/test/a b")).isEqualTo("mf6_test_a_b");
        assertThat(LayerPlanner.safe("")).isEqualTo("_root");
        assertThat(LayerPlanner.safe(".hidden")).isEqualTo("_hidden");
        Map<String, Long> sizes = new TreeMap<>(Map.of("x/1", 1L, "y/1", 1L));
        LayerPlan p = plan(fake(Map.of("a/b", List.of("x/1"), "a_b", List.of("y/1")), sizes), 1000, 500);
        assertThat(p.layers().stream().map(LayerPlan.Layer::title)).containsExactlyInAnyOrder("a_b.tar", "a_b~2.tar");
    }

    @Test
    void fiveThousandFilesStayUnderTheRegistryLimits() throws Exception {
        Path root = TestTrees.manyModels(tmp.resolve("big-repo"));
        Index index = Indexer.index(root, IndexOptions.of("mf6/test"));
        int n = index.registry().files().size();
        assertThat(n).isGreaterThanOrEqualTo(5000);
        Map<String, Digest> digests = new HashMap<>();
        index.registry().files().forEach((k, v) -> digests.put(k, v.hash()));
        byte[] config = ModelsTomlCodec.write(index.registry());
        try (ModelSet set = ModelSet.build(index.registry(), config,
                new ModelSet.Sources(index.paths(), index.sizes(), digests), Map.of(), LayerPlanner.DEFAULT_MAX_LAYERS,
                LayerPlanner.LARGE_FILE_THRESHOLD, 2)) {
            int manifestBytes = set.manifest().toBytes().length;
            System.out.printf("5000-file tree: %d files, %d models, %d layers, manifest %d bytes, config %d bytes%n",
                    n, index.registry().models().size(), set.manifest().layers().size(), manifestBytes, config.length);
            assertThat(set.manifest().layers()).hasSizeLessThanOrEqualTo(500);
            assertThat(manifestBytes).isLessThan(4 * 1024 * 1024);
            assertThat(set.descriptor().size()).isEqualTo(manifestBytes);
            int inTars = 0;
            for (Descriptor l : set.manifest().layers()) {
                assertThat(l.mediaType()).isEqualTo(MediaTypes.TAR_LAYER);
                inTars += Integer.parseInt(l.annotation(Annotations.FILE_COUNT));
                assertThat(set.content().exists(l)).isTrue();
            }
            assertThat(inTars).isEqualTo(n);
        }
    }
}
