package dev.modelreg.spec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorsTest {
    @TempDir Path tmp;

    static Mirrors parse(String toml) throws java.io.IOException {
        return BootstrapConfig.parse(toml.getBytes(UTF_8), "m.toml").mirrors();
    }

    @Test
    void threeFormsLongestWholeComponentPrefixWins() throws java.io.IOException {
        Mirrors m = parse("""
                [mirrors]
                "ghcr.io/modflow-org" = ["registry.internal/mirror/modflow-org", "backup.internal:5000/mf"]
                "ghcr.io" = "cache.internal:5001"
                "ghcr.io/modflow-org/secret" = { endpoints = ["vault.internal/secret"], mirror_only = true }
                """);
        assertThat(m.endpoints("ghcr.io/modflow-org/modflow6-testmodels")).containsExactly(
                "registry.internal/mirror/modflow-org/modflow6-testmodels", "backup.internal:5000/mf/modflow6-testmodels",
                "ghcr.io/modflow-org/modflow6-testmodels");
        assertThat(m.endpoints("ghcr.io/modflow-orgs/x")).containsExactly("cache.internal:5001/modflow-orgs/x", "ghcr.io/modflow-orgs/x");
        assertThat(m.endpoints("ghcr.io/modflow-org/secret/a")).containsExactly("vault.internal/secret/a");
        assertThat(m.mirrorOnly("ghcr.io/modflow-org/secret/a")).isTrue();
        assertThat(m.endpoints("ghcr.io/modflow-org")).containsExactly("registry.internal/mirror/modflow-org",
                "backup.internal:5000/mf", "ghcr.io/modflow-org");
        assertThat(m.endpoints("quay.io/x/y")).containsExactly("quay.io/x/y");
        assertThat(m.endpoints("oci-layout:/ghcr.io/x")).containsExactly("oci-layout:/ghcr.io/x");
        assertThat(parse("[sources.a]\nrepo = \"o/n\"\n")).isEqualTo(Mirrors.NONE);
    }

    @Test
    void badRulesNameFileAndKey() {
        for (String bad : List.of("\"ghcr.io/x\" = []", "\"ghcr.io/x\" = 3", "\"ghcr.io/x\" = [1]",
                "\"ghcr.io/x/\" = \"b/x\"", "\"ghcr.io/x:tag\" = \"b/x\"", "\"ghcr.io/x\" = \"b/x@sha256:00\"",
                "\"ghcr.io/x\" = { endpoints = [\"b\"], mirror_only = \"yes\" }",
                "\"ghcr.io/x\" = { endpoint = [\"b\"] }", "\"oci-layout:/x\" = \"b\"")) {
            assertThatThrownBy(() -> parse("[mirrors]\n" + bad + "\n")).as(bad)
                    .isInstanceOf(RegistryFormatException.class).hasMessageStartingWith("m.toml: [mirrors]");
        }
        assertThatThrownBy(() -> parse("mirrors = 1\n")).hasMessageContaining("[mirrors] must be a table");
    }

    @Test
    void overlayAndConfigFileCarryRules() throws java.io.IOException {
        Path overlay = tmp.resolve("overlay.toml");
        Files.writeString(overlay, "[mirrors]\n\"ghcr.io\" = \"m.internal\"\n");
        BootstrapConfig c = BootstrapConfig.load(BootstrapConfig.bundledBytes(), overlay);
        assertThat(c.mirrors().endpoints("ghcr.io/a/b")).containsExactly("m.internal/a/b", "ghcr.io/a/b");
        assertThat(c.sources()).isEqualTo(BootstrapConfig.bundled().sources());
        assertThat(BootstrapConfig.bundled().mirrors()).isEqualTo(Mirrors.NONE);
        assertThat(BootstrapConfig.fromFile(overlay).mirrors().rules()).containsOnlyKeys("ghcr.io");
    }
}
