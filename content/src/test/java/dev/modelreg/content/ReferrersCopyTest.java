package dev.modelreg.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.content.store.OciArchive;
import dev.modelreg.content.tar.ArchiveTar;
import dev.modelreg.content.store.OciLayout;
import dev.modelreg.content.store.RegistryStore;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.OciReference;
import dev.modelreg.testkit.HostileRegistry;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.Request;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Referrers go where the artifact goes: a signed artifact (a signature naming it as subject, and an SBOM of the
 * signature) mirrored by one tag, by all tags and through an archive and back keeps both referrers, found by the tag
 * scheme at a registry without the referrers API (distribution 2.8), and a second run writes nothing; the referrers
 * API of a source is read page by page; a referrer loop and 10,000 referrers are refused in one line.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReferrersCopyTest {
    @TempDir Path tmp;

    static final String SIG = "application/vnd.example.signature";
    static final String SBOM = "application/spdx+json";

    /** A manifest with a {@code subject}: one layer, the empty config, an annotation. */
    record Referrer(Descriptor root, byte[] bytes, Map<Descriptor, byte[]> blobs) {
        void pushTo(Storage s) throws IOException {
            for (var e : blobs.entrySet()) s.push(e.getKey(), new ByteArrayInputStream(e.getValue()));
            s.push(root, new ByteArrayInputStream(bytes));
        }
    }

    static Referrer referrer(Descriptor subject, String type, long seed) {
        byte[] layer = Blobs.random(seed, 300);
        Descriptor ld = Blobs.describe("application/octet-stream", layer);
        byte[] cfg = "{}".getBytes(StandardCharsets.UTF_8);
        Descriptor cd = Blobs.describe("application/vnd.oci.empty.v1+json", cfg);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 2L);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.put("artifactType", type);
        m.put("config", Manifest.descriptorJson(cd));
        m.put("layers", List.of(Manifest.descriptorJson(ld)));
        m.put("subject", Manifest.descriptorJson(subject));
        m.put("annotations", Map.of("org.example.seed", String.valueOf(seed)));
        byte[] b = Json.writeBytes(m);
        Map<Descriptor, byte[]> blobs = new LinkedHashMap<>();
        blobs.put(cd, cfg);
        blobs.put(ld, layer);
        return new Referrer(Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256Of(b), b.length), b, blobs);
    }

    private static RegistryStore store(RegistryFixture r, String repo) {
        return RegistryStore.connect(OciReference.parse(r.host() + "/" + repo), RegistryOptions.defaults());
    }

    /** Pushes {@code art} (its subject there already) into {@code repo} through a copy: the copy writes the tag scheme. */
    private static void attach(RegistryFixture r, String repo, Referrer art) throws IOException {
        OciLayout staging = OciLayout.open(Files.createTempDirectory("stage"));
        art.pushTo(staging);
        Copy.copy(staging, art.root(), store(r, repo), null, CopyOptions.defaults());
    }

    private record Signed(Blobs.Artifact art, Referrer sig, Referrer sbom) {}

    /** {@code repo:v1} in {@code r}, with a signature and an SBOM of the signature. */
    private static Signed signed(RegistryFixture r, String repo) throws IOException {
        Blobs.Artifact art = Blobs.artifact(51, 2);
        OciLayout staging = OciLayout.open(Files.createTempDirectory("stage"));
        art.pushTo(staging);
        Copy.copy(staging, art.root(), store(r, repo), "v1", CopyOptions.defaults());
        Referrer sig = referrer(art.root(), SIG, 1);
        Referrer sbom = referrer(sig.root(), SBOM, 2);
        attach(r, repo, sig);
        attach(r, repo, sbom);
        return new Signed(art, sig, sbom);
    }

    /** The referrer tree under {@code subject} as "type digest" lines, indented by level. */
    private static List<String> tree(ReadOnlyTarget t, Descriptor subject) throws IOException {
        List<String> out = new ArrayList<>();
        lines(Referrers.tree(t, subject), "", out);
        return out;
    }

    private static void lines(List<Referrers.Node> nodes, String indent, List<String> out) {
        for (Referrers.Node n : nodes) {
            out.add(indent + n.referrer().artifactType() + " " + n.referrer().descriptor().digest());
            lines(n.referrers(), indent + "  ", out);
        }
    }

    private static List<String> expected(Signed s) {
        return List.of(SIG + " " + s.sig().root().digest(), "  " + SBOM + " " + s.sbom().root().digest());
    }

    private static List<Request> writes(RegistryFixture r) {
        return r.requests().stream().filter(q -> !q.method().equals("GET") && !q.method().equals("HEAD")).toList();
    }

    @Test
    void aSingleTagMirrorCarriesBothReferrersAndARerunWritesNothing() throws Exception {
        try (RegistryFixture a = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("a"));
             RegistryFixture b = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("b"))) {
            Signed s = signed(a, "m");
            assertThat(tree(store(a, "m"), s.art().root())).isEqualTo(expected(s));

            Mirror.Result r = Mirror.run(Targets.parse(a.host() + "/m:v1"), Targets.parse(b.host() + "/m:v1"),
                    RegistryOptions.defaults(), CopyOptions.defaults());
            assertThat(r.copy().referrers()).isEqualTo(2);
            assertThat(tree(store(b, "m"), s.art().root())).isEqualTo(expected(s));
            assertThat(store(b, "m").listTags()).containsExactlyInAnyOrder("v1",
                    Referrers.tagOf(s.art().root().digest()), Referrers.tagOf(s.sig().root().digest()));

            b.clearRequests();
            Mirror.Result again = Mirror.run(Targets.parse(a.host() + "/m:v1"), Targets.parse(b.host() + "/m:v1"),
                    RegistryOptions.defaults(), CopyOptions.defaults());
            assertThat(again.copy().blobsCopied()).isZero();
            assertThat(writes(b)).isEmpty();
        }
    }

    @Test
    void noReferrersLeavesThemBehind() throws Exception {
        try (RegistryFixture a = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("a"));
             RegistryFixture b = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("b"))) {
            Signed s = signed(a, "m");
            Mirror.Result r = Mirror.run(Targets.parse(a.host() + "/m:v1"), Targets.parse(b.host() + "/m:v1"),
                    RegistryOptions.defaults(), CopyOptions.defaults().withReferrers(false));
            assertThat(r.copy().referrers()).isZero();
            assertThat(tree(store(b, "m"), s.art().root())).isEmpty();
            assertThat(store(b, "m").listTags()).containsExactly("v1");
        }
    }

    @Test
    void anAllTagsMirrorCarriesBothReferrersAndARerunWritesNothing() throws Exception {
        try (RegistryFixture a = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("a"));
             RegistryFixture b = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("b"))) {
            Signed s = signed(a, "m");
            Mirror.runAll(Targets.parse(a.host() + "/m"), Targets.parse(b.host() + "/m"), new Mirror.Selection(true, null),
                    RegistryOptions.defaults(), CopyOptions.defaults());
            assertThat(tree(store(b, "m"), s.art().root())).isEqualTo(expected(s));

            b.clearRequests();
            Mirror.runAll(Targets.parse(a.host() + "/m"), Targets.parse(b.host() + "/m"), new Mirror.Selection(true, null),
                    RegistryOptions.defaults(), CopyOptions.defaults());
            assertThat(writes(b)).isEmpty();

            // --tags 'v*': the referrers tags do not match, the referrers go with their subject all the same
            Mirror.runAll(Targets.parse(a.host() + "/m"), Targets.parse(b.host() + "/globbed"), new Mirror.Selection(false, "v*"),
                    RegistryOptions.defaults(), CopyOptions.defaults());
            assertThat(tree(store(b, "globbed"), s.art().root())).isEqualTo(expected(s));
        }
    }

    @Test
    void anArchiveKeepsBothReferrersAndBringsThemBack() throws Exception {
        try (RegistryFixture a = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("a"));
             RegistryFixture b = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("b"))) {
            Signed s = signed(a, "m");
            Path tar = tmp.resolve("signed.tar");
            Mirror.run(Targets.parse(a.host() + "/m:v1"), Targets.parse("oci-archive:" + tar + ":v1"),
                    RegistryOptions.defaults(), CopyOptions.defaults());
            try (OciArchive arc = OciArchive.open(tar)) {
                assertThat(tree(arc, s.art().root())).isEqualTo(expected(s));
            }
            Mirror.run(Targets.parse("oci-archive:" + tar + ":v1"), Targets.parse(b.host() + "/m:v1"),
                    RegistryOptions.defaults(), CopyOptions.defaults());
            assertThat(tree(store(b, "m"), s.art().root())).isEqualTo(expected(s));

            b.clearRequests();
            Mirror.run(Targets.parse("oci-archive:" + tar + ":v1"), Targets.parse(b.host() + "/m:v1"),
                    RegistryOptions.defaults(), CopyOptions.defaults());
            assertThat(writes(b)).isEmpty();
            var before = ArchiveTar.index(tar, "t").keySet();
            Mirror.Result again = Mirror.run(Targets.parse(a.host() + "/m:v1"), Targets.parse("oci-archive:" + tar + ":v1"),
                    RegistryOptions.defaults(), CopyOptions.defaults());
            assertThat(again.copy().blobsCopied()).isZero();
            assertThat(ArchiveTar.index(tar, "t").keySet()).isEqualTo(before);
            try (OciArchive arc = OciArchive.open(tar)) {
                assertThat(arc.tags()).containsExactlyInAnyOrder("v1", Referrers.tagOf(s.art().root().digest()),
                        Referrers.tagOf(s.sig().root().digest()));
            }

            Path all = tmp.resolve("all.tar"); // --all-tags through an archive and back
            Mirror.runAll(Targets.parse(a.host() + "/m"), Targets.parse("oci-archive:" + all), new Mirror.Selection(true, null),
                    RegistryOptions.defaults(), CopyOptions.defaults());
            List<Mirror.Moved> back = Mirror.runAll(Targets.parse("oci-archive:" + all), Targets.parse(b.host() + "/n"),
                    new Mirror.Selection(true, null), RegistryOptions.defaults(), CopyOptions.defaults());
            String landed = back.stream().filter(m -> m.tag().equals("v1")).findFirst().orElseThrow().destination();
            RegistryStore there = RegistryStore.connect(OciReference.parse(landed), RegistryOptions.defaults());
            assertThat(tree(there, s.art().root())).isEqualTo(expected(s));
        }
    }

    @Test
    void aReferrerLoopIsRefusedInOneLineAndNothingIsTagged() throws Exception {
        try (RegistryFixture a = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("a"));
             RegistryFixture b = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("b"))) {
            Blobs.Artifact art = Blobs.artifact(52, 1);
            OciLayout staging = OciLayout.open(Files.createTempDirectory("stage"));
            art.pushTo(staging);
            Copy.copy(staging, art.root(), store(a, "m"), "v1", CopyOptions.defaults());
            Referrer sig = referrer(art.root(), SIG, 3);
            attach(a, "m", sig);
            // the signature's referrers tag lists the artifact: A -> B -> A, which only a lying listing can make
            byte[] loop = HostileRegistry.indexBytes(List.of(art.root()));
            Descriptor ld = Descriptor.of(MediaTypes.OCI_INDEX, Digest.sha256Of(loop), loop.length);
            RegistryStore src = store(a, "m");
            src.push(ld, new ByteArrayInputStream(loop));
            src.tag(ld, Referrers.tagOf(sig.root().digest()));

            assertThatThrownBy(() -> Mirror.run(Targets.parse(a.host() + "/m:v1"), Targets.parse(b.host() + "/m:v1"),
                    RegistryOptions.defaults(), CopyOptions.defaults()))
                    .isInstanceOf(ContentException.class)
                    .satisfies(e -> assertThat(((ContentException) e).kind()).isEqualTo(ContentException.Kind.INVALID))
                    .hasMessageContaining("referrer loop").hasMessageContaining(art.root().digest().toString())
                    .hasMessageNotContaining("\n");
            assertThat(writes(b)).isEmpty();
            assertThatThrownBy(() -> Referrers.tree(src, art.root())).hasMessageContaining("referrer loop");
        }
    }

    @Test
    void tenThousandReferrersAreRefusedInOneLineAfterOneRead() throws Exception {
        try (HostileRegistry h = HostileRegistry.start()) {
            Blobs.Artifact art = Blobs.artifact(53, 1);
            Descriptor root = serve(h, art);
            List<Descriptor> many = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                many.add(Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256Of(("r" + i).getBytes(StandardCharsets.UTF_8)), 100));
            }
            byte[] index = HostileRegistry.indexBytes(many);
            h.referrers(root.digest(), List.of(index));
            Path out = tmp.resolve("out");
            assertThatThrownBy(() -> Mirror.run(Targets.parse(h.ref("m", "v1")), Targets.parse("oci-layout:" + out + ":v1"),
                    RegistryOptions.defaults(), CopyOptions.defaults()))
                    .isInstanceOf(ContentException.class)
                    .satisfies(e -> assertThat(((ContentException) e).kind()).isEqualTo(ContentException.Kind.INVALID))
                    .hasMessageContaining("referrers of " + root.digest()).hasMessageContaining("10000")
                    .hasMessageNotContaining("\n");
            assertThat(h.referrersRequests()).isEqualTo(1);
            assertThat(h.manifestRequests()).isLessThanOrEqualTo(2);
            try (var files = Files.walk(out)) { // refused before any blob moved
                assertThat(files.filter(Files::isRegularFile).map(p -> out.relativize(p).toString()))
                        .allMatch(n -> !n.startsWith("blobs"));
            }
        }
    }

    @Test
    void theReferrersApiOfASourceIsReadPageByPage() throws Exception {
        try (HostileRegistry h = HostileRegistry.start()) {
            Blobs.Artifact art = Blobs.artifact(54, 1);
            Descriptor root = serve(h, art);
            Referrer sig = referrer(root, SIG, 4);
            Referrer sbom = referrer(root, SBOM, 5);
            for (Referrer r : List.of(sig, sbom)) {
                r.blobs().values().forEach(h::blob);
                h.manifest(r.root().digest().toString(), r.bytes());
            }
            h.referrers(root.digest(), List.of(apiIndex(sig, SIG), apiIndex(sbom, SBOM)));
            Path out = tmp.resolve("out");
            Mirror.Result r = Mirror.run(Targets.parse(h.ref("m", "v1")), Targets.parse("oci-layout:" + out + ":v1"),
                    RegistryOptions.defaults(), CopyOptions.defaults());
            assertThat(r.copy().referrers()).isEqualTo(2);
            // the two pages of the root's list, then one 404 for the signature's: the store takes it that the
            // registry has no API and asks no more (the SBOM's referrers are looked up by the tag scheme)
            assertThat(h.referrersRequests()).isEqualTo(3);
            OciLayout layout = OciLayout.open(out);
            assertThat(tree(layout, root)).containsExactlyInAnyOrder(SIG + " " + sig.root().digest(), SBOM + " " + sbom.root().digest());
        }
    }

    @Test
    void aLayoutsUntaggedReferrersAreFoundAndCarried() throws Exception {
        Path src = tmp.resolve("src"); // as oras-go's OCI store writes a referrer: an untagged index.json entry
        OciLayout layout = OciLayout.open(src);
        Blobs.Artifact art = Blobs.artifact(55, 1);
        art.pushTo(layout);
        layout.tag(art.root(), "v1");
        Referrer sig = referrer(art.root(), SIG, 6);
        sig.pushTo(layout);
        Map<String, Object> index = Json.parseObject(Files.readAllBytes(src.resolve("index.json")), "index.json");
        List<Object> entries = new ArrayList<>((List<?>) index.get("manifests"));
        entries.add(Manifest.descriptorJson(sig.root()));
        index.put("manifests", entries);
        Files.write(src.resolve("index.json"), Json.writeBytes(index));

        Referrers.Found f = Referrers.of(layout, art.root().digest());
        assertThat(f.via()).isEqualTo(Referrers.Via.INDEX);
        assertThat(f.referrers()).extracting(r -> r.descriptor().digest()).containsExactly(sig.root().digest());
        assertThat(f.referrers().get(0).artifactType()).isEqualTo(SIG);

        Mirror.run(Targets.parse("oci-layout:" + src + ":v1"), Targets.parse("oci-layout:" + tmp.resolve("dst") + ":v1"),
                RegistryOptions.defaults(), CopyOptions.defaults());
        assertThat(tree(OciLayout.open(tmp.resolve("dst")), art.root())).containsExactly(SIG + " " + sig.root().digest());
    }

    /** Serves {@code art} at {@code v1}; returns its manifest. */
    private static Descriptor serve(HostileRegistry h, Blobs.Artifact art) {
        art.blobs().values().forEach(h::blob);
        return h.manifest("v1", art.manifestBytes());
    }

    private static byte[] apiIndex(Referrer r, String type) {
        Map<String, Object> e = new LinkedHashMap<>(Manifest.descriptorJson(r.root()));
        e.put("artifactType", type);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 2L);
        m.put("mediaType", MediaTypes.OCI_INDEX);
        m.put("manifests", List.of(e));
        return Json.writeBytes(m);
    }
}
