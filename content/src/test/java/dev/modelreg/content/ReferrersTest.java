package dev.modelreg.content;

import dev.modelreg.content.store.OciLayout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferrersTest {
    @TempDir
    Path tmp;

    static final Digest D = Digest.sha256Of("x".getBytes(StandardCharsets.UTF_8));

    @Test
    void theTagSchemeNamesTheDigestWithADash() {
        assertThat(Referrers.tagOf(D)).isEqualTo("sha256-" + D.hex());
    }

    @Test
    void indexEntriesKeepTheirArtifactTypeAndBadIndexesAreInvalid() throws Exception {
        String entry = "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + D + "\",\"size\":3";
        List<Referrers.Referrer> rs = Referrers.parse(("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                + "\"manifests\":[" + entry + ",\"artifactType\":\"application/x-sbom\"}," + entry + "}]}").getBytes(StandardCharsets.UTF_8), "r");
        assertThat(rs).extracting(Referrers.Referrer::artifactType).containsExactly("application/x-sbom", "");
        assertThat(rs.get(0).descriptor().digest()).isEqualTo(D);
        assertThatThrownBy(() -> Referrers.parse("{\"mediaType\":\"text/plain\"}".getBytes(StandardCharsets.UTF_8), "r"))
                .isInstanceOf(ContentException.class).hasMessageContaining("not an image index");
        assertThatThrownBy(() -> Referrers.parse("{\"manifests\":[{\"digest\":\"sha256:zz\"}]}".getBytes(StandardCharsets.UTF_8), "r"))
                .isInstanceOf(ContentException.class).hasMessageContaining("r entry 0");
    }

    @Test
    void aLayoutWithoutTheTagHasNone() throws Exception {
        OciLayout layout = OciLayout.open(tmp.resolve("l"));
        Referrers.Found f = Referrers.of(layout, D);
        assertThat(f.via()).isEqualTo(Referrers.Via.NONE);
        assertThat(f.apiSupported()).isNull();
        assertThat(f.referrers()).isEmpty();
    }
}
