package dev.modelreg.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.content.RegistryOptions;
import dev.modelreg.spec.GitHubUrls;
import dev.modelreg.spec.Reference;
import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.ModelsTomlCodec;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.RegistryHttp;
import dev.modelreg.testkit.Request;
import dev.modelreg.testkit.Skopeo;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Push against the real distribution registry, read back with our HTTP client and with skopeo. */
class PushRegistryTest {
    @TempDir
    static Path shared;

    static RegistryFixture registry;
    static RegistryHttp http;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startRegistry() {
        registry = RegistryFixture.start(RegistryFixture.Mode.PLAIN, shared.resolve("reg"));
        http = new RegistryHttp(registry);
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) registry.close();
    }

    private Path examples() {
        Path dir = tmp.resolve("models");
        TestTrees.copyTree(TestTrees.examples(), dir);
        return dir;
    }

    static Push.Request request(Path dir, String dest, String ref, Map<String, String> env) {
        return Push.Request.builder(dir, Reference.parse(dest)).name("example").ref(ref)
                .registry(RegistryOptions.fromEnvironment(env)).created(CreationTime.fromEnvironment(env)).build();
    }

    @Test
    void pushesAnArtifactThatSkopeoAndTheRegistryReadBack() throws Exception {
        Path dir = examples();
        String repo = "models/a";
        Push.Result r = Push.run(request(dir, registry.host() + "/" + repo + ":v1", null, Map.of()));
        assertThat(r.tag()).isEqualTo("v1");
        assertThat(r.ref()).isEqualTo("v1");

        byte[] manifestBytes = http.getManifest(repo, "v1", MediaTypes.OCI_MANIFEST);
        assertThat(Digest.sha256Of(manifestBytes)).isEqualTo(r.digest());
        String raw = Skopeo.inspectRaw(registry.host() + "/" + repo + ":v1", false);
        assertThat(raw.getBytes(StandardCharsets.UTF_8)).isEqualTo(manifestBytes);

        Manifest m = Manifest.parse(manifestBytes, "pushed manifest");
        assertThat(m.artifactType()).isEqualTo(MediaTypes.ARTIFACT_TYPE);
        assertThat(m.config().mediaType()).isEqualTo(MediaTypes.CONFIG);
        // config == the exact models.toml bytes make-registry writes for the same tree
        MakeRegistry.run(MakeRegistry.Request.builder("example").path(dir.toString()).build());
        byte[] toml = Files.readAllBytes(dir.resolve(".registry/models.toml"));
        assertThat(m.config().digest()).isEqualTo(Digest.sha256Of(toml));
        assertThat(http.getBlob(repo, m.config().digest())).isEqualTo(toml);

        assertThat(m.annotations()).containsEntry(Annotations.CREATED, ManifestAnnotations.EPOCH)
                .containsEntry(Annotations.VERSION, "v1").containsEntry(Annotations.REF, "v1")
                .doesNotContainKey(Annotations.REVISION);
        assertThat(r.files()).isEqualTo(ModelsTomlCodec.read(toml, "t").files().size());

        // the large file is its own raw layer, digest == its models.toml hash, nested path in the title
        Descriptor big = m.layers().stream().filter(l -> "ex-gwf-synthetic-k/data/k.bin".equals(l.title())).findFirst().orElseThrow();
        assertThat(big.mediaType()).isEqualTo(MediaTypes.FILE_LAYER);
        assertThat(big.digest()).isEqualTo(Digest.sha256Of(Files.readAllBytes(dir.resolve("ex-gwf-synthetic-k/data/k.bin"))));
        // nested paths kept inside the tar of the nested-folder model, the nested model in its own tar
        Descriptor keating = m.layers().stream().filter(l -> "example/ex-gwt-keating".equals(l.annotation(Annotations.GROUP))).findFirst().orElseThrow();
        List<String> entries = tarNames(http.getBlob(repo, keating.digest()));
        assertThat(entries).contains("ex-gwt-keating/gwf/flow.dis", "ex-gwt-keating/input/k.bin", "ex-gwt-keating/mfsim.nam")
                .noneMatch(e -> e.startsWith("ex-gwt-keating/flow-only/"));
        assertThat(keating.annotation(Annotations.FILE_COUNT)).isEqualTo(Integer.toString(entries.size()));
        Descriptor nested = m.layers().stream().filter(l -> "example/ex-gwt-keating/flow-only".equals(l.annotation(Annotations.GROUP))).findFirst().orElseThrow();
        assertThat(tarNames(http.getBlob(repo, nested.digest()))).allMatch(e -> e.startsWith("ex-gwt-keating/flow-only/"));

        // skopeo copies it out into an OCI layout, manifest unchanged
        Path layout = tmp.resolve("skopeo-layout");
        Skopeo.copy("docker://" + registry.host() + "/" + repo + ":v1", "oci:" + layout + ":v1", Skopeo.flagsFor(registry, "src"));
        String index = Files.readString(layout.resolve("index.json"));
        assertThat(index).contains(r.digest().toString());
        assertThat(Files.readAllBytes(layout.resolve("blobs/sha256/" + big.digest().hex()))).hasSize((int) big.size());
    }

    @Test
    void rePushUploadsNothingAndSendsNoBlob() throws Exception {
        Path dir = examples();
        String repo = "models/again";
        Push.Result first = Push.run(request(dir, registry.host() + "/" + repo + ":v1", null, Map.of()));
        assertThat(first.bytesUploaded()).isPositive();
        registry.clearRequests();
        Push.Result second = Push.run(request(dir, registry.host() + "/" + repo + ":v1", null, Map.of()));
        assertThat(second.digest()).isEqualTo(first.digest());
        assertThat(second.bytesUploaded()).isZero();
        assertThat(second.blobsUploaded()).isZero();
        assertThat(second.bytesSkipped()).isEqualTo(first.bytesUploaded());
        List<Request> log = registry.awaitRequests(l -> l.stream().anyMatch(q -> q.path().endsWith("/" + repo + "/manifests/v1")),
                Duration.ofSeconds(10));
        log = registry.requests();
        System.out.println("re-push requests: " + log.size() + " " + log);
        assertThat(log).noneMatch(q -> q.method().equals("PUT") || q.method().equals("POST") || q.method().equals("PATCH"));
        assertThat(log).noneMatch(q -> q.path().contains("/blobs/uploads"));
    }

    @Test
    void aChangedFileUploadsOnlyItsGroupAndTheConfig() throws Exception {
        Path dir = examples();
        String repo = "models/incremental";
        Push.Result first = Push.run(request(dir, registry.host() + "/" + repo + ":v1", null, Map.of()));
        Files.writeString(dir.resolve("ex-gwf-twri01/ex-gwf-twri01.ic"), "BEGIN options\nEND options\n# changed\n");
        Push.Result second = Push.run(request(dir, registry.host() + "/" + repo + ":v2", null, Map.of()));
        assertThat(second.digest()).isNotEqualTo(first.digest());
        // the twri01 tar, the new config and the manifest; every other layer is skipped
        assertThat(second.blobsUploaded()).isEqualTo(3);
        assertThat(second.bytesUploaded()).isLessThan(first.bytesUploaded() / 10);
        assertThat(second.bytesSkipped()).isGreaterThan(1_000_000);
    }

    @Test
    void mountFromAnotherRepositorySendsNoLayerBytes() throws Exception {
        Path dir = examples();
        Push.Result a = Push.run(request(dir, registry.host() + "/models/src:v1", null, Map.of()));
        Push.Request toB = Push.Request.builder(dir, Reference.parse(registry.host() + "/models/dst:v1"))
                .name("example").mountFrom("models/src").build();
        Push.Result b = Push.run(toB);
        assertThat(b.digest()).isEqualTo(a.digest());
        assertThat(b.blobsMounted()).isEqualTo(a.layers() + 1);
        assertThat(b.bytesUploaded()).isEqualTo(b.manifestBytes());
    }

    @Test
    void gitRefsThatAreNotTagsAreEscapedAndKeptVerbatim() throws Exception {
        Path dir = examples();
        Push.Result r = Push.run(request(dir, registry.host() + "/models/refs", "feature/x", Map.of("SOURCE_DATE_EPOCH", "1700000000")));
        assertThat(r.tag()).isEqualTo("feature_2fx");
        Manifest m = Manifest.parse(http.getManifest("models/refs", "feature_2fx", MediaTypes.OCI_MANIFEST), "m");
        assertThat(m.annotations()).containsEntry(Annotations.REF, "feature/x").containsEntry(Annotations.VERSION, "feature/x")
                .containsEntry(Annotations.CREATED, "2023-11-14T22:13:20Z");
    }

    @Test
    void registryFileIsTheConfigByteForByteAndMustMatchTheTree() throws Exception {
        Path dir = examples();
        MakeRegistry.run(MakeRegistry.Request.builder("example").path(dir.toString())
                .repo(GitHubUrls.Repo.parse("o/n")).ref("v1").build());
        Path regFile = tmp.resolve("models.toml");
        byte[] custom = ("# hand-made header kept verbatim\n" + Files.readString(dir.resolve(".registry/models.toml")))
                .getBytes(StandardCharsets.UTF_8);
        Files.write(regFile, custom);
        Push.Request req = Push.Request.builder(dir, Reference.parse(registry.host() + "/models/file:v1"))
                .registryFile(regFile).annotations(Map.of("org.example.note", "hi")).repo(GitHubUrls.Repo.parse("o/n"))
                .build();
        Push.Result r = Push.run(req);
        Manifest m = Manifest.parse(http.getManifest("models/file", "v1", MediaTypes.OCI_MANIFEST), "m");
        assertThat(m.config().digest()).isEqualTo(Digest.sha256Of(custom));
        assertThat(http.getBlob("models/file", m.config().digest())).isEqualTo(custom);
        assertThat(m.annotations()).containsEntry("org.example.note", "hi")
                .containsEntry(Annotations.SOURCE, "https://github.com/o/n");
        assertThat(r.files()).isEqualTo(66);

        Files.writeString(dir.resolve("ex-gwf-bcf2ss/gwf.oc"), "tampered");
        assertThatThrownBy(() -> Push.run(req)).hasMessageContaining("ex-gwf-bcf2ss/gwf.oc").hasMessageContaining("digest mismatch");
        // a size that is not the file's (its hash right) is refused too: every consumer would refuse the file
        java.util.regex.Matcher size = java.util.regex.Pattern.compile("(\\[files\\.\"ex-gwf-bcf2ss/gwf\\.ic\"]\nhash = \"[0-9a-f]+\"\nsize = )(\\d+)")
                .matcher(Files.readString(dir.resolve(".registry/models.toml")));
        assertThat(size.find()).isTrue();
        Files.writeString(regFile, size.replaceFirst("$1" + (Long.parseLong(size.group(2)) + 1)));
        assertThatThrownBy(() -> Push.run(req)).hasMessageContaining("file 'ex-gwf-bcf2ss/gwf.ic'")
                .hasMessageContaining("size mismatch: want " + (Long.parseLong(size.group(2)) + 1) + " bytes");
    }

    @Test
    void pushesToAnOciLayoutDirectory() throws Exception {
        Path dir = examples();
        Path layout = tmp.resolve("layout");
        Push.Result r = Push.run(request(dir, "oci-layout:" + layout + ":main", null, Map.of()));
        Map<String, Object> index = Json.parseObject(Files.readAllBytes(layout.resolve("index.json")), "index.json");
        assertThat(index.toString()).contains(r.digest().toString()).contains("main");
        byte[] manifest = Files.readAllBytes(layout.resolve("blobs/sha256/" + r.digest().hex()));
        for (Descriptor l : Manifest.parse(manifest, "m").layers()) {
            assertThat(layout.resolve("blobs/sha256/" + l.digest().hex())).hasSize(l.size());
        }
        // and the same tree pushed to a registry gives the same digest
        Push.Result reg = Push.run(request(dir, registry.host() + "/models/layout-twin:main", null, Map.of()));
        assertThat(reg.digest()).isEqualTo(r.digest());
    }

    @Test
    void pushesToAnOciArchive() throws Exception {
        Path dir = examples();
        Path tar = tmp.resolve("out/models.tar");
        Push.Result r = Push.run(request(dir, "oci-archive:" + tar + ":main", null, Map.of()));
        assertThat(r.reference()).isEqualTo("oci-archive:" + tar + ":main@" + r.digest());
        try (dev.modelreg.content.store.OciArchive a = dev.modelreg.content.store.OciArchive.open(tar)) {
            assertThat(a.tags()).containsExactly("main");
            assertThat(a.resolve("main").digest()).isEqualTo(r.digest());
        }
        try (var s = Files.list(tar.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("models.tar"); // no staging left
        }
        // the same tree pushed to a layout gives the same digest
        Push.Result layout = Push.run(request(dir, "oci-layout:" + tmp.resolve("twin") + ":main", null, Map.of()));
        assertThat(layout.digest()).isEqualTo(r.digest());
    }

    @Test
    void badInputIsAOneLineErrorAndNothingIsPushed() {
        Path dir = examples();
        assertThatThrownBy(() -> Push.run(request(dir, registry.host() + "/models/x@sha256:" + "a".repeat(64), null, Map.of())))
                .hasMessageContaining("digest");
        assertThatThrownBy(() -> Push.run(request(tmp.resolve("missing"), registry.host() + "/models/x:v1", null, Map.of())))
                .hasMessageContaining("missing");
        Push.Request noName = Push.Request.builder(dir, Reference.parse(registry.host() + "/models/x:v1")).build();
        assertThatThrownBy(() -> Push.run(noName)).hasMessageContaining("--name");
        Push.Request noModels = Push.Request.builder(dir, Reference.parse("oci-layout:" + tmp.resolve("empty-layout") + ":v1"))
                .name("example").namefile("*.nope").build();
        assertThatThrownBy(() -> Push.run(noModels)).hasMessageContaining("nothing to push").hasMessageContaining("*.nope");
        assertThat(tmp.resolve("empty-layout")).doesNotExist();
    }

    @Test
    void aFiveThousandFileTreePushesUnderTheLimits() throws Exception {
        Path dir = TestTrees.manyModels(tmp.resolve("many"));
        Push.Request req = Push.Request.builder(dir, Reference.parse(registry.host() + "/models/many:v1"))
                .name("mf6/test").build();
        long t0 = System.nanoTime();
        Push.Result r = Push.run(req);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        byte[] manifest = http.getManifest("models/many", "v1", MediaTypes.OCI_MANIFEST);
        Manifest m = Manifest.parse(manifest, "m");
        System.out.printf("5,000-file push: %d files, %d layers, manifest %d bytes, %d bytes uploaded, %d ms%n",
                r.files(), m.layers().size(), manifest.length, r.bytesUploaded(), ms);
        assertThat(r.files()).isEqualTo(5000);
        assertThat(m.layers()).hasSizeLessThanOrEqualTo(500);
        assertThat(manifest.length).isLessThan(4 * 1024 * 1024);
        long t1 = System.nanoTime();
        Push.Result again = Push.run(req);
        System.out.printf("5,000-file re-push: %d bytes uploaded, %d ms%n", again.bytesUploaded(), (System.nanoTime() - t1) / 1_000_000);
        assertThat(again.bytesUploaded()).isZero();
    }

    static List<String> tarNames(byte[] tar) throws Exception {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) names.add(e.getName());
        }
        return names;
    }

    static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }
}
