package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Digest;
import dev.modelreg.testkit.GitHubFixture;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.Skopeo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Air-gapped sites fed from a GitHub-mode source, through the real CLI: {@code mirror --source} into a real registry
 * and {@code export --source} into an OCI archive, both then consumed by OCI with byte-identical files; GitHub-mode
 * pins (the sha256 of a ref's models.toml) online, offline and after the branch moved; every hint printed is run.
 * <p>
 * No wall-clock bound on a whole test (a test here is up to 30 commands; on a loaded machine their sum says nothing):
 * each step is bounded by its own work instead, every command by {@link Modelreg#LIMIT}, skopeo and the fixtures'
 * start-up by theirs, so a hang fails the step that hangs, by name.
 */
class GitHubSourceMirrorCliTest {
    static final String OWNER = "MODFLOW-ORG";
    static final String REPO = "modflow6-testmodels";

    @TempDir Path tmp;
    GitHubFixture gh;
    Path bootstrap;
    Map<String, byte[]> files = new HashMap<>();
    String mirrored;

    @BeforeEach
    void setUp() throws IOException {
        gh = GitHubFixture.start(tmp.resolve("gh"));
        bootstrap = tmp.resolve("bootstrap.toml");
        Files.writeString(bootstrap, """
                [sources.modflow6-testmodels]
                repo = "MODFLOW-ORG/modflow6-testmodels"
                name = "mf6/test"
                refs = ["develop"]
                """);
        byte[] big = new byte[1_200_000]; // a file layer of its own (section 3.3)
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31 + i / 7);
        files.put("test001a/mfsim.nam", "BEGIN options\nEND options\n".getBytes(StandardCharsets.UTF_8));
        files.put("test001a/sub/model.dis", "BEGIN dimensions\n nlay 1\nEND dimensions\n".getBytes(StandardCharsets.UTF_8));
        files.put("test001a/model.bin", big);
        publish("develop", files);
    }

    @AfterEach
    void tearDown() {
        gh.close();
    }

    /** Puts a models.toml (with raw URLs for the two small files, none for the big one) and the files on {@code ref}. */
    private byte[] publish(String ref, Map<String, byte[]> content) {
        StringBuilder toml = new StringBuilder();
        List<String> keys = new ArrayList<>(new java.util.TreeSet<>(content.keySet()));
        for (String k : keys) {
            toml.append("[files.\"").append(k).append("\"]\nhash = \"").append(Digest.sha256Of(content.get(k)).hex()).append("\"\n");
            if (!k.endsWith(".bin")) {
                toml.append("url = \"https://raw.githubusercontent.com/").append(OWNER).append('/').append(REPO).append('/')
                        .append(ref).append("/mf6/").append(k).append("\"\n");
            }
            toml.append('\n');
            gh.putRaw(OWNER, REPO, ref, k.endsWith(".bin") ? k : "mf6/" + k, content.get(k));
        }
        toml.append("[models]\n\"mf6/test/test001a\" = [");
        for (int i = 0; i < keys.size(); i++) toml.append(i > 0 ? ", " : "").append('"').append(keys.get(i)).append('"');
        toml.append("]\n");
        byte[] b = toml.toString().getBytes(StandardCharsets.UTF_8);
        gh.putRaw(OWNER, REPO, ref, ".registry/models.toml", b);
        return b;
    }

    Modelreg.Run modelreg(Path config, String cache, String... args) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>(gh.env());
        env.put("MODELREG_CACHE", tmp.resolve(cache).toString());
        env.put("MODELREG_CONFIG", config.toString());
        return Modelreg.run(tmp, Modelreg.FAST_JVM, env, args);
    }

    Modelreg.Run ok(Path config, String cache, String... args) throws IOException, InterruptedException {
        return Modelreg.ok(modelreg(config, cache, args), args);
    }

    private void assertSameFiles(Path ws, Map<String, byte[]> want) throws IOException {
        for (Map.Entry<String, byte[]> e : want.entrySet()) {
            String rel = e.getKey().substring("test001a/".length());
            assertThat(Files.readAllBytes(ws.resolve(rel))).as(rel).isEqualTo(e.getValue());
        }
    }

    @Test
    void gitHubSourceMirroredToRegistryAndExportedToArchiveIsConsumedByOci() throws Exception {
        try (RegistryFixture registry = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("registry"))) {
            String repo = registry.host() + "/mirror/testmodels";
            Modelreg.Run mirror = ok(bootstrap, "cache", "mirror", "--source", "mf6/test", repo, "--json");
            @SuppressWarnings("unchecked")
            Map<String, Object> landed = ((List<Map<String, Object>>) mirror.json().get("refs")).get(0);
            assertThat(landed).containsEntry("mode", "github").containsEntry("tag", "develop");
            String digest = (String) landed.get("digest");
            mirrored = digest;
            // the config is the models.toml, byte for byte
            String manifest = Skopeo.inspectRaw(repo + ":develop", false);
            byte[] toml = Files.readAllBytes(gh.rawDir(OWNER, REPO, "develop").resolve(".registry/models.toml"));
            assertThat(manifest).contains(Digest.sha256Of(toml).toString(), "application/vnd.modelreg.modelset.v1",
                    "\"dev.modelreg.ref\":\"develop\"");
            Skopeo.copy("docker://" + repo + ":develop", "oci:" + tmp.resolve("skopeo") + ":develop",
                    Skopeo.flagsFor(registry, "src"));

            // the internal side: an OCI-mode source on the mirror, no GitHub at all
            Path internal = tmp.resolve("internal.toml");
            Files.writeString(internal, "[sources.testmodels]\nname = \"mf6/test\"\noci = \"" + repo + "\"\nrefs = [\"develop\"]\n");
            Modelreg.Run copy = ok(internal, "cache-oci", "copy", "mf6/test/test001a", tmp.resolve("ws-oci").toString(), "--json");
            assertThat(copy.json().get("digest")).isEqualTo(digest);
            assertSameFiles(tmp.resolve("ws-oci"), files);

            // offline, the hint names the command that caches an OCI-mode ref
            Modelreg.Run off = modelreg(internal, "cache-oci2", "sync", "--offline");
            runHint(off, internal, "cache-oci2");
            ok(internal, "cache-oci2", "sync", "--offline");

            // an OCI-mode source is mirrored as it is: digests kept
            Path tar2 = tmp.resolve("oci-export.tar");
            Modelreg.Run again = ok(internal, "cache-oci", "export", "--source", "testmodels", "--output", tar2.toString(), "--json");
            assertThat(again.out()).contains("\"mode\":\"oci\"", digest);
        }

        // export the GitHub-mode source into an archive, then consume from the archive
        Path tar = tmp.resolve("outbox/models.tar");
        Modelreg.Run export = ok(bootstrap, "cache", "export", "--source", "modflow6-testmodels", "--output", tar.toString());
        assertThat(export.out()).contains("oci-archive:", ":develop@" + mirrored); // same ref, same artifact
        Path fromTar = tmp.resolve("from-tar.toml");
        Files.writeString(fromTar, "[sources.testmodels]\nname = \"mf6/test\"\noci = \"oci-archive:" + tar + "\"\nrefs = [\"develop\"]\n");
        ok(fromTar, "cache-tar", "copy", "mf6/test/test001a", tmp.resolve("ws-tar").toString());
        assertSameFiles(tmp.resolve("ws-tar"), files);
        Skopeo.copy("oci-archive:" + tar + ":develop", "oci:" + tmp.resolve("skopeo2") + ":develop");
    }

    @Test
    void releaseRegistryWithoutHashesIsRefusedBeforeAnythingIsWritten() throws Exception {
        // modflow-devtools release mode: models.toml without hashes, the files in a release zip
        java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
        StringBuilder toml = new StringBuilder();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(zip)) {
            for (String k : new java.util.TreeSet<>(files.keySet())) {
                z.putNextEntry(new java.util.zip.ZipEntry(k));
                z.write(files.get(k));
                z.closeEntry();
                toml.append("[files.\"").append(k).append("\"]\nurl = \"https://github.com/").append(OWNER).append('/')
                        .append(REPO).append("/releases/download/v1/models.zip\"\n\n");
            }
        }
        toml.append("[models]\n\"mf6/test/test001a\" = [\"test001a/mfsim.nam\", \"test001a/sub/model.dis\", \"test001a/model.bin\"]\n");
        gh.putRelease(OWNER, REPO, "v1", "models.toml", toml.toString().getBytes(StandardCharsets.UTF_8));
        gh.putRelease(OWNER, REPO, "v1", "models.zip", zip.toByteArray());
        // consumers verify every file of an OCI artifact against its config, byte for byte this models.toml: refused
        Path tar = tmp.resolve("v1.tar");
        Modelreg.Run export = modelreg(bootstrap, "cache", "export", "--source", "mf6/test", "--ref", "v1", "--output", tar.toString());
        assertThat(export.code()).as(export.err()).isEqualTo(1);
        assertThat(export.err()).contains("models.toml of mf6/test@v1: 3 of 3 files have no hash", "modelreg make-registry");
        assertThat(tar).doesNotExist();
    }

    @Test
    void gitHubPinWorksOnlineOfflineAndAfterTheBranchMoved() throws Exception {
        ok(bootstrap, "cache", "sync");
        Modelreg.Run info = ok(bootstrap, "cache", "info", "--json");
        Matcher m = Pattern.compile("\"pin\":\"([^\"]+)\"").matcher(info.out());
        assertThat(m.find()).as(info.out()).isTrue();
        String pin = m.group(1);
        byte[] toml = Files.readAllBytes(gh.rawDir(OWNER, REPO, "develop").resolve(".registry/models.toml"));
        assertThat(pin).isEqualTo("modflow6-testmodels@" + Digest.sha256Of(toml));
        assertThat(ok(bootstrap, "cache", "info", "-v").out()).contains("pin: " + pin);

        // exactly what info printed is accepted, online and offline
        ok(bootstrap, "cache", "copy", pin + "/test001a", tmp.resolve("ws1").toString());
        assertSameFiles(tmp.resolve("ws1"), files);
        ok(bootstrap, "cache", "copy", "--offline", pin + "/mf6/test/test001a", tmp.resolve("ws2").toString());
        assertSameFiles(tmp.resolve("ws2"), files);

        // the branch moves: a sync changes develop, not what the pin serves
        Map<String, byte[]> moved = new HashMap<>(files);
        moved.put("test001a/sub/model.dis", "BEGIN dimensions\n nlay 2\nEND dimensions\n".getBytes(StandardCharsets.UTF_8));
        byte[] movedToml = publish("develop", moved);
        ok(bootstrap, "cache", "sync", "--force");
        ok(bootstrap, "cache", "copy", "mf6/test/test001a", tmp.resolve("ws3").toString());
        assertSameFiles(tmp.resolve("ws3"), moved);
        ok(bootstrap, "cache", "copy", pin + "/test001a", tmp.resolve("ws4").toString());
        assertSameFiles(tmp.resolve("ws4"), files);
        ok(bootstrap, "cache", "copy", "--offline", pin + "/test001a", tmp.resolve("ws5").toString());
        assertSameFiles(tmp.resolve("ws5"), files);

        // the pin exported after the move: the old files, tagged by the ref it was pinned from
        String pinDigest = pin.substring(pin.indexOf('@') + 1);
        Path pinned = tmp.resolve("pinned.tar");
        Modelreg.Run export = ok(bootstrap, "cache", "export", "--source", "mf6/test", "--ref", pinDigest,
                "--output", pinned.toString(), "--json");
        assertThat(export.out()).contains("\"tag\":\"develop\"", "\"mode\":\"github\"");
        ok(bootstrap, "cache2", "copy", "--from", "oci-archive:" + pinned + ":develop", "mf6/test/test001a", tmp.resolve("ws-pinned").toString());
        assertSameFiles(tmp.resolve("ws-pinned"), files);
        Modelreg.Run clash = modelreg(bootstrap, "cache", "export", "--source", "mf6/test", "--ref", "develop", "--ref",
                pinDigest, "--output", tmp.resolve("clash.tar").toString());
        assertThat(clash.code()).as("conflicting --ref arguments").isEqualTo(3);
        assertThat(clash.err()).contains("would both be tagged 'develop'");
        assertThat(tmp.resolve("clash.tar")).doesNotExist();

        // a fresh cache: the old pin is no longer served; the new one is found online
        Modelreg.Run gone = modelreg(bootstrap, "fresh", "copy", pin + "/test001a", tmp.resolve("ws6").toString());
        assertThat(gone.code()).as("the pin is not found").isEqualTo(4);
        assertThat(gone.err()).contains("no cached or configured ref of source 'modflow6-testmodels' has a models.toml with this sha256");
        String newPin = "modflow6-testmodels@" + Digest.sha256Of(movedToml);

        // offline hints are commands that work: run each one, then the offline command succeeds
        Modelreg.Run offline = modelreg(bootstrap, "fresh", "copy", "--offline", newPin + "/test001a", tmp.resolve("ws7").toString());
        runHint(offline, "fresh"); // caches the pinned registry (files come with the first online copy)
        ok(bootstrap, "fresh", "sync", "--offline", "--source", "mf6/test", "--ref", newPin.substring(newPin.indexOf('@') + 1));
        ok(bootstrap, "fresh", "copy", newPin + "/test001a", tmp.resolve("ws7").toString());
        ok(bootstrap, "fresh", "copy", "--offline", newPin + "/test001a", tmp.resolve("ws8").toString());
        assertSameFiles(tmp.resolve("ws8"), moved);
        Modelreg.Run offlineSync = modelreg(bootstrap, "fresh2", "sync", "--offline");
        runHint(offlineSync, "fresh2");
        ok(bootstrap, "fresh2", "sync", "--offline");

        // the other hints a damaged cache gives are commands that work too
        Path state = tmp.resolve("fresh2/sources/modflow6-testmodels/develop/state.json");
        Files.writeString(state, "{}");
        Modelreg.Run unreadable = modelreg(bootstrap, "fresh2", "copy", "mf6/test/test001a", tmp.resolve("ws9").toString());
        runHint(unreadable, "fresh2");
        ok(bootstrap, "fresh2", "copy", "mf6/test/test001a", tmp.resolve("ws9").toString());
        Path blob = tmp.resolve("fresh2/blobs/sha256/" + Digest.sha256Of(moved.get("test001a/mfsim.nam")).hex());
        Files.writeString(blob, "damaged");
        Modelreg.Run corrupt = modelreg(bootstrap, "fresh2", "copy", "mf6/test/test001a", tmp.resolve("ws10").toString());
        runHint(corrupt, "fresh2");
        ok(bootstrap, "fresh2", "copy", "mf6/test/test001a", tmp.resolve("ws10").toString());
        assertSameFiles(tmp.resolve("ws10"), moved);
    }

    /** Finds the "(run modelreg ...[ with network access])" hint in a failed run and runs it (online). */
    private void runHint(Modelreg.Run failed, String cache) throws Exception {
        runHint(failed, bootstrap, cache);
    }

    private void runHint(Modelreg.Run failed, Path config, String cache) throws Exception {
        assertThat(failed.code()).isNotZero();
        Matcher h = Pattern.compile("run modelreg ([^()]+?)(?: with network access)?\\)").matcher(failed.out() + failed.err());
        assertThat(h.find()).as(failed.err()).isTrue();
        ok(config, cache, h.group(1).split(" "));
    }
}
