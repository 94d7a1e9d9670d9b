package dev.modelreg.testkit;

import static dev.modelreg.testkit.OciTestData.tar;
import static dev.modelreg.testkit.OciTestData.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** skopeo against the fixture registry with a plain OCI image pushed by hand. */
class SkopeoTest {
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    @TempDir Path tmp;

    @Test
    void inspectsAndCopiesAHandPushedOciImage() throws Exception {
        try (RegistryFixture r = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp)) {
            Pushed img = pushTinyImage(new RegistryHttp(r), "tiny/image", "v1");

            String raw = Skopeo.inspectRaw(r.reference("tiny/image:v1"), false);
            assertThat(raw).isEqualTo(new String(img.manifest(), java.nio.charset.StandardCharsets.UTF_8));

            Path oci = tmp.resolve("oci");
            List<String> flags = new java.util.ArrayList<>(Skopeo.flagsFor(r, "src"));
            flags.add("--preserve-digests");
            Skopeo.copy("docker://" + r.reference("tiny/image:v1"), "oci:" + oci + ":v1", flags);
            assertOciLayoutHolds(oci, "v1", img);

            // without --preserve-digests, skopeo 1.9 gzips the uncompressed layer of an *image* on the way into an
            // OCI layout and so writes a different manifest (artifacts are left alone: see ModelregArtifactInteropTest)
            Path gz = tmp.resolve("oci-gz");
            Skopeo.copy("docker://" + r.reference("tiny/image:v1"), "oci:" + gz + ":v1", Skopeo.flagsFor(r, "src"));
            String rewritten = Files.readString(gz.resolve("index.json"));
            assertThat(rewritten).doesNotContain(img.manifestDigest().toString());
        }
    }

    @Test
    void worksAgainstTlsAndBasicAuthThroughFlagsFor() {
        try (RegistryFixture r = RegistryFixture.start(RegistryFixture.Mode.TLS_BASIC_AUTH, tmp)) {
            Pushed img = pushTinyImage(new RegistryHttp(r), "secure/image", "v1");
            assertThat(Skopeo.inspectRaw(r.reference("secure/image:v1"), true, Skopeo.flagsFor(r, "")))
                    .isEqualTo(new String(img.manifest(), java.nio.charset.StandardCharsets.UTF_8));
            // without credentials the registry refuses, and skopeo's error text comes through
            assertThatThrownBy(() -> Skopeo.inspectRaw(r.reference("secure/image:v1"), true,
                    List.of("--cert-dir=" + r.caFile().getParent())))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("skopeo failed")
                    .hasMessageContaining("unauthorized");
        }
    }

    @Test
    void failsLoudlyWithSkopeosStderr() {
        assertThatThrownBy(() -> Skopeo.inspectRaw("127.0.0.1:1/nothing/here:v1", false))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("skopeo failed (exit 1)")
                .hasMessageContaining("127.0.0.1:1");
    }

    record Pushed(Digest manifestDigest, byte[] manifest, Map<Digest, byte[]> blobs) {}

    /** A one-layer OCI image (uncompressed tar layer) pushed blob by blob and manifest by tag. */
    static Pushed pushTinyImage(RegistryHttp http, String repo, String tag) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("hello.txt", utf8("hello from a hand-made layer\n"));
        byte[] layer = tar(files);
        Digest layerDigest = Digest.sha256Of(layer);
        byte[] config = utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + layerDigest + "\"]}}");
        Digest configDigest = http.pushBlob(repo, config);
        assertThat(http.pushBlob(repo, layer)).isEqualTo(layerDigest);
        byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length + "},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}");
        Digest md = http.putManifest(repo, tag, OCI_MANIFEST, manifest);
        assertThat(md).isEqualTo(Digest.sha256Of(manifest));
        return new Pushed(md, manifest, Map.of(configDigest, config, layerDigest, layer));
    }

    /** The layout's index tags {@code tag} -> the manifest, and every blob is there byte for byte. */
    @SuppressWarnings("unchecked")
    static void assertOciLayoutHolds(Path oci, String tag, Pushed img) throws Exception {
        assertThat(Files.readString(oci.resolve("oci-layout"))).contains("\"imageLayoutVersion\"");
        Map<String, Object> index = Json.parseObject(Files.readAllBytes(oci.resolve("index.json")), "index.json");
        List<Object> manifests = (List<Object>) index.get("manifests");
        assertThat(manifests).hasSize(1);
        Map<String, Object> entry = (Map<String, Object>) manifests.get(0);
        assertThat(entry.get("digest")).isEqualTo(img.manifestDigest().toString());
        assertThat((Map<String, Object>) entry.get("annotations")).containsEntry("org.opencontainers.image.ref.name", tag);
        assertThat(blob(oci, img.manifestDigest())).as("manifest bytes unchanged by skopeo").isEqualTo(img.manifest());
        for (Map.Entry<Digest, byte[]> b : img.blobs().entrySet()) {
            assertThat(blob(oci, b.getKey())).as(b.getKey().toString()).isEqualTo(b.getValue());
        }
    }

    static byte[] blob(Path oci, Digest d) throws Exception {
        return Files.readAllBytes(oci.resolve("blobs").resolve(d.algorithm()).resolve(d.hex()));
    }
}
