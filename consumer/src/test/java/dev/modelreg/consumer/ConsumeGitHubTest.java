package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.consumer.Results.SyncResult;
import dev.modelreg.spec.Digest;
import dev.modelreg.testkit.GitHubFixture;
import dev.modelreg.testkit.Request;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GitHub mode against the real-HTTP GitHub fixture, with a modflow-devtools-style bootstrap file. */
class ConsumeGitHubTest {
    @TempDir Path tmp;
    GitHubFixture gh;
    Path bootstrap;
    Map<String, String> env;

    static final String RAW = "https://raw.githubusercontent.com";

    final Map<String, byte[]> files = new LinkedHashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        gh = GitHubFixture.start(tmp.resolve("gh"));
        files.put("ex1/mfsim.nam", "BEGIN options\nEND options\n".getBytes(StandardCharsets.UTF_8));
        files.put("ex1/gwf/model.dis", bytes(3000, 7));
        files.put("ex1/gwf/deep/k.bin", bytes(70000, 11));
        files.put("ex2/mfsim.nam", "ex2 namefile\n".getBytes(StandardCharsets.UTF_8));
        bootstrap = tmp.resolve("bootstrap.toml");
        Files.writeString(bootstrap, """
                # a modflow-devtools bootstrap, unchanged
                [sources.testmodels]
                repo = "org/models"
                name = "test"
                refs = ["develop", "v1.0"]
                """);
        env = new HashMap<>(gh.env());
        env.put("MODELREG_CACHE", tmp.resolve("cache").toString());
    }

    @AfterEach
    void tearDown() {
        gh.close();
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * seed + i / 7);
        return b;
    }

    /** A raw-mode ref: files in the checkout under examples/, registry in .registry/models.toml with raw URLs. */
    String publishRaw(String ref) {
        StringBuilder toml = new StringBuilder("schema_version = \"1.0\"\n");
        files.forEach((k, v) -> {
            gh.putRaw("org", "models", ref, "examples/" + k, v);
            toml.append("\n[files.\"").append(k).append("\"]\nhash = \"").append(Digest.sha256Of(v).hex())
                    .append("\"\nurl = \"").append(RAW).append("/org/models/").append(ref).append("/examples/").append(k)
                    .append("\"\n");
        });
        toml.append(models());
        gh.putRaw("org", "models", ref, ".registry/models.toml", toml.toString().getBytes(StandardCharsets.UTF_8));
        return toml.toString();
    }

    static String models() {
        return """

                [models]
                "test/ex1" = ["ex1/mfsim.nam", "ex1/gwf/model.dis", "ex1/gwf/deep/k.bin"]
                "test/ex2" = ["ex2/mfsim.nam"]

                [examples]
                "ex" = ["test/ex1", "test/ex2"]
                """;
    }

    /** A release-mode ref: models.toml (no hashes) and models.zip as release assets. */
    void publishRelease(String tag) throws IOException {
        publishZip(tag, files, false, false);
    }

    /**
     * A release ref whose models.toml names models.zip as every file's URL (with the file's hash when {@code hashes})
     * and whose zip holds {@code members} (stored, not deflated, when {@code stored}: a member's bytes can be found in
     * the zip). Returns the zip's bytes.
     */
    byte[] publishZip(String tag, Map<String, byte[]> members, boolean hashes, boolean stored) throws IOException {
        StringBuilder toml = new StringBuilder();
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            for (var e : members.entrySet()) {
                ZipEntry ze = new ZipEntry(e.getKey());
                if (stored) {
                    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                    crc.update(e.getValue());
                    ze.setMethod(ZipEntry.STORED);
                    ze.setSize(e.getValue().length);
                    ze.setCompressedSize(e.getValue().length);
                    ze.setCrc(crc.getValue());
                }
                z.putNextEntry(ze);
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        for (var e : files.entrySet()) {
            toml.append("[files.\"").append(e.getKey()).append("\"]\n");
            if (hashes) toml.append("hash = \"").append(Digest.sha256Of(e.getValue()).hex()).append("\"\n");
            toml.append("url = \"https://github.com/org/models/releases/download/").append(tag).append("/models.zip\"\n\n");
        }
        toml.append(models());
        gh.putRelease("org", "models", tag, "models.toml", toml.toString().getBytes(StandardCharsets.UTF_8));
        gh.putRelease("org", "models", tag, "models.zip", zip.toByteArray());
        return zip.toByteArray();
    }

    ModelReg reg() throws IOException {
        return new ModelReg(ModelReg.loadConfig(bootstrap, Map.of()), Settings.from(env));
    }

    ModelReg offline() throws IOException {
        return new ModelReg(ModelReg.loadConfig(bootstrap, Map.of()), Settings.from(env).withOffline(true));
    }

    @Test
    void linkedPullMakesEachFileAReadOnlyNameOfItsCachedBlob() throws IOException {
        files.put("ex1/gwf/twin.dis", files.get("ex1/gwf/model.dis")); // one blob under two names
        publishRaw("develop");
        Cache cache = new Cache(tmp.resolve("cache"));
        Path all = tmp.resolve("all");
        reg().pull(reg().ref("test@develop"), all, Selection.ALL, Placement.LINK);
        for (var f : files.entrySet()) {
            Path p = all.resolve(f.getKey());
            assertThat(p).hasBinaryContent(f.getValue());
            assertThat(Files.getAttribute(p, "unix:ino")).as(f.getKey())
                    .isEqualTo(Files.getAttribute(cache.blob(Digest.sha256Of(f.getValue())), "unix:ino"));
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("r--r--r--");
        }
        assertThat(Files.getAttribute(all.resolve("ex1/gwf/twin.dis"), "unix:nlink")).isEqualTo(3);
    }

    @Test
    void noCacheCopyAndPullKeepDownloadedFilesOutOfTheCacheAndTheDefaultWritesBoth() throws IOException {
        publishRaw("develop");
        files.put("ex1/gwf/twin.dis", files.get("ex1/gwf/model.dis")); // one blob under two names (pulled, in no model)
        publishRaw("develop");
        Cache cache = new Cache(tmp.resolve("cache"));

        reg().copy("test/ex1", tmp.resolve("ws"), false, Placement.NO_CACHE, Selection.ALL);
        reg().pull(reg().ref("test@develop"), tmp.resolve("all"), Selection.ALL, Placement.NO_CACHE);
        for (var f : files.entrySet()) {
            assertThat(cache.has(Digest.sha256Of(f.getValue()))).as("%s in the cache", f.getKey()).isFalse();
            assertThat(tmp.resolve("all").resolve(f.getKey())).hasBinaryContent(f.getValue());
        }
        assertThat(tmp.resolve("ws/gwf/deep/k.bin")).hasBinaryContent(files.get("ex1/gwf/deep/k.bin"));
        try (var s = Files.list(tmp)) {
            assertThat(s.map(x -> x.getFileName().toString())).noneMatch(n -> n.contains(".blobs-") || n.contains(".staging-"));
        }

        // the default: each file into the cache and the workspace in the download's pass, both complete
        reg().copy("test/ex1", tmp.resolve("ws2"), false);
        for (String k : List.of("ex1/mfsim.nam", "ex1/gwf/model.dis", "ex1/gwf/deep/k.bin")) {
            assertThat(tmp.resolve("ws2").resolve(k.substring(4))).hasBinaryContent(files.get(k));
            assertThat(cache.blob(Digest.sha256Of(files.get(k)))).hasBinaryContent(files.get(k));
        }
    }

    @Test
    void pinIsTheSha256OfTheModelsTomlFromCacheReleaseZipOrConfiguredRefs() throws IOException {
        publishRelease("v1.0");
        ModelReg reg = reg();
        SyncResult synced = reg.sync("testmodels", "v1.0", false).get(0);
        String pin = reg.list("testmodels", "v1.0").get(0).state().pin();
        assertThat(pin).isEqualTo("testmodels@" + synced.digest());
        reg.copy(pin + "/ex1", tmp.resolve("ws1"), false); // the release zip, through the pin
        assertThat(tmp.resolve("ws1/gwf/deep/k.bin")).hasBinaryContent(files.get("ex1/gwf/deep/k.bin"));
        gh.clearRequests();
        offline().copy(pin + "/ex2", tmp.resolve("ws2"), false);
        assertThat(gh.requests()).isEmpty();

        // another cache, online: found by discovering the configured refs (develop has no registry: skipped)
        env.put("MODELREG_CACHE", tmp.resolve("cache2").toString());
        reg().copy(pin + "/test/ex1", tmp.resolve("ws3"), false);
        assertThat(tmp.resolve("ws3/mfsim.nam")).hasBinaryContent(files.get("ex1/mfsim.nam"));

        // a digest no ref serves: one line naming the source and its refs
        env.put("MODELREG_CACHE", tmp.resolve("cache3").toString());
        String other = "testmodels@" + Digest.sha256Of(new byte[] {1});
        assertThatThrownBy(() -> reg().copy(other + "/ex1", tmp.resolve("ws4"), false))
                .hasMessageContaining("no cached or configured ref of source 'testmodels' has a models.toml with this sha256")
                .hasMessageContaining("[develop, v1.0]");
        assertThatThrownBy(() -> offline().copy(other + "/ex1", tmp.resolve("ws4"), false))
                .hasMessageContaining("run modelreg sync --source testmodels --ref sha256:");
    }

    @Test
    void rawModeSyncCopyVerifyAndNoopSync() throws IOException {
        String toml = publishRaw("develop");
        ModelReg reg = reg();
        List<SyncResult> r = reg.sync("testmodels", "develop", false);
        assertThat(r).singleElement().satisfies(x -> {
            assertThat(x.status()).isEqualTo("synced");
            assertThat(x.transport()).isEqualTo(RefState.GITHUB_RAW);
            assertThat(x.digest()).isEqualTo(Digest.sha256Of(toml.getBytes(StandardCharsets.UTF_8)));
        });
        // release asset tried first (404), then raw
        assertThat(gh.requests()).extracting(Request::path).containsExactly(
                "/org/models/releases/download/develop/models.toml", "/org/models/develop/.registry/models.toml");

        Path ws = tmp.resolve("ws1");
        var c = reg.copy("test/ex1", ws, false);
        assertThat(c.files()).containsExactlyInAnyOrder("mfsim.nam", "gwf/model.dis", "gwf/deep/k.bin");
        assertThat(ws.resolve("gwf/deep/k.bin")).hasBinaryContent(files.get("ex1/gwf/deep/k.bin"));
        assertThat(ws.resolve("mfsim.nam")).hasBinaryContent(files.get("ex1/mfsim.nam"));
        assertThat(reg.verify("test/ex1", ws).ok()).isTrue();

        gh.clearRequests();
        assertThat(reg.sync("testmodels", "develop", false)).singleElement()
                .satisfies(x -> assertThat(x.status()).isEqualTo("skipped"));
        assertThat(gh.requests()).isEmpty();

        Files.write(ws.resolve("gwf/model.dis"), new byte[] {1, 2, 3});
        Files.delete(ws.resolve("mfsim.nam"));
        var v = reg.verify("test/ex1", ws);
        assertThat(v.ok()).isFalse();
        assertThat(v.mismatches()).extracting(Results.Mismatch::path, Results.Mismatch::reason)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("gwf/model.dis", "modified"),
                        org.assertj.core.groups.Tuple.tuple("mfsim.nam", "missing"));

        // offline copy from the warm cache: no request at all
        gh.clearRequests();
        offline().copy("test/ex1", tmp.resolve("ws-offline"), false);
        assertThat(tmp.resolve("ws-offline/gwf/deep/k.bin")).hasBinaryContent(files.get("ex1/gwf/deep/k.bin"));
        assertThat(gh.requests()).isEmpty();
        assertThatThrownBy(() -> offline().copy("test/ex2", tmp.resolve("ws-off2"), false))
                .hasMessageContaining("offline").hasMessageContaining("ex2/mfsim.nam");
        assertThat(tmp.resolve("ws-off2")).doesNotExist();
    }

    @Test
    void releaseModeFetchesTheZipOnce() throws IOException {
        publishRelease("v1.0");
        ModelReg reg = reg();
        assertThat(reg.sync("testmodels", "v1.0", false)).singleElement()
                .satisfies(x -> assertThat(x.transport()).isEqualTo(RefState.GITHUB_RELEASE));
        reg.copy("test@v1.0/ex1", tmp.resolve("a"), false);
        reg.copy("test@v1.0/ex2", tmp.resolve("b"), false);
        assertThat(tmp.resolve("a/gwf/deep/k.bin")).hasBinaryContent(files.get("ex1/gwf/deep/k.bin"));
        assertThat(tmp.resolve("b/mfsim.nam")).hasBinaryContent(files.get("ex2/mfsim.nam"));
        long zipGets = gh.requests().stream().filter(q -> q.path().endsWith("/releases/download/v1.0/models.zip")).count();
        assertThat(zipGets).isEqualTo(1);
        // offline from the cached zip
        offline().copy("test@v1.0/ex1", tmp.resolve("c"), false);
        assertThat(tmp.resolve("c/gwf/model.dis")).hasBinaryContent(files.get("ex1/gwf/model.dis"));
        assertThat(reg.verify("test@v1.0/ex1", tmp.resolve("c")).unverifiable()).hasSize(3);
    }

    @Test
    void discoveryErrorsUseTheReferenceToolsTexts() throws IOException {
        ModelReg reg = reg();
        assertThat(reg.sync("testmodels", "nope", false)).singleElement().satisfies(x -> {
            assertThat(x.failed()).isTrue();
            assertThat(x.error()).isEqualTo("Registry file 'models.toml' not found in .registry for 'test@nope'");
        });
        publishRaw("develop");
        gh.failNext(1, 500);
        assertThat(reg.sync("testmodels", "develop", false)).singleElement().satisfies(x -> assertThat(x.error())
                .isEqualTo("Error fetching registry from release assets for 'test@develop': HTTP Error 500: Internal Server Error"));
        assertThatThrownBy(() -> reg.sync("nosuch", null, false))
                .hasMessage("Source 'nosuch' not found in config. Available sources: testmodels (test)");
    }

    @Test
    void tamperedFileIsRefusedAndNothingLands() throws IOException {
        publishRaw("develop");
        gh.putRaw("org", "models", "develop", "examples/ex1/gwf/model.dis", "tampered".getBytes(StandardCharsets.UTF_8));
        ModelReg reg = reg();
        Path ws = tmp.resolve("ws");
        assertThatThrownBy(() -> reg.copy("test/ex1", ws, false))
                .hasMessageContaining("ex1/gwf/model.dis").hasMessageContaining("digest mismatch");
        assertThat(ws).doesNotExist();
        assertThat(tmp.resolve("cache/blobs/sha256/" + Digest.sha256Of("tampered".getBytes(StandardCharsets.UTF_8)).hex()))
                .doesNotExist();
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("staging"));
        }
    }

    @Test
    void aFileUrlThatIsNotHttpIsRefusedInOneLine() throws IOException {
        String toml = publishRaw("develop").replace(RAW + "/org/models/develop/examples/ex1/gwf/model.dis", "file:///etc/passwd");
        gh.putRaw("org", "models", "develop", ".registry/models.toml", toml.getBytes(StandardCharsets.UTF_8));
        ModelReg reg = reg();
        Path ws = tmp.resolve("ws");
        assertThatThrownBy(() -> reg.copy("test/ex1", ws, false))
                .hasMessageContaining("not an http(s) URL for file 'ex1/gwf/model.dis'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(ws).doesNotExist();
    }

    @Test
    void unknownModelNamesTheClosestAndExistingWorkspaceIsKept() throws IOException {
        publishRaw("develop");
        ModelReg reg = reg();
        assertThatThrownBy(() -> reg.copy("test/ex3", tmp.resolve("x"), false))
                .hasMessageContaining("model 'test/ex3' not found in test@develop; closest: test/ex1, test/ex2");
        Path ws = tmp.resolve("keep");
        Files.createDirectories(ws);
        Files.writeString(ws.resolve("mine.txt"), "mine");
        assertThatThrownBy(() -> reg.copy("test/ex2", ws, false)).hasMessageContaining("--overwrite");
        assertThat(ws.resolve("mine.txt")).hasContent("mine");
        reg.copy("test/ex2", ws, true);
        assertThat(ws.resolve("mine.txt")).doesNotExist();
        assertThat(ws.resolve("mfsim.nam")).hasBinaryContent(files.get("ex2/mfsim.nam"));
    }

    @Test
    void filesWithoutUrlAreFetchedFromTheRawTreeEvenWithSpacesInTheirKeys() throws Exception {
        // an entry with no url: the file comes from {raw}/{owner}/{repo}/{ref}/{key}, the key percent-encoded
        byte[] dis = bytes(900, 3);
        byte[] nam = "BEGIN options\nEND options\n".getBytes(StandardCharsets.UTF_8);
        gh.putRaw("org", "models", "feature/x", "my model/run 1.dis", dis);
        gh.putRaw("org", "models", "feature/x", "my model/mfsim.nam", nam);
        gh.putRaw("org", "models", "feature/x", ".registry/models.toml", ("""
                [files."my model/run 1.dis"]
                hash = "%s"

                [files."my model/mfsim.nam"]
                hash = "%s"

                [models]
                "test/my model" = ["my model/mfsim.nam", "my model/run 1.dis"]
                """.formatted(Digest.sha256Of(dis).hex(), Digest.sha256Of(nam).hex())).getBytes(StandardCharsets.UTF_8));
        ModelReg reg = reg();
        assertThat(reg.sync("testmodels", "feature/x", false)).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo("synced"));
        Path ws = tmp.resolve("ws-space");
        reg.copy("testmodels@feature/x/my model", ws, false);
        assertThat(ws.resolve("run 1.dis")).hasBinaryContent(dis);
        assertThat(ws.resolve("mfsim.nam")).hasBinaryContent(nam);
    }

    static final String ZIP = "/releases/download/v1.0/models.zip";

    long zipGets() {
        return gh.requests().stream().filter(q -> q.path().endsWith(ZIP)).count();
    }

    @Test
    void aTamperedMemberNamesItsFileAndTheZipUrl() throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>(files);
        byte[] tampered = files.get("ex1/gwf/model.dis").clone();
        tampered[100] ^= 1; // same size, other bytes
        members.put("ex1/gwf/model.dis", tampered);
        publishZip("v1.0", members, true, false);
        Path ws = tmp.resolve("ws");
        assertThatThrownBy(() -> reg().copy("test@v1.0/ex1", ws, false)).satisfies(e -> {
            assertThat(e).isInstanceOf(ConsumerException.class);
            assertThat(((ConsumerException) e).kind()).isEqualTo(ConsumerException.Kind.DIGEST_MISMATCH);
            assertThat(e.getMessage()).doesNotContain("\n")
                    .startsWith("file 'ex1/gwf/model.dis' of test@v1.0 (from " + gh.baseUrl())
                    .contains(ZIP + "): digest mismatch: want " + Digest.sha256Of(files.get("ex1/gwf/model.dis")));
        });
        assertThat(ws).doesNotExist();
        assertThat(tmp.resolve("cache/blobs/sha256/" + Digest.sha256Of(tampered).hex())).doesNotExist();
    }

    @Test
    void aCachedZipDamagedOnDiskIsFetchedAgain() throws IOException {
        byte[] zip = publishZip("v1.0", files, false, true); // release mode: the members have no hash, the zip's digest vouches for them
        reg().copy("test@v1.0/ex1", tmp.resolve("a"), false);
        assertThat(zipGets()).isEqualTo(1);
        Path cached = tmp.resolve("cache/blobs/sha256/" + Digest.sha256Of(zip).hex());
        byte[] damaged = Files.readAllBytes(cached);
        int at = indexOf(damaged, "ex2 namefile".getBytes(StandardCharsets.UTF_8));
        assertThat(at).as("a member stored as it is").isPositive();
        damaged[at] = 'X';
        Files.write(cached, damaged);

        reg().copy("test@v1.0/ex2", tmp.resolve("b"), false);
        assertThat(tmp.resolve("b/mfsim.nam")).hasBinaryContent(files.get("ex2/mfsim.nam"));
        assertThat(zipGets()).as("the damaged zip was not used: fetched again").isEqualTo(2);
        assertThat(cached).hasBinaryContent(zip);
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    @Test
    void diffComparesAGitHubModeRefWithAnArtifactFromTheirRegistriesAlone() throws IOException {
        publishRaw("develop");
        Map<String, byte[]> b = new LinkedHashMap<>(files);
        b.put("ex1/gwf/model.dis", bytes(3000, 8));
        b.put("ex2/extra.txt", "added in B\n".getBytes(StandardCharsets.UTF_8));
        Path layout = tmp.resolve("layout");
        TestArtifacts.Pushed pushed = TestArtifacts.push(dev.modelreg.content.store.OciLayout.open(layout), "v1", b, Map.of(
                "test/ex1", List.of("ex1/mfsim.nam", "ex1/gwf/model.dis", "ex1/gwf/deep/k.bin"),
                "test/ex2", List.of("ex2/mfsim.nam", "ex2/extra.txt")));
        ModelReg reg = reg();
        long before = gh.requests().size();
        RefDiff d = reg.diff(reg.ref("testmodels@develop"), reg.ref("oci-layout:" + layout + ":v1"));
        assertThat(gh.requests().subList((int) before, gh.requests().size()))
                .as("GitHub: the registry file only").allMatch(q -> q.path().endsWith("models.toml") || q.path().contains("/commits/"));
        assertThat(d.files()).extracting(RefDiff.FileChange::key, RefDiff.FileChange::change).containsExactly(
                org.assertj.core.groups.Tuple.tuple("ex1/gwf/model.dis", "changed"),
                org.assertj.core.groups.Tuple.tuple("ex2/extra.txt", "added"));
        assertThat(d.files().get(0).sizeB()).isNull(); // TestArtifacts writes no sizes
        assertThat(d.models().changed()).containsExactly("test/ex1", "test/ex2");
        // given the GitHub-mode files cached (by hash): the two tars holding the changed and added files
        assertThat(d.transfer().layers()).isEqualTo(2);
        assertThat(d.transfer().cachedFiles()).isEqualTo(3); // ex1/mfsim.nam, k.bin (its file layer), ex2/mfsim.nam
        assertThat(d.transfer().layerBytes()).isEqualTo(pushed.parsed().layers().stream()
                .filter(l -> l.mediaType().equals(dev.modelreg.spec.MediaTypes.TAR_LAYER)).mapToLong(l -> l.size()).sum());

        // the other way: GitHub-mode files are fetched one by one; k.bin comes from the artifact's file layer
        RefDiff back = reg.diff(reg.ref("oci-layout:" + layout + ":v1"), reg.ref("testmodels@develop"));
        assertThat(back.transfer().layers()).isZero();
        assertThat(back.transfer().files()).isEqualTo(3);
        assertThat(back.transfer().unsizedFiles()).isEqualTo(3); // the raw registry gives no sizes
        assertThat(back.transfer().cachedFiles()).isEqualTo(1);
    }
}
