package dev.modelreg.spec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import org.junit.jupiter.api.Test;

class FileGroupsTest {
    /** Three levels of nesting (parent lists include the children's files) plus a README outside any model. */
    static final String NESTED = """
            [files."README.md"]
            hash = "%1$s"
            [files."ex-gwe-barends/mfsim.nam"]
            hash = "%1$s"
            [files."ex-gwe-barends/mf6gwf/gwf.nam"]
            hash = "%1$s"
            [files."ex-gwe-barends/mf6gwf/gwf.dis"]
            hash = "%1$s"
            [files."ex-gwe-barends/mf6gwe/gwe.nam"]
            hash = "%1$s"
            [files."ex-gwe-barends/mf6gwe/deep/x.dat"]
            hash = "%1$s"
            [files."ex-gwf-twri01/mfsim.nam"]
            hash = "%1$s"

            [models]
            "mf6/example/ex-gwe-barends" = [
                "ex-gwe-barends/mfsim.nam",
                "ex-gwe-barends/mf6gwf/gwf.nam",
                "ex-gwe-barends/mf6gwf/gwf.dis",
                "ex-gwe-barends/mf6gwe/gwe.nam",
                "ex-gwe-barends/mf6gwe/deep/x.dat",
            ]
            "mf6/example/ex-gwe-barends/mf6gwf" = ["ex-gwe-barends/mf6gwf/gwf.nam", "ex-gwe-barends/mf6gwf/gwf.dis"]
            "mf6/example/ex-gwe-barends/mf6gwe" = ["ex-gwe-barends/mf6gwe/gwe.nam", "ex-gwe-barends/mf6gwe/deep/x.dat"]
            "mf6/example/ex-gwe-barends/mf6gwe/deep" = ["ex-gwe-barends/mf6gwe/deep/x.dat"]
            "mf6/example/ex-gwf-twri01" = ["ex-gwf-twri01/mfsim.nam"]
            """.formatted(Digest.sha256Of(new byte[0]).hex());

    static ModelsToml nested() throws java.io.IOException {
        return ModelsTomlCodec.read(NESTED.getBytes(UTF_8), "nested");
    }

    @Test
    void childGroupOwnsItsFilesAndParentKeepsTheRest() throws java.io.IOException {
        ModelsToml r = nested();
        assertThat(FileGroups.groupOf(r, "ex-gwe-barends/mfsim.nam")).isEqualTo("mf6/example/ex-gwe-barends");
        assertThat(FileGroups.groupOf(r, "ex-gwe-barends/mf6gwf/gwf.dis")).isEqualTo("mf6/example/ex-gwe-barends/mf6gwf");
        assertThat(FileGroups.groupOf(r, "ex-gwe-barends/mf6gwe/gwe.nam")).isEqualTo("mf6/example/ex-gwe-barends/mf6gwe");
        assertThat(FileGroups.groupOf(r, "ex-gwe-barends/mf6gwe/deep/x.dat"))
                .isEqualTo("mf6/example/ex-gwe-barends/mf6gwe/deep");
        assertThat(FileGroups.groupOf(r, "README.md")).isEmpty();
        assertThat(FileGroups.groupOf(r, "not/in/registry")).isEmpty();
    }

    @Test
    void groupsPartitionTheFiles() throws java.io.IOException {
        ModelsToml r = nested();
        SortedMap<String, SortedSet<String>> g = FileGroups.groups(r);
        assertThat(g).containsOnlyKeys("", "mf6/example/ex-gwe-barends", "mf6/example/ex-gwe-barends/mf6gwf",
                "mf6/example/ex-gwe-barends/mf6gwe", "mf6/example/ex-gwe-barends/mf6gwe/deep", "mf6/example/ex-gwf-twri01");
        assertThat(g.get("")).containsExactly("README.md");
        assertThat(g.get("mf6/example/ex-gwe-barends")).containsExactly("ex-gwe-barends/mfsim.nam");
        assertThat(g.get("mf6/example/ex-gwe-barends/mf6gwf"))
                .containsExactly("ex-gwe-barends/mf6gwf/gwf.dis", "ex-gwe-barends/mf6gwf/gwf.nam");
        assertThat(g.get("mf6/example/ex-gwe-barends/mf6gwe")).containsExactly("ex-gwe-barends/mf6gwe/gwe.nam");
        assertThat(g.values().stream().mapToInt(Set::size).sum()).isEqualTo(r.files().size());
    }

    @Test
    void tiesGoToTheSmallestModelName() {
        ModelsToml r = new ModelsToml(null,
                new java.util.TreeMap<>(java.util.Map.of("shared.dat", new FileEntry(null, "u", null),
                        "b-only.dat", new FileEntry(null, "u", null))),
                new java.util.TreeMap<>(java.util.Map.of("m/b", List.of("shared.dat", "b-only.dat"),
                        "m/a", List.of("shared.dat", "x"))),
                null);
        assertThat(FileGroups.groupOf(r, "shared.dat")).isEqualTo("m/a");
        assertThat(FileGroups.groups(r)).containsEntry("m/a", new java.util.TreeSet<>(Set.of("shared.dat")))
                .containsEntry("m/b", new java.util.TreeSet<>(Set.of("b-only.dat")));
    }

    @Test
    void modelListedKeysMissingFromFilesAreNotGrouped() throws java.io.IOException {
        ModelsToml r = ModelsTomlCodec.read("[models]\nm = [\"ghost.nam\"]\n".getBytes(UTF_8), "x");
        assertThat(FileGroups.groups(r)).isEmpty();
        assertThat(FileGroups.groupOf(r, "ghost.nam")).isEqualTo("m");
    }

    @Test
    void groupsAgreeWithGroupOfOnRandomRegistries() {
        for (int i = 0; i < 20; i++) {
            int seed = i;
            ModelsToml r = ModelsTomlCodecTest.sample(new Random(seed), 50);
            Set<String> seen = new HashSet<>();
            FileGroups.groups(r).forEach((group, keys) -> keys.forEach(k -> {
                assertThat(FileGroups.groupOf(r, k)).as("seed %d key %s", seed, k).isEqualTo(group);
                assertThat(seen.add(k)).isTrue();
                if (!group.isEmpty()) {
                    int size = r.models().get(group).size();
                    r.models().forEach((m, l) -> {
                        if (l.contains(k)) assertThat(l.size()).isGreaterThanOrEqualTo(size);
                    });
                }
            }));
            assertThat(seen).isEqualTo(r.files().keySet());
        }
    }
}
