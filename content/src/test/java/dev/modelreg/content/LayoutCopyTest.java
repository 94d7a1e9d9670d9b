package dev.modelreg.content;

import dev.modelreg.content.store.OciLayout;
import dev.modelreg.content.store.RegistryStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayoutCopyTest {
    @TempDir Path tmp;

    @Test
    void copiesEverythingThenSkipsEverything() throws IOException {
        OciLayout a = OciLayout.open(tmp.resolve("a"));
        Blobs.Artifact art = Blobs.artifact(1, 5);
        art.pushTo(a);
        a.tag(art.root(), "v1");

        OciLayout b = OciLayout.open(tmp.resolve("b"));
        CopyResult r = Copy.copy(a, "v1", b, "copied", CopyOptions.defaults());
        assertThat(r.root()).isEqualTo(art.root());
        assertThat(r.blobsCopied()).isEqualTo(7); // config + 5 layers + manifest
        assertThat(r.bytesCopied()).isEqualTo(art.blobBytes() + art.root().size());
        assertThat(r.blobsSkipped()).isZero();
        assertThat(b.resolve("copied")).isEqualTo(art.root());
        assertThat(b.readManifest(art.root())).isEqualTo(art.manifestBytes());
        for (var e : art.blobs().entrySet()) {
            assertThat(Files.readAllBytes(b.blobPath(e.getKey().digest()))).isEqualTo(e.getValue());
        }

        CopyResult again = Copy.copy(a, "v1", b, "copied", CopyOptions.defaults().withConcurrency(1));
        assertThat(again.blobsCopied()).isZero();
        assertThat(again.bytesCopied()).isZero();
        assertThat(again.blobsSkipped()).isEqualTo(7);
        assertThat(again.bytesSkipped()).isEqualTo(r.bytesCopied());
    }

    @Test
    void layerFilterCopiesOnlyMatchingLayersButAlwaysManifestAndConfig() throws IOException {
        OciLayout a = OciLayout.open(tmp.resolve("a"));
        Blobs.Artifact art = Blobs.artifact(2, 4);
        art.pushTo(a);
        OciLayout b = OciLayout.open(tmp.resolve("b"));
        Descriptor wanted = art.layer(2);
        CopyResult r = Copy.copy(a, art.root(), b, null,
                CopyOptions.defaults().withLayerFilter(d -> d.digest().equals(wanted.digest())));
        assertThat(r.blobsCopied()).isEqualTo(3);
        assertThat(b.exists(wanted)).isTrue();
        assertThat(b.exists(art.manifest().config())).isTrue();
        assertThat(b.exists(art.root())).isTrue();
        for (int i : new int[] {0, 1, 3}) assertThat(b.exists(art.layer(i))).isFalse();
    }

    @Test
    void corruptSourceBlobNeverReachesTheDestination() throws IOException {
        OciLayout a = OciLayout.open(tmp.resolve("a"));
        Blobs.Artifact art = Blobs.artifact(3, 3);
        art.pushTo(a);
        a.tag(art.root(), "v1");
        Path victim = a.blobPath(art.layer(1).digest());
        byte[] bad = Files.readAllBytes(victim);
        bad[10] ^= 1;
        Files.write(victim, bad);

        OciLayout b = OciLayout.open(tmp.resolve("b"));
        assertThatThrownBy(() -> Copy.copy(a, "v1", b, "v1", CopyOptions.defaults()))
                .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.DIGEST_MISMATCH))
                .hasMessageContaining(art.layer(1).digest().toString())
                .hasMessageContaining(a.name());
        assertThat(b.exists(art.layer(1))).isFalse();
        assertThat(b.exists(art.root())).isFalse();
        assertThat(b.tags()).isEmpty();
        assertThat(LocalStoresTest.leftovers(tmp.resolve("b/ingest")).stream().filter(p -> p.toString().endsWith(".partial"))).isEmpty();
    }

    @Test
    void walksAnImageIndex() throws IOException {
        OciLayout a = OciLayout.open(tmp.resolve("a"));
        Blobs.Artifact one = Blobs.artifact(4, 2);
        Blobs.Artifact two = Blobs.artifact(5, 2);
        one.pushTo(a);
        two.pushTo(a);
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2L);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.put("manifests", List.of(Manifest.descriptorJson(one.root()), Manifest.descriptorJson(two.root())));
        byte[] ib = Json.writeBytes(index);
        Descriptor id = Blobs.describe(MediaTypes.OCI_INDEX, ib);
        a.push(id, new java.io.ByteArrayInputStream(ib));
        a.tag(id, "multi");
        assertThat(a.resolve(id.digest().toString()).mediaType()).isEqualTo(MediaTypes.OCI_INDEX);

        OciLayout b = OciLayout.open(tmp.resolve("b"));
        CopyResult r = Copy.copy(a, "multi", b, "multi", CopyOptions.defaults());
        assertThat(r.blobsCopied()).isEqualTo(2 * 4 + 1);
        assertThat(b.resolve("multi")).isEqualTo(id);
        assertThat(b.exists(one.layer(1))).isTrue();
        assertThat(b.exists(two.root())).isTrue();
    }

    @Test
    void targetsOpensLayoutReferences() throws IOException {
        Path dir = tmp.resolve("x");
        Targets.Opened o = Targets.open(Targets.parse("oci-layout:" + dir + ":v1"), RegistryOptions.defaults());
        assertThat(o.target()).isInstanceOf(OciLayout.class);
        assertThat(o.target().name()).isEqualTo("oci-layout:" + dir);
        assertThat(o.reference()).isEqualTo("v1");
        String digest = "sha256:" + "b".repeat(64);
        assertThat(Targets.open(Targets.parse("oci-layout:" + dir + "@" + digest), RegistryOptions.defaults()).reference()).isEqualTo(digest);
        assertThat(Targets.open(Targets.parse("oci-layout:" + dir), RegistryOptions.defaults()).reference()).isNull();
        assertThatThrownBy(() -> Targets.open(Targets.parse("oci-layout:" + dir + ":bad tag!"), RegistryOptions.defaults()))
                .isInstanceOf(ContentException.class).hasMessageContaining("bad tag!");
        Targets.Opened reg = Targets.open(Targets.parse("127.0.0.1:5999/a/b:t"), RegistryOptions.defaults());
        assertThat(reg.target()).isInstanceOf(RegistryStore.class);
        assertThat(((RegistryStore) reg.target()).scheme()).isEqualTo("http");
        assertThat(reg.reference()).isEqualTo("t");
        assertThat(((RegistryStore) Targets.open(Targets.parse("ghcr.io/a/b"), RegistryOptions.defaults()).target()).scheme()).isEqualTo("https");
        assertThatThrownBy(() -> Targets.open(Targets.parse("models:v1"), RegistryOptions.defaults()))
                .isInstanceOf(ContentException.class).hasMessageStartingWith("invalid OCI reference 'models:v1'");
    }

    @Test
    void unreachableRegistryIsOneLineUnavailable() throws IOException {
        int port;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Targets.Opened reg = Targets.open(Targets.parse("127.0.0.1:" + port + "/a:t"), RegistryOptions.defaults());
        assertThatThrownBy(() -> reg.target().resolve("t"))
                .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.UNAVAILABLE))
                .hasMessage("cannot reach 127.0.0.1:" + port + "/a for tag 't': connection refused");
    }
}
