package dev.modelreg.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The layers of a model image: one per model group, the two smallest merged while over the limit. */
class ModelImagePlanTest {
    @Test
    void oneLayerPerModelThenTheSmallestMergedToFitTheLimit() {
        SortedMap<String, SortedSet<String>> groups = new TreeMap<>();
        groups.put("", new TreeSet<>(List.of("README")));
        groups.put("m/a", new TreeSet<>(List.of("a/1", "a/2")));
        groups.put("m/b", new TreeSet<>(List.of("b/1")));
        groups.put("m/c", new TreeSet<>(List.of("c/1")));
        groups.put("m/empty", new TreeSet<>());
        Map<String, Long> sizes = Map.of("README", 5L, "a/1", 100L, "a/2", 100L, "b/1", 10L, "c/1", 20L);

        List<ModelImage.Group> all = ModelImage.plan(groups, sizes, 10);
        assertThat(all).extracting(g -> String.join(",", g.groups())).containsExactly("m/a", "m/b", "m/c");
        assertThat(all.get(0).bytes()).isEqualTo(200L);

        List<ModelImage.Group> two = ModelImage.plan(groups, sizes, 2);
        assertThat(two).extracting(g -> String.join(",", g.groups())).containsExactly("m/a", "m/b,m/c");
        assertThat(two.get(1).keys()).containsExactly("b/1", "c/1");
        assertThat(ModelImage.plan(groups, sizes, 1)).hasSize(1).first()
                .satisfies(g -> assertThat(g.groups()).containsExactly("m/a", "m/b", "m/c"));
    }
}
