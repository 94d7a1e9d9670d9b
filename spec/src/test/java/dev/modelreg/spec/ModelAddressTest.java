package dev.modelreg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ModelAddressTest {
    static final Digest PIN = Digest.sha256Of("manifest".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    static final Map<String, List<String>> KNOWN = Map.of(
            "mf6/test", List.of("develop", "feature", "feature/x", "feature/x/y", PIN.toString()),
            "modflow6-examples", List.of("current"));
    static final Function<String, List<String>> REFS = KNOWN::get;

    @Test
    void bareNameHasNoSource() {
        ModelAddress a = ModelAddress.parse("mf6/test/test001a_Tharmonic");
        assertThat(a).isEqualTo(new ModelAddress(null, null, null, "mf6/test/test001a_Tharmonic"));
        assertThat(a.qualified()).isFalse();
        assertThat(a.modelName("ignored")).isEqualTo("mf6/test/test001a_Tharmonic");
        assertThat(a).hasToString("mf6/test/test001a_Tharmonic");
    }

    @Test
    void sourceAtRef() {
        ModelAddress a = ModelAddress.parse("mf6/test@develop/test001a_Tharmonic/sub");
        assertThat(a).isEqualTo(new ModelAddress("mf6/test", "develop", null, "test001a_Tharmonic/sub"));
        assertThat(a.modelName("mf6/test")).isEqualTo("mf6/test/test001a_Tharmonic/sub");
        ModelAddress byKey = ModelAddress.parse("modflow6-examples@current/ex-gwf-twri01");
        assertThat(byKey.source()).isEqualTo("modflow6-examples");
        assertThat(byKey.modelName("mf6/example")).isEqualTo("mf6/example/ex-gwf-twri01");
        ModelAddress whole = ModelAddress.parse("mf6/test@develop");
        assertThat(whole.path()).isEmpty();
        assertThat(whole.modelName("mf6/test")).isEqualTo("mf6/test");
        assertThat(whole).hasToString("mf6/test@develop");
    }

    @Test
    void refWithSlashesUsesTheLongestKnownRef() {
        assertThat(ModelAddress.parse("mf6/test@feature/x/y/model/a", REFS))
                .isEqualTo(new ModelAddress("mf6/test", "feature/x/y", null, "model/a"));
        assertThat(ModelAddress.parse("mf6/test@feature/x/model", REFS))
                .isEqualTo(new ModelAddress("mf6/test", "feature/x", null, "model"));
        assertThat(ModelAddress.parse("mf6/test@feature/x", REFS))
                .isEqualTo(new ModelAddress("mf6/test", "feature/x", null, ""));
        // "feature/xy" is not "feature/x" followed by '/': the shorter known ref "feature" wins
        assertThat(ModelAddress.parse("mf6/test@feature/xy/m", REFS))
                .isEqualTo(new ModelAddress("mf6/test", "feature", null, "xy/m"));
        // unknown ref of a known source, and a source whose refs are unknown: first segment
        assertThat(ModelAddress.parse("mf6/test@v6.5.0/m/n", REFS))
                .isEqualTo(new ModelAddress("mf6/test", "v6.5.0", null, "m/n"));
        assertThat(ModelAddress.parse("other@feature/x/m", REFS))
                .isEqualTo(new ModelAddress("other", "feature", null, "x/m"));
        assertThat(ModelAddress.parse("mf6/test@feature/x/y/model/a"))
                .isEqualTo(new ModelAddress("mf6/test", "feature", null, "x/y/model/a"));
    }

    @Test
    void digestPin() {
        ModelAddress a = ModelAddress.parse("mf6/test@" + PIN + "/test001a_Tharmonic", REFS);
        assertThat(a).isEqualTo(new ModelAddress("mf6/test", null, PIN, "test001a_Tharmonic"));
        assertThat(a.refOrPin()).isEqualTo(PIN.toString());
        assertThat(ModelAddress.parse("src@" + PIN).path()).isEmpty();
        assertThatThrownBy(() -> ModelAddress.parse("src@sha256:abc/m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid model address 'src@sha256:abc/m': invalid sha256 digest 'abc'");
        assertThatThrownBy(() -> ModelAddress.parse("src@md5:" + PIN.hex() + "/m"))
                .hasMessageContaining("unsupported digest algorithm 'md5'");
    }

    @Test
    void toStringRoundTrips() {
        for (String text : List.of("a", "mf6/test/m", "mf6/test@develop/m/sub", "mf6/test@feature/x/y/model/a",
                "mf6/test@feature/x", "src@" + PIN + "/m", "src@" + PIN, "k@ü/模型/x y")) {
            ModelAddress a = ModelAddress.parse(text, REFS);
            assertThat(a.toString()).isEqualTo(text);
            assertThat(ModelAddress.parse(a.toString(), REFS)).isEqualTo(a);
        }
    }

    @Test
    void badAddressesGiveOneLineErrorsNamingThem() {
        for (String text : List.of("", "  ", "@develop/m", "src@/m", "src@", "a//b", "/abs", "trail/", "a/../b",
                "src@develop/m//n", "src@develop/./m", "mf6//test@develop/m", "src@dev\tx/m", "a/b\u0001")) {
            assertThatThrownBy(() -> ModelAddress.parse(text, REFS)).as(text)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("invalid model address '" + text + "': ")
                    .satisfies(e -> assertThat(e.getMessage().replace(text, "")).doesNotContain("\n"));
        }
        assertThatThrownBy(() -> ModelAddress.parse(null)).hasMessageStartingWith("invalid model address 'null'");
    }

    @Test
    void constructorRefusesMixedForms() {
        assertThatThrownBy(() -> new ModelAddress(null, "develop", null, "m")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ModelAddress("s", "develop", PIN, "m")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ModelAddress("s", null, null, "m")).isInstanceOf(IllegalArgumentException.class);
    }
}
