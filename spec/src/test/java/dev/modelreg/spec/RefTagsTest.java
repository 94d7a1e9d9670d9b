package dev.modelreg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RefTagsTest {
    @Test
    void plainRefsAreTheirOwnTags() {
        for (String ref : List.of("develop", "master", "current", "v6.5.0", "6.4.4", "release-candidate", "A-Z.09")) {
            assertThat(RefTags.toTag(ref)).isEqualTo(ref);
            assertThat(RefTags.fromTag(ref)).isEqualTo(ref);
        }
    }

    @Test
    void documentedEscapes() {
        assertThat(RefTags.toTag("feature/x")).isEqualTo("feature_2fx");
        assertThat(RefTags.toTag("my_branch")).isEqualTo("my_5fbranch");
        assertThat(RefTags.toTag("refs/tags/v1.0")).isEqualTo("refs_2ftags_2fv1.0");
        assertThat(RefTags.toTag(".hidden")).isEqualTo("_2ehidden");
        assertThat(RefTags.toTag("-dash")).isEqualTo("_2ddash");
        assertThat(RefTags.toTag("a.-b")).isEqualTo("a.-b");
        assertThat(RefTags.toTag("ü")).isEqualTo("_c3_bc");
        assertThat(RefTags.toTag("a b+c@d")).isEqualTo("a_20b_2bc_40d");
    }

    @Test
    void everyGeneratedRefRoundTripsToAValidTagAndTagsAreDistinct() {
        Random rnd = new Random(20261126);
        String alphabet = "aZ09._-/_+@ ~^:ü模😀\\";
        Map<String, String> refOfTag = new HashMap<>();
        List<String> refs = new ArrayList<>(List.of("_", "__", ".", "-", "..", "a/b/c", "_2f", "_5f", "x_2fy"));
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = 1 + rnd.nextInt(20);
            for (int j = 0; j < len; j++) sb.appendCodePoint(alphabet.codePoints().toArray()[rnd.nextInt(alphabet.codePointCount(0, alphabet.length()))]);
            refs.add(sb.toString());
        }
        for (String ref : refs) {
            String tag = RefTags.toTag(ref);
            assertThat(tag).as(ref).matches(RefTags.TAG);
            assertThat(RefTags.fromTag(tag)).as(tag).isEqualTo(ref);
            String previous = refOfTag.put(tag, ref);
            assertThat(previous == null || previous.equals(ref)).as("collision %s / %s", previous, ref).isTrue();
        }
    }

    @Test
    void tooLongRefIsRefusedNamingIt() {
        String ref = "feature/" + "x".repeat(118); // 8 chars -> 10 in the tag, 128 total: fits
        assertThat(RefTags.toTag(ref)).hasSize(128);
        String longer = ref + "y";
        assertThatThrownBy(() -> RefTags.toTag(longer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ref '" + longer + "' maps to a 129-character tag; OCI tags are at most 128");
    }

    @Test
    void digestsAndEmptyRefsAreNotTags() {
        String digest = Digest.sha256Of(new byte[0]).toString();
        assertThatThrownBy(() -> RefTags.toTag(digest))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is a digest, not a tag");
        assertThatThrownBy(() -> RefTags.toTag("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fromTagRefusesTagsToTagCannotProduce() {
        for (String tag : List.of("feature_2Fx", "a_61", "_2", "x_zz", "a_", "_c3", "_ff", "_2fx_", "-lead", ".lead",
                "with/slash", "", "x".repeat(129))) {
            assertThatThrownBy(() -> RefTags.fromTag(tag)).as(tag).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + tag + "'");
        }
        assertThat(RefTags.fromTag("_2dlead")).isEqualTo("-lead");
    }
}
