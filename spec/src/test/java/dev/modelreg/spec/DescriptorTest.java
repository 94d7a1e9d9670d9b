package dev.modelreg.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Descriptor's written-out equals/hashCode: every component counts, annotations compare as a map. */
class DescriptorTest {
    static final Digest D = Digest.sha256("ab".repeat(32));

    @Test
    void equalByEveryComponent() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("b", "2");
        ab.put("a", "1");
        Descriptor d = new Descriptor(MediaTypes.TAR_LAYER, D, 10, ab);
        Descriptor same = new Descriptor(MediaTypes.TAR_LAYER, Digest.parse(D.toString()), 10, Map.of("a", "1", "b", "2"));
        assertThat(d).isEqualTo(same).hasSameHashCodeAs(same).isEqualTo(d);
        for (Descriptor other : List.of(new Descriptor("application/x", D, 10, ab), new Descriptor(MediaTypes.TAR_LAYER,
                        Digest.sha256("cd".repeat(32)), 10, ab), new Descriptor(MediaTypes.TAR_LAYER, D, 11, ab),
                new Descriptor(MediaTypes.TAR_LAYER, D, 10, Map.of("a", "1")), Descriptor.of(MediaTypes.TAR_LAYER, D, 10))) {
            assertThat(other).as("%s", other).isNotEqualTo(d);
        }
        assertThat(d).isNotEqualTo(null).isNotEqualTo(D);
    }
}
