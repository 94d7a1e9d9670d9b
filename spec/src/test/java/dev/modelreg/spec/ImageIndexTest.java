package dev.modelreg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** index.json as layouts and archives share it: tags, unknown fields kept, limits. */
class ImageIndexTest {
    static final Descriptor A = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256("aa".repeat(32)), 10);
    static final Descriptor B = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256("bb".repeat(32)), 20);

    @Test
    void tagsReplaceTheirOwnEntryAndKeepEverythingElse() {
        String doc = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\""
                + A.digest() + "\",\"size\":10,\"platform\":{\"os\":\"linux\"},\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}],"
                + "\"annotations\":{\"x\":\"y\"}}";
        ImageIndex i = ImageIndex.parse(doc.getBytes(StandardCharsets.UTF_8), "index.json");
        assertThat(i.byTag("v1")).isEqualTo(A);
        ImageIndex j = i.withTag("v2", B).withTag("v1", B);
        assertThat(j.tags()).extracting(ImageIndex.Tagged::tag).containsExactly("v2", "v1");
        assertThat(j.byTag("v1")).isEqualTo(B);
        assertThat(j.byDigest(B.digest())).isEqualTo(B);
        assertThat(i.byTag("v1")).as("immutable").isEqualTo(A);
        String written = new String(i.withTag("v3", B).toBytes(), StandardCharsets.UTF_8);
        assertThat(written).startsWith("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[")
                .contains("\"platform\":{\"os\":\"linux\"}").endsWith("\"annotations\":{\"x\":\"y\"}}");
        assertThat(ImageIndex.parse(i.withTag("v3", B).toBytes(), "again").byTag("v3")).isEqualTo(B);
    }

    @Test
    void refsKeepTheirRepository() {
        ImageIndex i = ImageIndex.empty("i").withTag("v1", A, "h.io/r1").withTag("v1", B, "h.io/r2").withTag("v2", A, null);
        assertThat(i.named()).extracting(ImageIndex.Named::displayName).containsExactly("h.io/r1:v1", "h.io/r2:v1", "v2");
        String written = new String(i.toBytes(), StandardCharsets.UTF_8);
        assertThat(written).contains("\"annotations\":{\"io.containerd.image.name\":\"h.io/r2:v1\",\"org.opencontainers.image.ref.name\":\"v1\"}");
        // the same repository and tag again replaces its entry only; no repository replaces every entry of the tag
        assertThat(i.withTag("v1", B, "h.io/r1").named()).extracting(ImageIndex.Named::displayName)
                .containsExactly("h.io/r2:v1", "v2", "h.io/r1:v1");
        assertThat(i.withTag("v1", A).named()).extracting(ImageIndex.Named::displayName).containsExactly("v2", "v1");
        // a full name in ref.name (podman, skopeo oci:DIR:HOST/REPO:TAG) is read as repository and tag
        String doc = "{\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + A.digest()
                + "\",\"size\":10,\"annotations\":{\"org.opencontainers.image.ref.name\":\"h.io/r3:v9\"}}]}";
        assertThat(ImageIndex.parse(doc.getBytes(StandardCharsets.UTF_8), "i").named())
                .containsExactly(new ImageIndex.Named("h.io/r3", "v9", A));
    }

    @Test
    void badEntriesAndBadTagsAreRefusedNamingTheFile() {
        assertThatThrownBy(() -> ImageIndex.parse("{\"manifests\":[1]}".getBytes(StandardCharsets.UTF_8), "x/index.json"))
                .hasMessage("x/index.json: manifests[0] is not an object");
        assertThatThrownBy(() -> ImageIndex.parse("{\"manifests\":[{\"digest\":\"sha256:1\"}]}".getBytes(StandardCharsets.UTF_8), "i"))
                .hasMessageStartingWith("i manifests[0]");
        assertThatThrownBy(() -> ImageIndex.empty("i").withTag("bad tag", A)).hasMessageContaining("invalid tag 'bad tag'");
        byte[] big = new byte[Limits.MAX_MANIFEST_BYTES + 1];
        assertThatThrownBy(() -> ImageIndex.parse(big, "huge")).hasMessageContaining("huge is " + big.length + " bytes");
    }
}
