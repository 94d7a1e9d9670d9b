package dev.modelreg.testkit;

import static dev.modelreg.testkit.OciTestData.tar;
import static dev.modelreg.testkit.OciTestData.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Permanent interop check of OUR artifact shape against the real tools: distribution 2.8.2 (docker-registry) and
 * skopeo 1.9.3. The manifest has artifactType {@value MediaTypes#ARTIFACT_TYPE}, the config is models.toml bytes
 * with media type {@value MediaTypes#CONFIG}, and the layers are file layers ({@value MediaTypes#FILE_LAYER},
 * including an empty file and two files with the same content) and a tar layer ({@value MediaTypes#TAR_LAYER}).
 */
class ModelregArtifactInteropTest {
    @TempDir Path tmp;

    @Test
    void registryStoresOurArtifactAndSkopeoInspectsAndCopiesItUnchanged() throws Exception {
        try (RegistryFixture r = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp)) {
            RegistryHttp http = new RegistryHttp(r);
            Artifact a = pushArtifact(http, "modflow/testmodels", "develop");

            // the registry keeps the exact bytes, but only hands them to clients that accept OCI manifests
            assertThat(http.getManifest("modflow/testmodels", "develop", MediaTypes.OCI_MANIFEST)).isEqualTo(a.manifest());
            assertThat(http.getManifest("modflow/testmodels", a.manifestDigest().toString(), MediaTypes.MANIFEST_ACCEPT))
                    .isEqualTo(a.manifest());
            HttpResponse<String> noAccept = http.send("GET", "/v2/modflow/testmodels/manifests/develop", null);
            assertThat(noAccept.statusCode()).isEqualTo(404);
            assertThat(noAccept.body()).contains("OCI manifest found, but accept header does not support OCI manifests");
            HttpResponse<String> dockerOnly = http.send("GET", "/v2/modflow/testmodels/manifests/develop", MediaTypes.DOCKER_MANIFEST);
            assertThat(dockerOnly.statusCode()).isEqualTo(404);
            HttpResponse<String> head = http.send("HEAD", "/v2/modflow/testmodels/manifests/develop", MediaTypes.OCI_MANIFEST);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("Docker-Content-Digest")).hasValue(a.manifestDigest().toString());
            assertThat(head.headers().firstValue("Content-Type")).hasValue(MediaTypes.OCI_MANIFEST);
            assertThat(http.getBlob("modflow/testmodels", a.configDigest())).isEqualTo(a.config());
            assertThat(http.send("GET", "/v2/modflow/testmodels/tags/list", null).body()).contains("\"develop\"");

            // skopeo inspect --raw: exact bytes; plain inspect refuses artifacts
            assertThat(Skopeo.inspectRaw(r.reference("modflow/testmodels:develop"), false).getBytes(StandardCharsets.UTF_8))
                    .isEqualTo(a.manifest());
            assertThatThrownBy(() -> Skopeo.copy("docker://" + r.reference("modflow/testmodels:nope"), "oci:" + tmp.resolve("x") + ":x",
                    Skopeo.flagsFor(r, "src"))).hasMessageContaining("manifest unknown");
            assertThatThrownBy(() -> runPlainInspect(r.reference("modflow/testmodels:develop")))
                    .hasMessageContaining("unsupported image-specific operation on artifact with type")
                    .hasMessageContaining(MediaTypes.CONFIG);

            // skopeo copy registry -> OCI layout: same manifest digest, every blob byte for byte (no re-compression)
            Path oci = tmp.resolve("layout");
            Skopeo.copy("docker://" + r.reference("modflow/testmodels:develop"), "oci:" + oci + ":develop", Skopeo.flagsFor(r, "src"));
            SkopeoTest.assertOciLayoutHolds(oci, "develop", new SkopeoTest.Pushed(a.manifestDigest(), a.manifest(), a.blobs()));

            // and back: OCI layout -> another repository, and registry -> registry (mirror)
            Skopeo.copy("oci:" + oci + ":develop", "docker://" + r.reference("mirror/back:develop"), Skopeo.flagsFor(r, "dest"));
            assertThat(http.getManifest("mirror/back", "develop", MediaTypes.OCI_MANIFEST)).isEqualTo(a.manifest());
            List<String> both = new ArrayList<>(Skopeo.flagsFor(r, "src"));
            both.addAll(Skopeo.flagsFor(r, "dest"));
            Skopeo.copy("docker://" + r.reference("modflow/testmodels:develop"), "docker://" + r.reference("mirror/direct:feature_2fx"), both);
            assertThat(http.getManifest("mirror/direct", "feature_2fx", MediaTypes.OCI_MANIFEST)).isEqualTo(a.manifest());
            for (Map.Entry<Digest, byte[]> b : a.blobs().entrySet()) {
                assertThat(http.getBlob("mirror/direct", b.getKey())).as(b.getKey().toString()).isEqualTo(b.getValue());
            }

            // delete is enabled: the manifest goes away by digest
            assertThat(http.send("DELETE", "/v2/mirror/back/manifests/" + a.manifestDigest(), null).statusCode()).isEqualTo(202);
            assertThat(http.send("GET", "/v2/mirror/back/manifests/develop", MediaTypes.OCI_MANIFEST).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void skopeoCopiesOurArtifactFromATlsRegistryWithBasicAuth() throws Exception {
        try (RegistryFixture r = RegistryFixture.start(RegistryFixture.Mode.TLS_BASIC_AUTH, tmp)) {
            Artifact a = pushArtifact(new RegistryHttp(r), "secure/models", "v6.5.0");
            Path oci = tmp.resolve("layout");
            Skopeo.copy("docker://" + r.reference("secure/models:v6.5.0"), "oci:" + oci + ":v6.5.0", Skopeo.flagsFor(r, "src"));
            SkopeoTest.assertOciLayoutHolds(oci, "v6.5.0", new SkopeoTest.Pushed(a.manifestDigest(), a.manifest(), a.blobs()));
        }
    }

    record Artifact(Digest manifestDigest, byte[] manifest, Digest configDigest, byte[] config, Map<Digest, byte[]> blobs) {}

    /** Pushes a modelreg-shaped artifact (blobs first, then the manifest by tag) and returns what was pushed. */
    static Artifact pushArtifact(RegistryHttp http, String repo, String tag) {
        byte[] big = new byte[300_000];
        new Random(7).nextBytes(big);
        byte[] same = utf8("BEGIN OPTIONS\nEND OPTIONS\n");
        Map<String, byte[]> small = new LinkedHashMap<>();
        small.put("mf6/test001a/mfsim.nam", utf8("BEGIN models\n  gwf6 model.nam gwf\nEND models\n"));
        small.put("mf6/test001a/model.dis", utf8("BEGIN DIMENSIONS\n NLAY 1\nEND DIMENSIONS\n"));
        byte[] tarLayer = tar(small);
        byte[] config = utf8("""
                [files]
                "mf6/test001a/big.hds" = {hash = "%s"}
                "mf6/test001a/empty.txt" = {hash = "%s"}
                "mf6/test001a/mfsim.nam" = {hash = "%s"}
                "mf6/test001a/model.dis" = {hash = "%s"}
                "mf6/test001a/model.ic" = {hash = "%s"}
                "mf6/test001a/model.sto" = {hash = "%s"}

                [models]
                "mf6/test001a" = ["mf6/test001a/big.hds", "mf6/test001a/empty.txt", "mf6/test001a/mfsim.nam", "mf6/test001a/model.dis", "mf6/test001a/model.ic", "mf6/test001a/model.sto"]
                """.formatted(Digest.sha256Of(big).hex(), Digest.sha256Of(new byte[0]).hex(),
                Digest.sha256Of(small.get("mf6/test001a/mfsim.nam")).hex(), Digest.sha256Of(small.get("mf6/test001a/model.dis")).hex(),
                Digest.sha256Of(same).hex(), Digest.sha256Of(same).hex()));

        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        Digest configDigest = push(http, repo, config, blobs);
        List<Descriptor> layers = List.of(
                file(http, repo, "mf6/test001a/big.hds", big, blobs),
                file(http, repo, "mf6/test001a/empty.txt", new byte[0], blobs),
                file(http, repo, "mf6/test001a/model.ic", same, blobs),
                file(http, repo, "mf6/test001a/model.sto", same, blobs), // same digest twice in one manifest
                Descriptor.of(MediaTypes.TAR_LAYER, push(http, repo, tarLayer, blobs), tarLayer.length)
                        .withAnnotations(Map.of(Annotations.TITLE, "mf6/test001a.tar", Annotations.GROUP, "mf6/test001a",
                                Annotations.FILE_COUNT, "2")));
        Manifest m = new Manifest(MediaTypes.ARTIFACT_TYPE, Descriptor.of(MediaTypes.CONFIG, configDigest, config.length), layers,
                Map.of(Annotations.REF, "develop", Annotations.CREATED, "2026-01-01T00:00:00Z"));
        byte[] manifest = m.toBytes();
        Digest md = http.putManifest(repo, tag, MediaTypes.OCI_MANIFEST, manifest);
        assertThat(md).isEqualTo(Digest.sha256Of(manifest)).isEqualTo(m.descriptor().digest());
        assertThat(Json.parseObject(manifest, "manifest")).containsEntry("artifactType", MediaTypes.ARTIFACT_TYPE);
        return new Artifact(md, manifest, configDigest, config, blobs);
    }

    private static Descriptor file(RegistryHttp http, String repo, String title, byte[] content, Map<Digest, byte[]> blobs) {
        return Descriptor.of(MediaTypes.FILE_LAYER, push(http, repo, content, blobs), content.length)
                .withAnnotations(Map.of(Annotations.TITLE, title));
    }

    private static Digest push(RegistryHttp http, String repo, byte[] content, Map<Digest, byte[]> blobs) {
        Digest d = http.pushBlob(repo, content);
        blobs.put(d, content);
        return d;
    }

    private static void runPlainInspect(String ref) {
        Tools.Result res = Tools.run(List.of(Skopeo.BINARY, "inspect", "--tls-verify=false", "docker://" + ref), java.time.Duration.ofSeconds(60));
        if (res.exitCode() != 0) throw new AssertionError(res.stderr());
    }

}
