package dev.modelreg.content.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** WWW-Authenticate as registries send it: any parameter order, quoted or not, several challenges. */
class ChallengeTest {
    @Test
    void bearerWithParametersInAnyOrder() {
        List<Challenge> cs = Challenge.parse("Bearer scope=\"repository:a/b:pull\",realm=\"https://auth.example/token\", service=registry");
        assertThat(cs).singleElement().satisfies(c -> {
            assertThat(c.isBearer()).isTrue();
            assertThat(c.param("realm")).isEqualTo("https://auth.example/token");
            assertThat(c.param("Service")).isEqualTo("registry");
            assertThat(c.param("scope")).isEqualTo("repository:a/b:pull");
        });
    }

    @Test
    void severalChallengesAndEscapes() {
        List<Challenge> cs = Challenge.parse("Basic realm=\"Registry \\\"R\\\", inc\", Bearer realm=\"https://t\",service=\"s\"");
        assertThat(cs).extracting(Challenge::scheme).containsExactly("basic", "bearer");
        assertThat(cs.get(0).param("realm")).isEqualTo("Registry \"R\", inc");
        assertThat(cs.get(1).param("service")).isEqualTo("s");
    }

    @Test
    void nothingUsableIsEmptyNotAnError() {
        assertThat(Challenge.parse(null)).isEmpty();
        assertThat(Challenge.parse("")).isEmpty();
        assertThat(Challenge.parse("Bearer")).singleElement().satisfies(c -> assertThat(c.params()).isEmpty());
        assertThat(Challenge.parse("=\"x\"")).isEmpty();
    }
}
