package dev.modelreg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The one reference grammar: every form, the tag and digest rules, '@' and ':' in local paths, one-line errors. */
class ReferenceTest {
    static final String D = "sha256:" + "ab".repeat(32);

    @Test
    void registryReferences() {
        Reference r = Reference.parse("127.0.0.1:5000/models/x:v1");
        assertThat(r.kind()).isEqualTo(Reference.Kind.REGISTRY);
        assertThat(r.location()).isEqualTo("127.0.0.1:5000/models/x");
        assertThat(r.tag()).isEqualTo("v1");
        assertThat(r.reference()).isEqualTo("v1");
        assertThat(r.registry().registry()).isEqualTo("127.0.0.1:5000");
        assertThat(Reference.parse("127.0.0.1:5000/models/x").reference()).isNull();
        Reference pinned = Reference.parse("ghcr.io/o/r:v2@" + D);
        assertThat(pinned.tag()).isEqualTo("v2");
        assertThat(pinned.reference()).as("the digest is what is resolved").isEqualTo(D);
        assertThat(pinned.toString()).isEqualTo("ghcr.io/o/r:v2@" + D);
        assertThat(Reference.parse(pinned.toString())).isEqualTo(pinned);
    }

    @Test
    void layoutAndArchiveReferences() {
        Reference l = Reference.parse("oci-layout:/tmp/a:b/layout:demo");
        assertThat(l.kind()).isEqualTo(Reference.Kind.LAYOUT);
        assertThat(l.path()).isEqualTo(Path.of("/tmp/a:b/layout"));
        assertThat(l.tag()).isEqualTo("demo");
        assertThat(l.location()).isEqualTo("oci-layout:/tmp/a:b/layout");
        assertThat(Reference.parse("oci-layout:rel/dir").reference()).isNull();
        assertThat(Reference.parse("oci-layout:/l@" + D).digest()).isEqualTo(Digest.parse(D));
        Reference a = Reference.parse("oci-archive:/x@y/m.tar@" + D);
        assertThat(a.kind()).isEqualTo(Reference.Kind.ARCHIVE);
        assertThat(a.path()).as("an @ in a path is part of the path").isEqualTo(Path.of("/x@y/m.tar"));
        assertThat(a.digest()).isEqualTo(Digest.parse(D));
        assertThat(Reference.parse("oci-archive:/x@y/m.tar:v1").path()).isEqualTo(Path.of("/x@y/m.tar"));
        assertThat(Reference.parse("oci-archive:models.tar").location()).isEqualTo("oci-archive:models.tar");
        Reference both = Reference.parse("oci-layout:/l:v1@" + D);
        assertThat(both.tag()).isEqualTo("v1");
        assertThat(both.reference()).isEqualTo(D);
        assertThat(Reference.parse(both.toString())).isEqualTo(both);
    }

    @Test
    void errorsAreOneLineAndNameTheText() {
        assertThatThrownBy(() -> Reference.parse("oci-layout:/d:bad tag!")).hasMessageContaining("invalid tag 'bad tag!'");
        assertThatThrownBy(() -> Reference.parse("oci-archive::v1")).hasMessageContaining("no file in 'oci-archive::v1'");
        assertThatThrownBy(() -> Reference.parse("oci-layout:/l@sha256:beef")).hasMessageContaining("invalid reference")
                .hasMessageContaining("sha256");
        assertThatThrownBy(() -> Reference.parse("models:v1")).hasMessageContaining("invalid OCI reference 'models:v1'");
        assertThatThrownBy(() -> Reference.parse("./layout:v1")).hasMessageContaining("oci-layout:DIR");
        assertThatThrownBy(() -> Reference.parse("")).hasMessageContaining("empty reference");
        assertThatThrownBy(() -> Reference.parse("oci-layout:/d:\u001b[31mred")).satisfies(e ->
                assertThat(e.getMessage()).doesNotContain("\u001b").contains("\\u001b"));
    }

    @Test
    void repositoriesHaveNoTagOrDigest() {
        assertThat(Reference.parseRepository("ghcr.io/org/models").location()).isEqualTo("ghcr.io/org/models");
        assertThat(Reference.parseRepository("oci-layout:/a/b").kind()).isEqualTo(Reference.Kind.LAYOUT);
        assertThatThrownBy(() -> Reference.parseRepository("ghcr.io/org/models:v1")).hasMessageContaining("only the repository");
        assertThatThrownBy(() -> Reference.parseRepository("oci-archive:/m.tar@" + D)).hasMessageContaining("only the repository");
    }
}
