package dev.modelreg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GlobTest {
    @Test
    void starStaysInASegmentAndDoubleStarCrossesThem() {
        Glob g = Glob.of("mf6/test1*/**", "--include");
        assertThat(g.matches("mf6/test1a/mfsim.nam")).isTrue();
        assertThat(g.matches("mf6/test12/gwf/deep/x.dis")).isTrue();
        assertThat(g.matches("mf6/test2/mfsim.nam")).isFalse();
        assertThat(g.matches("mf6/x/test1a/mfsim.nam")).isFalse();
        assertThat(Glob.of("*.nam", "g").matches("a/b.nam")).isFalse();
        assertThat(Glob.of("**/*.nam", "g").matches("a/b.nam")).isTrue();
        assertThat(Glob.of("**/*.nam", "g").matches("b.nam")).isTrue();
        assertThat(Glob.of("a/**", "g").matches("a/b/c")).isTrue();
        assertThat(Glob.of("a/**", "g").matches("ab/c")).isFalse();
        assertThat(Glob.of("a?c", "g").matches("abc")).isTrue();
        assertThat(Glob.of("a?c", "g").matches("a/c")).isFalse();
        assertThat(Glob.of("a.b+(c)", "g").matches("a.b+(c)")).as("regex characters are literal").isTrue();
        assertThat(Glob.of("a.b", "g").matches("axb")).isFalse();
        assertThat(Glob.of("x/y", "g").isPattern()).isFalse();
        assertThat(Glob.of("x/*", "g").isPattern()).isTrue();
    }

    @Test
    void globsThatLeaveTheTreeAreRefusedInOneLine() {
        for (String bad : List.of("../x", "a/../b", "/abs", "a//b", "./a", "", "a\nb")) {
            assertThatThrownBy(() -> Glob.of(bad, "--include")).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("--include: ").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }
}
