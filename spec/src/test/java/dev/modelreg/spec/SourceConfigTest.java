package dev.modelreg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A source built in code is the same value as one read from a bootstrap file, its oci parsed once. */
class SourceConfigTest {
    @Test
    void theBuilderGivesTheDefaultsOfATable() throws Exception {
        SourceConfig built = SourceConfig.builder("ex").oci(Reference.parseRepository("oci-layout:/srv/models"))
                .refs(List.of("main")).build();
        SourceConfig read = BootstrapConfig.parse("[sources.ex]\noci = \"oci-layout:/srv/models\"\nrefs = [\"main\"]\n"
                .getBytes(UTF_8), "boot.toml").source("ex");
        assertThat(built).isEqualTo(read);
        assertThat(built.name()).isEqualTo("ex");
        assertThat(built.registryPath()).isEqualTo(SourceConfig.DEFAULT_REGISTRY_PATH);
        assertThat(built.oci().kind()).isEqualTo(Reference.Kind.LAYOUT);
        assertThat(built.toJson()).containsEntry("oci", "oci-layout:/srv/models");

        SourceConfig github = built.toBuilder().repo("o/n").oci(null).name("mf6/test").build();
        assertThat(github.repo()).isEqualTo("o/n");
        assertThat(github.oci()).isNull();
        assertThat(github.refs()).containsExactly("main");
        assertThat(built.oci()).isNotNull(); // a value: deriving leaves it as it was
    }

    @Test
    void aSourceNamesOneRepositoryWithoutTagOrDigest() {
        assertThatThrownBy(() -> SourceConfig.builder("ex").build()).hasMessageContaining("needs repo or oci");
        assertThatThrownBy(() -> SourceConfig.builder("ex").oci(Reference.parse("ghcr.io/org/models:v1")).build())
                .hasMessageContaining("names a tag or digest");
    }
}
