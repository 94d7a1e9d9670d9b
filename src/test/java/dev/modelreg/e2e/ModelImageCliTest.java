package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.ImageIndex;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.Modelcar;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.RegistryHttp;
import dev.modelreg.testkit.Request;
import dev.modelreg.testkit.Skopeo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code push --image}: a model image (modelcar) built by jib-core and pushed by our engine to the real registry, read
 * by skopeo and by tar, written as a docker-archive tar, and read back as a source by pull and copy.
 */
class ModelImageCliTest {
    @TempDir
    Path tmp;

    @Test
    void anImageIsReproducibleLayeredPerModelReadableBySkopeoAndASource() throws Exception {
        Path a = Modelreg.copyExamples(tmp.resolve("checkout-a/models"));
        Path b = Modelreg.copyExamples(tmp.resolve("elsewhere/b"));
        try (Stream<Path> s = Files.walk(b)) {
            for (Path p : (Iterable<Path>) s::iterator) Files.setLastModifiedTime(p, FileTime.fromMillis(946684800000L));
        }
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("reg"))) {
            // the same tree from two copies: the same digest
            Modelreg.Run first = Modelreg.ok(tmp, "push", a.toString(), reg.host() + "/models/img:v1", "--name", "example",
                    "--image", "--json");
            String d1 = (String) first.json().get("digest");
            Modelreg.Run second = Modelreg.ok(tmp, "push", b.toString(), reg.host() + "/models/img-again:v1", "--name",
                    "example", "--image", "--json");
            assertThat(second.json().get("digest")).isEqualTo(d1);
            RegistryHttp http = new RegistryHttp(reg);
            byte[] mb = http.getManifest("models/img", "v1", MediaTypes.OCI_MANIFEST);
            assertThat(Digest.sha256Of(mb).toString()).isEqualTo(d1);
            Manifest m1 = Manifest.parse(mb, "v1");
            Modelcar car = Modelcar.of(m1, "v1");
            assertThat(car.root()).isEqualTo("/models");
            assertThat(m1.config().mediaType()).isEqualTo(Modelcar.IMAGE_CONFIG);
            assertThat(m1.layers()).hasSize(6).allMatch(l -> l.mediaType().equals(Modelcar.GZIP_LAYER));

            // one model's file changes: only that model's layer (and the models.toml layer, and the config) is uploaded
            Path changed = b.resolve("ex-gwf-twri01/ex-gwf-twri01.chd");
            Files.writeString(changed, Files.readString(changed) + "# changed\n");
            reg.clearRequests();
            Modelreg.Run v2 = Modelreg.ok(tmp, "push", b.toString(), reg.host() + "/models/img:v2", "--name", "example",
                    "--image", "--json");
            List<Request> uploads = reg.requests().stream()
                    .filter(q -> q.method().equals("PUT") && q.path().contains("/blobs/uploads/")).toList();
            Manifest m2 = Manifest.parse(http.getManifest("models/img", "v2", MediaTypes.OCI_MANIFEST), "v2");
            Set<Digest> before = new HashSet<>(m1.layers().stream().map(Descriptor::digest).toList());
            List<Descriptor> newLayers = m2.layers().stream().filter(l -> !before.contains(l.digest())).toList();
            assertThat(newLayers).extracting(l -> l.annotation("dev.modelreg.group"))
                    .containsExactlyInAnyOrder("", "example/ex-gwf-twri01");
            assertThat(uploads).as("blob uploads: %s", uploads).hasSize(3); // 2 layers + the image config
            assertThat(v2.json().get("blobsUploaded")).isEqualTo(4L); // and the manifest
            System.out.println("modelcar: " + d1 + ", 6 layers, " + first.json().get("bytesUploaded") + " bytes; "
                    + "one model changed: " + uploads.size() + " blob uploads, " + v2.json().get("bytesUploaded") + " bytes");

            // skopeo copies it; the filesystem of its layers has every file under /models with the models.toml hashes
            Path oci = tmp.resolve("skopeo-oci");
            Skopeo.copy("docker://" + reg.host() + "/models/img:v1", "oci:" + oci + ":v1", Skopeo.flagsFor(reg, "src"));
            Path rootfs = unpack(oci, tmp.resolve("rootfs"));
            byte[] toml = Files.readAllBytes(rootfs.resolve("models/models.toml"));
            assertThat(Digest.sha256Of(toml)).isEqualTo(car.registry());
            ModelsToml registry = ModelsTomlCodec.read(toml, "models.toml");
            assertThat(registry.files()).hasSize(66);
            for (Map.Entry<String, FileEntry> e : registry.files().entrySet()) {
                Path f = rootfs.resolve("models").resolve(e.getKey());
                assertThat(Digest.sha256Of(Files.readAllBytes(f))).as(e.getKey()).isEqualTo(e.getValue().hash());
                assertThat(Files.readAllBytes(f)).isEqualTo(Files.readAllBytes(a.resolve(e.getKey())));
            }
            try (Stream<Path> s = Files.walk(rootfs.resolve("models"))) {
                assertThat(s.filter(Files::isRegularFile).count()).isEqualTo(67); // the files and models.toml
            }

            // --to-tar: a docker-archive tar (manifest.json) skopeo reads, holding the same layers
            Path tar = tmp.resolve("image.tar");
            Modelreg.ok(tmp, "push", a.toString(), "--name", "example", "--ref", "v1", "--image", "--to-tar", tar.toString());
            String raw = Skopeo.inspectRawLocal("docker-archive:" + tar);
            assertThat(raw).contains("application/vnd.docker.distribution.manifest.v2+json");
            Path fromTar = tmp.resolve("from-tar");
            Skopeo.copy("docker-archive:" + tar, "oci:" + fromTar + ":v1");
            assertThat(manifestOf(fromTar).layers()).hasSize(6); // skopeo recompresses them
            // the tar's manifest.json names the image's own config and gzip layers, byte for byte
            Path unpacked = Files.createDirectories(tmp.resolve("tar-unpacked"));
            Process p = new ProcessBuilder("tar", "-xf", tar.toString(), "-C", unpacked.toString()).inheritIO().start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).isTrue();
            @SuppressWarnings("unchecked")
            Map<String, Object> entry = (Map<String, Object>) ((List<Object>) dev.modelreg.spec.Json.parse(
                    Files.readString(unpacked.resolve("manifest.json")))).get(0);
            assertThat(entry.get("RepoTags")).isEqualTo(List.of("modelreg/models:v1"));
            assertThat(Digest.sha256Of(Files.readAllBytes(unpacked.resolve((String) entry.get("Config")))))
                    .isEqualTo(m1.config().digest());
            List<Digest> tarLayers = new ArrayList<>();
            for (Object l : (List<?>) entry.get("Layers")) tarLayers.add(Digest.sha256Of(Files.readAllBytes(unpacked.resolve((String) l))));
            assertThat(tarLayers).containsExactlyElementsOf(m1.layers().stream().map(Descriptor::digest).toList());

            if ("1".equals(System.getenv("MODELREG_TEST_DOCKER"))) { // expected: fails when no Docker engine answers
                assertThat(run("docker", "load", "-i", tar.toString())).contains("modelreg/models:v1");
                assertThat(run("docker", "image", "inspect", "--format", "{{json .Config.Labels}}", "modelreg/models:v1"))
                        .contains("\"dev.modelreg.image.root\":\"/models\"");
                run("docker", "image", "rm", "modelreg/models:v1");
            } else {
                System.out.println("docker load: not run (MODELREG_TEST_DOCKER=1 runs it where a Docker engine answers)");
            }

            // a source: the manifest, the models.toml layer and the wanted model's layer; every file verified
            reg.clearRequests();
            Path pulled = tmp.resolve("pulled");
            Modelreg.ok(tmp, "pull", reg.host() + "/models/img:v1", pulled.toString(), "--model", "example/ex-gwf-twri01");
            assertThat(blobGets(reg.requests())).containsExactlyInAnyOrder(car.registryLayer().digest().toString(),
                    car.layerOf("example/ex-gwf-twri01").digest().toString());
            assertSame(pulled, a, "ex-gwf-twri01/");
            reg.clearRequests();
            Path ws = tmp.resolve("ws");
            Modelreg.ok(tmp, "copy", "--from", reg.host() + "/models/img:v1", "example/ex-gwf-bcf2ss", ws.toString());
            assertThat(blobGets(reg.requests())).containsExactly(car.layerOf("example/ex-gwf-bcf2ss").digest().toString());
            assertSame(ws, a.resolve("ex-gwf-bcf2ss"), null);
            Modelreg.ok(tmp, "verify", "--from", reg.host() + "/models/img:v1", "example/ex-gwf-bcf2ss", ws.toString());
        }
    }

    @Test
    void anImageWhoseAnnotationsAreMissingOrLieIsRefused() throws Exception {
        Path a = Modelreg.copyExamples(tmp.resolve("models"));
        Path layout = tmp.resolve("layout");
        Modelreg.ok(tmp, "push", a.toString(), "oci-layout:" + layout + ":v1", "--name", "example", "--image",
                "--image-root", "/srv/models");
        Manifest m = manifestOf(layout);
        assertThat(m.annotations()).containsEntry(Modelcar.ROOT, "/srv/models");

        // the groups of two model layers swapped: the layer holds files models.toml does not place in it
        List<Descriptor> ls = new ArrayList<>(m.layers());
        Descriptor x = ls.get(1);
        Descriptor y = ls.get(2);
        ls.set(1, new Descriptor(x.mediaType(), x.digest(), x.size(), y.annotations()));
        ls.set(2, new Descriptor(y.mediaType(), y.digest(), y.size(), x.annotations()));
        String lying = retag(layout, new Manifest(null, m.config(), ls, m.annotations()), "lying");
        Modelreg.Run r = Modelreg.run(tmp, Modelreg.FAST_JVM, Map.of(), "pull", "oci-layout:" + layout + ":" + lying,
                tmp.resolve("out1").toString(), "--model", x.annotation("dev.modelreg.group"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).doesNotContain("\n").contains("which models.toml does not place in this layer");
        assertThat(tmp.resolve("out1")).doesNotExist();

        // no modelcar annotations: not a model image
        Map<String, String> ann = new java.util.TreeMap<>(m.annotations());
        ann.remove(Modelcar.ROOT);
        String bare = retag(layout, new Manifest(null, m.config(), m.layers(), ann), "bare");
        r = Modelreg.run(tmp, Modelreg.FAST_JVM, Map.of(), "pull", "oci-layout:" + layout + ":" + bare, tmp.resolve("out2").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).doesNotContain("\n").contains("is not a modelreg model image");

        // a models.toml digest that is not the one in the image
        ann = new java.util.TreeMap<>(m.annotations());
        ann.put(Modelcar.REGISTRY, Digest.sha256Of(new byte[0]).toString());
        ls = new ArrayList<>(m.layers());
        ls.set(0, ls.get(0).withAnnotations(Map.of(Modelcar.REGISTRY, Digest.sha256Of(new byte[0]).toString())));
        String wrong = retag(layout, new Manifest(null, m.config(), ls, ann), "wrong");
        r = Modelreg.run(tmp, Modelreg.FAST_JVM, Map.of(), "pull", "oci-layout:" + layout + ":" + wrong, tmp.resolve("out3").toString());
        assertThat(r.code()).isEqualTo(6); // integrity
        assertThat(r.err().strip()).doesNotContain("\n").contains("digest mismatch");
        assertThat(tmp.resolve("out3")).doesNotExist();

        // the honest one still pulls
        Modelreg.ok(tmp, "pull", "oci-layout:" + layout + ":v1", tmp.resolve("out4").toString());
        assertThat(Files.readAllBytes(tmp.resolve("out4/ex-gwf-twri01/ex-gwf-twri01.chd")))
                .isEqualTo(Files.readAllBytes(a.resolve("ex-gwf-twri01/ex-gwf-twri01.chd")));
    }

    @Test
    void aBaseImageFromADockerArchiveGoesBelowTheModelLayers() throws Exception {
        Path base = tmp.resolve("base-tree");
        Files.createDirectories(base.resolve("tool"));
        Files.writeString(base.resolve("tool/mfsim.nam"), "BEGIN\n");
        Path baseTar = tmp.resolve("base.tar");
        Modelreg.ok(tmp, "push", base.toString(), "--name", "base", "--ref", "v0", "--image", "--image-root", "/opt/base",
                "--to-tar", baseTar.toString());
        Path a = Modelreg.copyExamples(tmp.resolve("models"));
        Path layout = tmp.resolve("layout");
        String d = (String) Modelreg.ok(tmp, "push", a.toString(), "oci-layout:" + layout + ":v1", "--name", "example",
                "--image", "--base-image", baseTar.toString(), "--json").json().get("digest");
        Manifest m = manifestOf(layout);
        assertThat(m.layers()).hasSize(8);
        assertThat(m.layers().subList(0, 2)).allMatch(l -> l.annotations().isEmpty()); // the base's, unannotated
        assertThat(Modelcar.of(m, "image").layerOf("example/ex-gwf-twri01")).isEqualTo(m.layers().get(5));
        // the same inputs, the same digest; the base's files are under /opt/base of the unpacked image
        assertThat(Modelreg.ok(tmp, "push", a.toString(), "oci-layout:" + tmp.resolve("layout2") + ":v1", "--name", "example",
                "--image", "--base-image", baseTar.toString()).out().strip()).isEqualTo(d);
        Path rootfs = unpack(layout, tmp.resolve("rootfs"));
        assertThat(rootfs.resolve("opt/base/tool/mfsim.nam")).hasContent("BEGIN");
        assertThat(rootfs.resolve("models/ex-gwf-twri01/ex-gwf-twri01.chd")).exists();
        Modelreg.ok(tmp, "pull", "oci-layout:" + layout + ":v1", tmp.resolve("out").toString(), "--model", "example/ex-gwf-twri01");
        assertThat(tmp.resolve("out/tool")).doesNotExist();

        Modelreg.Run r = Modelreg.run(tmp, Modelreg.FAST_JVM, Map.of(), "push", a.toString(), "oci-layout:" + layout + ":v2",
                "--name", "example", "--image", "--base-image", "127.0.0.1:5000/base:v1");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).doesNotContain("\n").contains("save it first");
    }

    @Test
    void theLayerLimitMergesTheSmallestModelLayersAndTheyStillPull() throws Exception {
        Path a = Modelreg.copyExamples(tmp.resolve("models"));
        Path layout = tmp.resolve("layout");
        Modelreg.ok(tmp, "push", a.toString(), "oci-layout:" + layout + ":v1", "--name", "example", "--image", "--max-layers", "3");
        Manifest m = manifestOf(layout);
        assertThat(m.layers()).hasSize(3);
        assertThat(m.layers().get(0).annotation(Modelcar.REGISTRY)).isNotNull();
        assertThat(m.layers().subList(1, 3)).allMatch(l -> l.annotation("dev.modelreg.groups") != null
                || l.annotation("dev.modelreg.group") != null);
        Modelreg.ok(tmp, "pull", "oci-layout:" + layout + ":v1", tmp.resolve("out").toString());
        assertSame(tmp.resolve("out"), a, null);
        try (Stream<Path> s = Files.walk(tmp.resolve("out"))) {
            assertThat(s.filter(Files::isRegularFile).count()).isEqualTo(66);
        }

        // a configured source whose oci is the image: sync, copy, verify, and an offline re-sync from the cache
        Path cfg = tmp.resolve("sources.toml");
        Files.writeString(cfg, "[sources.example]\nname = \"example\"\noci = \"oci-layout:" + layout + "\"\nrefs = [\"v1\"]\n");
        Map<String, String> env = Map.of("MODELREG_CONFIG", cfg.toString());
        for (String[] args : List.of(new String[] {"sync"}, new String[] {"copy", "example/ex-gwt-keating", tmp.resolve("ws").toString()},
                new String[] {"verify", "example/ex-gwt-keating", tmp.resolve("ws").toString()}, new String[] {"sync", "--offline"})) {
            Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, env, args), args);
        }
        assertSame(tmp.resolve("ws"), a.resolve("ex-gwt-keating"), null);
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", cmd), out).isZero();
        return out;
    }

    /** Writes {@code m} into the layout as a new manifest tagged {@code tag} (index.json rewritten). */
    private static String retag(Path layout, Manifest m, String tag) throws Exception {
        byte[] b = m.toBytes();
        Digest d = Digest.sha256Of(b);
        Files.write(layout.resolve("blobs/sha256/" + d.hex()), b);
        String index = Files.readString(layout.resolve("index.json"));
        String entry = "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + d + "\",\"size\":"
                + b.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}";
        Files.writeString(layout.resolve("index.json"), index.replace("\"manifests\":[", "\"manifests\":[" + entry + ","));
        return tag;
    }

    private static Manifest manifestOf(Path ociDir) throws Exception {
        ImageIndex index = ImageIndex.parse(Files.readAllBytes(ociDir.resolve("index.json")), "index.json");
        Descriptor md = index.manifests().get(0);
        return Manifest.parse(Files.readAllBytes(ociDir.resolve("blobs/sha256/" + md.digest().hex())), "manifest");
    }

    /** Unpacks the layers of the image in {@code ociDir}, in order, with the system's tar: the image's filesystem. */
    private static Path unpack(Path ociDir, Path rootfs) throws Exception {
        Files.createDirectories(rootfs);
        for (Descriptor l : manifestOf(ociDir).layers()) {
            Path blob = ociDir.resolve("blobs/sha256/" + l.digest().hex());
            Process p = new ProcessBuilder("tar", "-xzf", blob.toString(), "-C", rootfs.toString(), "--warning=no-unknown-keyword")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("tar -xzf %s: %s", l.digest(), out).isZero();
        }
        return rootfs;
    }

    /** Every file of {@code got} equals the file at its relative path in {@code original}, and is under {@code prefix} if given. */
    private static void assertSame(Path got, Path original, String prefix) throws Exception {
        try (Stream<Path> s = Files.walk(got)) {
            List<Path> files = s.filter(Files::isRegularFile).toList();
            assertThat(files).isNotEmpty();
            for (Path f : files) {
                String rel = got.relativize(f).toString();
                if (prefix != null) assertThat(rel).startsWith(prefix);
                assertThat(Files.readAllBytes(f)).as(rel).isEqualTo(Files.readAllBytes(original.resolve(rel)));
            }
        }
    }

    private static List<String> blobGets(List<Request> reqs) {
        return reqs.stream().filter(q -> q.method().equals("GET") && q.path().contains("/blobs/sha256:"))
                .map(q -> q.path().substring(q.path().lastIndexOf('/') + 1)).toList();
    }
}
