package dev.modelreg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * modflow-devtools 1.8 kept its registry in three files (registry.toml: one top-level table per file; models.toml and
 * examples.toml: one top-level list per model or example). Read as a models.toml they would be an empty registry:
 * each is refused in one line that names the format and the file.
 */
class SplitRegistryFormatTest {
    private static void refused(String text, String origin, String... saying) {
        assertThatThrownBy(() -> ModelsTomlCodec.read(text.getBytes(StandardCharsets.UTF_8), origin))
                .isInstanceOfSatisfying(RegistryFormatException.class, e -> assertThat(e.kind()).isEqualTo(ModelregException.Kind.INVALID))
                .hasMessageStartingWith(origin + ": modflow-devtools' split registry format of devtools 1.8")
                .hasMessageContainingAll(saying)
                .hasMessageContaining("modelreg make-registry")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void theThreeFilesOfTheSplitFormatAreRefusedNamingIt() {
        refused("""
                "mf6/test/test001a_Tharmonic" = [
                    "test001a_Tharmonic/flow15.dis",
                    "test001a_Tharmonic/mfsim.nam",
                ]
                """, "https://example.test/models.toml", "model or example lists", "models.toml", "'mf6/test/test001a_Tharmonic'");
        refused("""
                ex-gwe-ates = [
                    "mf6/example/ex-gwe-ates",
                ]
                """, "examples.toml", "examples.toml", "'ex-gwe-ates'");
        refused("""
                ["test001a_Tharmonic/flow15.dis"]
                hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
                url = "https://raw.githubusercontent.com/o/n/master/mf6/test001a_Tharmonic/flow15.dis"
                """, "registry.toml", "file entries at the top level", "registry.toml", "'test001a_Tharmonic/flow15.dis'");
    }

    @Test
    void anEmptyOrOneFileRegistryStillReads() throws Exception {
        assertThat(ModelsTomlCodec.read(new byte[0], "empty").files()).isEmpty();
        ModelsToml r = ModelsTomlCodec.read("""
                schema_version = "1.0"
                [_meta]
                devtools_version = "1.9.0"
                [models]
                "m" = ["m/a"]
                """.getBytes(StandardCharsets.UTF_8), "one file");
        assertThat(r.models()).containsKey("m");
    }
}
