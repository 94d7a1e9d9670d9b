package dev.modelreg.publisher;

import static dev.modelreg.publisher.TestTrees.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.content.RegistryOptions;
import dev.modelreg.spec.GitHubUrls;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import dev.modelreg.testkit.GitHubFixture;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MakeRegistryTest {
    @TempDir
    Path tmp;

    private static MakeRegistry.Request local(Path dir, String name) {
        return MakeRegistry.Request.builder(name).path(dir.toString()).build();
    }

    private static ModelsToml read(Path p) throws Exception {
        return ModelsTomlCodec.read(Files.readAllBytes(p), p.toString());
    }

    private Path tree() {
        Path root = tmp.resolve("repo");
        write(root, "a/mfsim.nam", "BEGIN options\nEND options\n");
        write(root, "a/gwf.dis", "dis");
        write(root, "a/gwf.lst", "list output");
        write(root, "a/gwf.HDS", "heads output, upper case extension");
        write(root, "a/gwf.cbc", "budget");
        write(root, "a/.DS_Store", "finder");
        write(root, "a/compare-results.txt", "comparison");
        write(root, "a/sub/data/k.bin", new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        write(root, "a/nested/mfsim.nam", "nested");
        write(root, "a/nested/gwf.ic", "ic");
        write(root, "b/deeper/mfsim.nam", "b");
        write(root, "b/deeper/x.glo", "global listing");
        write(root, "b/readme.txt", "not in any model");
        write(root, "loose.txt", "outside every model");
        return root;
    }

    @Test
    void indexesModelsWithNestedListsExclusionsAndHashes() throws Exception {
        Path root = tree();
        MakeRegistry.Result r = MakeRegistry.run(local(root, "mf6/test"));

        assertThat(r.registryFile()).isEqualTo(root.resolve(".registry/models.toml"));
        ModelsToml m = read(r.registryFile());
        assertThat(m.schemaVersion()).isEqualTo("1.0");
        assertThat(m.models().keySet()).containsExactly("mf6/test/a", "mf6/test/a/nested", "mf6/test/b/deeper");
        assertThat(m.models().get("mf6/test/a")).containsExactly(
                "a/gwf.dis", "a/mfsim.nam", "a/nested/gwf.ic", "a/nested/mfsim.nam", "a/sub/data/k.bin");
        assertThat(m.models().get("mf6/test/a/nested")).containsExactly("a/nested/gwf.ic", "a/nested/mfsim.nam");
        assertThat(m.models().get("mf6/test/b/deeper")).containsExactly("b/deeper/mfsim.nam");
        assertThat(m.files().keySet()).containsExactly("a/gwf.dis", "a/mfsim.nam", "a/nested/gwf.ic",
                "a/nested/mfsim.nam", "a/sub/data/k.bin", "b/deeper/mfsim.nam");
        assertThat(m.files().get("a/sub/data/k.bin").hash().hex())
                .isEqualTo(TestTrees.sha256(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        assertThat(m.files().get("a/gwf.dis").url()).isNull();
        assertThat(m.examples()).isEmpty();
        assertThat(r.bytes()).isEqualTo(Files.size(root.resolve("a/sub/data/k.bin")) + 3 + 2 + 6 + 1
                + Files.size(root.resolve("a/mfsim.nam")));
        // the written bytes are the canonical form
        assertThat(Files.readAllBytes(r.registryFile())).isEqualTo(ModelsTomlCodec.write(m));
    }

    @Test
    void exclusionRulesMatchTheReferenceTool() {
        assertThat(Exclusions.excluded("model.lst")).isTrue();
        assertThat(Exclusions.excluded("MODEL.UCN")).isTrue();
        assertThat(Exclusions.excluded("x.ddn")).isTrue();
        assertThat(Exclusions.excluded("x.bud")).isTrue();
        assertThat(Exclusions.excluded("x.hed")).isTrue();
        assertThat(Exclusions.excluded("x.cbb")).isTrue();
        assertThat(Exclusions.excluded("._.DS_Store")).isTrue();
        assertThat(Exclusions.excluded("comparez.nam")).isTrue();
        assertThat(Exclusions.excluded("x.obs")).isFalse();
        assertThat(Exclusions.excluded("lst")).isFalse();
        assertThat(Exclusions.excluded(".hds")).isFalse();
        assertThat(Exclusions.excluded("x.lst.txt")).isFalse();
    }

    @Test
    void urlsUseTheRawBaseFromTheEnvironmentAndTheGivenRef() throws Exception {
        Path root = tree();
        Map<String, String> env = Map.of("MODELREG_GITHUB_RAW_URL", "http://127.0.0.1:9/raw/");
        MakeRegistry.Result r = MakeRegistry.run(MakeRegistry.Request.builder("p").path(root.toString())
                .repo(GitHubUrls.Repo.parse("Org/Models")).ref("feature/x").pathInRepo("mf6")
                .github(GitHubUrls.fromEnvironment(env)).connection(RegistryOptions.fromEnvironment(env)).build());
        ModelsToml m = read(r.registryFile());
        assertThat(m.files().get("a/sub/data/k.bin").url())
                .isEqualTo("http://127.0.0.1:9/raw/Org/Models/feature/x/mf6/a/sub/data/k.bin");
        assertThat(m.files().values()).allSatisfy(f -> assertThat(f.url()).startsWith("http://127.0.0.1:9/raw/Org/Models/feature/x/mf6/"));
    }

    @Test
    void defaultRawBaseIsGitHub() throws Exception {
        Path root = tree();
        MakeRegistry.Result r = MakeRegistry.run(MakeRegistry.Request.builder("p").path(root.toString())
                .repo(GitHubUrls.Repo.parse("o/n")).ref("v1.0").build());
        assertThat(read(r.registryFile()).files().get("a/gwf.dis").url())
                .isEqualTo("https://raw.githubusercontent.com/o/n/v1.0/a/gwf.dis");
    }

    @Test
    void existingOutputIsReplacedNeverMerged() throws Exception {
        Path root = tree();
        write(root, ".registry/models.toml", "[files.\"stale/file\"]\nhash = \"" + "0".repeat(64) + "\"\n[models]\n\"p/stale\" = [\"stale/file\"]\n");
        MakeRegistry.run(local(root, "p"));
        ModelsToml first = read(root.resolve(".registry/models.toml"));
        assertThat(first.files()).doesNotContainKey("stale/file");
        assertThat(first.models()).doesNotContainKey("p/stale");

        Files.delete(root.resolve("a/sub/data/k.bin"));
        MakeRegistry.run(local(root, "p"));
        ModelsToml second = read(root.resolve(".registry/models.toml"));
        assertThat(second.files()).doesNotContainKey("a/sub/data/k.bin");
        assertThat(second.models().get("p/a")).doesNotContain("a/sub/data/k.bin");
        try (var s = Files.list(root.resolve(".registry"))) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("models.toml");
        }
    }

    @Test
    void outputIsRelativeToPathAndNeverIndexesItself() throws Exception {
        Path root = tmp.resolve("rootmodel");
        write(root, "mfsim.nam", "root model");
        write(root, "gwf.dis", "dis");
        MakeRegistry.run(MakeRegistry.Request.builder("solo").path(root.toString()).output(Path.of("out/reg")).build());
        MakeRegistry.Result again = MakeRegistry.run(MakeRegistry.Request.builder("solo").path(root.toString())
                .output(Path.of("out/reg")).build());
        ModelsToml m = read(root.resolve("out/reg/models.toml"));
        assertThat(again.registryFile()).isEqualTo(root.resolve("out/reg/models.toml"));
        assertThat(m.models()).containsOnlyKeys("solo");
        assertThat(m.files()).containsOnlyKeys("gwf.dis", "mfsim.nam");
    }

    @Test
    void namefileGlobSelectsModels() throws Exception {
        Path root = tmp.resolve("mf2005");
        write(root, "m1/model.nam", "nam");
        write(root, "m1/model.bas", "bas");
        write(root, "m2/other.nam", "nam");
        MakeRegistry.Result r = MakeRegistry.run(MakeRegistry.Request.builder("mf2005").path(root.toString())
                .namefile("*.nam").build());
        assertThat(read(r.registryFile()).models()).containsOnlyKeys("mf2005/m1", "mf2005/m2");
    }

    @Test
    void missingLocalDirectoryWithoutRepoIsAClearError() {
        assertThatThrownBy(() -> MakeRegistry.run(local(tmp.resolve("nope"), "p")))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("nope");
        assertThat(tmp.resolve("nope")).doesNotExist();
    }

    @Test
    void zipballModeDownloadsStripsTheTopFolderAndIndexes() throws Exception {
        try (GitHubFixture gh = GitHubFixture.start(tmp.resolve("gh"))) {
            Path checkout = gh.rawDir("Org", "models", "develop");
            TestTrees.copyTree(tree(), checkout);
            Path out = tmp.resolve("out");
            MakeRegistry.Result r = MakeRegistry.run(MakeRegistry.Request.builder("mf6/test")
                    .repo(GitHubUrls.Repo.parse("Org/models")).ref("develop").output(out)
                    .github(GitHubUrls.fromEnvironment(gh.env())).connection(RegistryOptions.fromEnvironment(gh.env()))
                    .build());
            ModelsToml m = read(out.resolve("models.toml"));
            assertThat(m.models()).containsOnlyKeys("mf6/test/a", "mf6/test/a/nested", "mf6/test/b/deeper");
            assertThat(m.files().get("a/gwf.dis").url()).isEqualTo(gh.rawUrl("Org", "models", "develop", "a/gwf.dis"));
            assertThat(m.files().get("a/gwf.dis").hash().hex()).isEqualTo(TestTrees.sha256("dis".getBytes(StandardCharsets.UTF_8)));
            assertThat(r.files()).isEqualTo(6);
            assertThat(gh.requests()).anySatisfy(q -> assertThat(q.path()).isEqualTo("/repos/Org/models/zipball/develop"));

            // a path that is not a local directory is a sub-path of the download
            MakeRegistry.Result sub = MakeRegistry.run(MakeRegistry.Request.builder("mf6/test").path("a")
                    .repo(GitHubUrls.Repo.parse("Org/models")).ref("develop").output(tmp.resolve("out2"))
                    .github(GitHubUrls.fromEnvironment(gh.env())).connection(RegistryOptions.fromEnvironment(gh.env()))
                    .build());
            ModelsToml ms = read(sub.registryFile());
            assertThat(ms.models()).containsOnlyKeys("mf6/test", "mf6/test/nested");
            assertThat(ms.files().get("nested/gwf.ic").url()).isEqualTo(gh.rawUrl("Org", "models", "develop", "a/nested/gwf.ic"));

            assertThatThrownBy(() -> MakeRegistry.run(MakeRegistry.Request.builder("x")
                    .repo(GitHubUrls.Repo.parse("Org/models")).ref("nope").output(tmp.resolve("out3"))
                    .github(GitHubUrls.fromEnvironment(gh.env())).connection(RegistryOptions.fromEnvironment(gh.env()))
                    .build()))
                    .hasMessageContaining("/repos/Org/models/zipball/nope").hasMessageContaining("404");
            assertThat(tmp.resolve("out3")).doesNotExist();
        }
    }

    @Test
    void releaseAssetsZipMembersAreTheFileKeysAndAssetModeReadsThemBack() throws Exception {
        Path root = tree();
        Path assets = tmp.resolve("assets");
        Map<String, String> env = new HashMap<>();
        env.put("MODELREG_GITHUB_URL", "http://127.0.0.1:9");
        MakeRegistry.Result r = MakeRegistry.run(MakeRegistry.Request.builder("mf6/example").path(root.toString())
                .repo(GitHubUrls.Repo.parse("o/n")).ref("current").assetFile("mf6examples.zip").releaseAssets(assets)
                .github(GitHubUrls.fromEnvironment(env)).connection(RegistryOptions.fromEnvironment(env)).build());
        assertThat(r.releaseZip()).isEqualTo(assets.resolve("mf6examples.zip"));
        assertThat(r.registryFile()).isNull();
        assertThat(root.resolve(".registry")).doesNotExist();
        ModelsToml m = read(assets.resolve("models.toml"));
        List<String> members = new ArrayList<>();
        try (ZipFile z = new ZipFile(r.releaseZip().toFile())) {
            z.stream().forEach(e -> members.add(e.getName()));
            for (String k : m.files().keySet()) {
                byte[] b = z.getInputStream(z.getEntry(k)).readAllBytes();
                assertThat(TestTrees.sha256(b)).isEqualTo(m.files().get(k).hash().hex());
            }
        }
        assertThat(members).containsExactlyElementsOf(m.files().keySet());
        assertThat(m.files().values()).allSatisfy(f ->
                assertThat(f.url()).isEqualTo("http://127.0.0.1:9/o/n/releases/download/current/mf6examples.zip"));
        // release mode writes [examples]: first path element -> its models, "gwf" names first
        assertThat(m.examples()).containsOnlyKeys("a", "b");
        assertThat(m.examples().get("a")).containsExactly("mf6/example/a", "mf6/example/a/nested");

        try (GitHubFixture gh = GitHubFixture.start(tmp.resolve("gh"))) {
            gh.putRelease("o", "n", "current", "mf6examples.zip", Files.readAllBytes(r.releaseZip()));
            Path out = tmp.resolve("from-asset");
            MakeRegistry.run(MakeRegistry.Request.builder("mf6/example").repo(GitHubUrls.Repo.parse("o/n"))
                    .ref("current").output(out).assetFile("mf6examples.zip")
                    .github(GitHubUrls.fromEnvironment(gh.env())).connection(RegistryOptions.fromEnvironment(gh.env()))
                    .build());
            ModelsToml fromAsset = read(out.resolve("models.toml"));
            assertThat(fromAsset.models()).isEqualTo(m.models());
            assertThat(fromAsset.files().keySet()).isEqualTo(m.files().keySet());
            for (String k : m.files().keySet()) {
                assertThat(fromAsset.files().get(k).hash()).isEqualTo(m.files().get(k).hash());
                assertThat(fromAsset.files().get(k).url()).isEqualTo(gh.releaseUrl("o", "n", "current", "mf6examples.zip"));
            }
        }
    }

    @Test
    void zipSlipMembersAreRejected() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry("../evil.txt"));
            z.write("x".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        Path zip = write(tmp, "evil.zip", bytes.toByteArray());
        assertThatThrownBy(() -> Downloads.unzip(zip, tmp.resolve("x"), false, "evil.zip"))
                .hasMessageContaining("../evil.txt").hasMessageContaining("outside");
        assertThat(tmp.resolve("evil.txt")).doesNotExist();
    }

    @Test
    void committedExampleRegistryIsUpToDate() throws Exception {
        Path examples = TestTrees.examples();
        Path out = tmp.resolve("regen");
        MakeRegistry.run(MakeRegistry.Request.builder("example").path(examples.toString()).output(out).build());
        assertThat(new String(Files.readAllBytes(out.resolve("models.toml")), StandardCharsets.UTF_8))
                .as("examples/models/.registry/models.toml is stale: run ./modelreg make-registry --path examples/models --name example")
                .isEqualTo(new String(Files.readAllBytes(examples.resolve(".registry/models.toml")), StandardCharsets.UTF_8));
        ModelsToml m = read(out.resolve("models.toml"));
        assertThat(m.models()).containsKeys("example/ex-gwt-keating", "example/ex-gwt-keating/flow-only");
        assertThat(m.files()).doesNotContainKeys("ex-gwf-twri01/ex-gwf-twri01.lst", "ex-gwf-bcf2ss/mfsim.lst");
    }
}
