package dev.modelreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.content.store.OciLayout;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import dev.modelreg.testkit.RegistryFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code attach}, {@code discover} and {@code mirror [--no-referrers]} in process: a signature attached to an artifact
 * and an SBOM attached to the signature are listed as a tree, go with the artifact by default, stay behind with
 * {@code --no-referrers} (mirror and export); bad input is one line with the exit code of its kind.
 */
class ReferrersCommandTest {
    @TempDir Path tmp;

    static final String SIG = "application/vnd.example.signature";
    static final String SBOM = "application/spdx+json";

    private Path file(String name, String text) throws Exception {
        Path p = tmp.resolve("files").resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    /** Attaches and returns the referrer's digest (stdout: LOCATION@DIGEST). */
    private static String attach(String ref, String type, Path f, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("attach", ref, "--artifact-type", type, f.toString()));
        args.addAll(List.of(more));
        Ran r = Ran.of(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        String out = r.out().trim();
        return out.substring(out.lastIndexOf('@') + 1);
    }

    @Test
    void attachedReferrersAreDiscoveredAndGoWithTheArtifact() throws Exception {
        String a = "oci-layout:" + tmp.resolve("a");
        Descriptor root = MirrorCommandTest.artifact(OciLayout.open(tmp.resolve("a")));
        String sig = attach(a + ":v1", SIG, file("sig.bin", "signature"), "--annotation", "org.example.signer=ci");
        String sbom = attach(a + "@" + sig, SBOM, file("sbom.json", "{}"));
        assertThat(attach(a + ":v1", SIG, file("sig.bin", "signature"), "--annotation", "org.example.signer=ci"))
                .as("the same files, type and annotations: the same referrer").isEqualTo(sig);

        List<String> tree = List.of(root.digest().toString(), "  " + sig + " " + SIG, "    " + sbom + " " + SBOM);
        Ran d = Ran.of("discover", a + ":v1");
        assertThat(d.code()).as(d.err()).isZero();
        assertThat(d.out().lines().toList()).isEqualTo(tree);

        Ran m = Ran.of("mirror", a + ":v1", "oci-layout:" + tmp.resolve("b"));
        assertThat(m.code()).as(m.err()).isZero();
        assertThat(m.err()).contains("with 2 referrers");
        assertThat(Ran.of("discover", "oci-layout:" + tmp.resolve("b") + ":v1").out().lines().toList()).isEqualTo(tree);
        Ran again = Ran.of("mirror", a + ":v1", "oci-layout:" + tmp.resolve("b"));
        assertThat(again.err()).contains("copied 0 blobs and manifests (0 bytes)");

        Ran without = Ran.of("mirror", "--no-referrers", a + ":v1", "oci-layout:" + tmp.resolve("c"));
        assertThat(without.code()).as(without.err()).isZero();
        assertThat(without.err()).doesNotContain("referrer");
        assertThat(Ran.of("discover", "oci-layout:" + tmp.resolve("c") + ":v1").out().lines().toList())
                .containsExactly(root.digest().toString());

        Ran j = Ran.of("discover", "--json", a + ":v1");
        Map<String, Object> doc = Json.parseObject(j.out().getBytes(StandardCharsets.UTF_8), "out");
        assertThat(doc).containsEntry("subject", root.digest().toString());
        List<?> top = (List<?>) doc.get("referrers");
        assertThat(top).hasSize(1);
        Map<?, ?> s = (Map<?, ?>) top.get(0);
        assertThat(s.get("digest")).isEqualTo(sig);
        assertThat(s.get("artifactType")).isEqualTo(SIG);
        assertThat(((Map<?, ?>) s.get("annotations")).get("org.example.signer")).isEqualTo("ci");
        assertThat(((Map<?, ?>) ((List<?>) s.get("referrers")).get(0)).get("digest")).isEqualTo(sbom);
    }

    /**
     * {@code export --source}: a ref's referrers go into the archive with it; with {@code --no-referrers} they stay
     * behind (and so with {@code mirror --source --no-referrers}).
     */
    @Test
    void exportCarriesReferrersUnlessNoReferrers() throws Exception {
        String a = "oci-layout:" + tmp.resolve("a");
        Descriptor root = MirrorCommandTest.artifact(OciLayout.open(tmp.resolve("a")));
        String sig = attach(a + ":v1", SIG, file("sig.bin", "signature"));
        String sbom = attach(a + "@" + sig, SBOM, file("sbom.json", "{}"));
        Path config = file("sources.toml", "[sources.signed]\nname = \"signed\"\noci = \"" + a + "\"\nrefs = [\"v1\"]\n");
        Map<String, String> env = Map.of("MODELREG_CONFIG", config.toString(), "MODELREG_CACHE", tmp.resolve("cache").toString(),
                "HOME", tmp.resolve("home").toString());

        Ran with = Ran.of(env, "export", "--source", "signed", "--output", tmp.resolve("with.tar").toString());
        assertThat(with.code()).as(with.err()).isZero();
        assertThat(Ran.of("discover", "oci-archive:" + tmp.resolve("with.tar") + ":v1").out().lines().toList())
                .containsExactly(root.digest().toString(), "  " + sig + " " + SIG, "    " + sbom + " " + SBOM);
        assertThat(Ran.of("tags", "oci-archive:" + tmp.resolve("with.tar")).out()).as("the archive lists them by the tag scheme")
                .contains("sha256-" + root.digest().hex() + " ", "sha256-" + Digest.parse(sig).hex() + " ");

        Ran without = Ran.of(env, "export", "--source", "signed", "--no-referrers", "--output", tmp.resolve("without.tar").toString());
        assertThat(without.code()).as(without.err()).isZero();
        Ran d = Ran.of("discover", "oci-archive:" + tmp.resolve("without.tar") + ":v1");
        assertThat(d.code()).as(d.err()).isZero();
        assertThat(d.out().lines().toList()).containsExactly(root.digest().toString());
        assertThat(Ran.of("tags", "oci-archive:" + tmp.resolve("without.tar")).out().lines()).as("nor by the tag scheme")
                .singleElement().asString().startsWith("v1 ");

        // mirror --source takes the flag the same way
        Ran mirrored = Ran.of(env, "mirror", "--source", "signed", "--no-referrers", "oci-layout:" + tmp.resolve("c"));
        assertThat(mirrored.code()).as(mirrored.err()).isZero();
        assertThat(Ran.of("discover", "oci-layout:" + tmp.resolve("c") + ":v1").out().lines().toList())
                .containsExactly(root.digest().toString());
    }

    @Test
    void aSignedArtifactInARegistryWithoutTheApiIsMirroredAndDiscovered() throws Exception {
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("reg"))) {
            Descriptor root = MirrorCommandTest.artifact(OciLayout.open(tmp.resolve("a")));
            assertThat(Ran.of("mirror", "oci-layout:" + tmp.resolve("a") + ":v1", reg.host() + "/m:v1").code()).isZero();
            String sig = attach(reg.host() + "/m:v1", SIG, file("sig.bin", "signature"));
            String sbom = attach(reg.host() + "/m@" + sig, SBOM, file("sbom.json", "{}"));
            Ran tags = Ran.of("tags", reg.host() + "/m");
            assertThat(tags.out()).contains("sha256-" + root.digest().hex(), "sha256-" + Digest.parse(sig).hex());

            Ran m = Ran.of("mirror", reg.host() + "/m:v1", reg.host() + "/copy:v1");
            assertThat(m.code()).as(m.err()).isZero();
            Ran d = Ran.of("discover", reg.host() + "/copy:v1");
            assertThat(d.out().lines().toList())
                    .containsExactly(root.digest().toString(), "  " + sig + " " + SIG, "    " + sbom + " " + SBOM);
        }
    }

    @Test
    void badInputIsOneLineWithTheExitCodeOfItsKind() throws Exception {
        String a = "oci-layout:" + tmp.resolve("a");
        MirrorCommandTest.artifact(OciLayout.open(tmp.resolve("a")));
        Ran noTag = Ran.of("discover", a);
        assertThat(noTag.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(noTag.errLines()).hasSize(1);

        Ran badType = Ran.of("attach", a + ":v1", "--artifact-type", "not a type", file("x", "x").toString());
        assertThat(badType.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(badType.errLines()).hasSize(1).first().asString().contains("artifact type 'not a type'");

        Ran missing = Ran.of("attach", a + ":v1", "--artifact-type", SIG, tmp.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.errLines()).hasSize(1).first().asString().contains("nope");

        Ran noArtifact = Ran.of("discover", a + ":v9");
        assertThat(noArtifact.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(noArtifact.errLines()).hasSize(1);
    }
}
