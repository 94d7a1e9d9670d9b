package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Digest;
import dev.modelreg.testkit.GitHubFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GitHub mode through the real CLI: a modflow-devtools bootstrap file used unchanged (via MODELREG_CONFIG), a
 * registry whose URLs point at raw.githubusercontent.com (re-based onto the fixture), mf-models-like sync / list /
 * info output and exit codes, and --json giving exactly one document on stdout.
 */
class ConsumeGitHubCliTest {
    @TempDir Path tmp;
    GitHubFixture gh;
    Path bootstrap;

    @BeforeEach
    void setUp() throws IOException {
        gh = GitHubFixture.start(tmp.resolve("gh"));
        bootstrap = tmp.resolve("bootstrap.toml");
        Files.writeString(bootstrap, """
                [sources.modflow6-testmodels]
                repo = "MODFLOW-ORG/modflow6-testmodels"
                name = "mf6/test"
                refs = ["develop", "master"]
                """);
        byte[] nam = "BEGIN options\nEND options\n".getBytes(StandardCharsets.UTF_8);
        byte[] dis = "BEGIN dimensions\n nlay 1\nEND dimensions\n".getBytes(StandardCharsets.UTF_8);
        String raw = "https://raw.githubusercontent.com/MODFLOW-ORG/modflow6-testmodels/develop/mf6/";
        String toml = "[files.\"test001a/mfsim.nam\"]\nhash = \"" + Digest.sha256Of(nam).hex() + "\"\nurl = \"" + raw
                + "test001a/mfsim.nam\"\n\n[files.\"test001a/sub/model.dis\"]\nhash = \"" + Digest.sha256Of(dis).hex()
                + "\"\nurl = \"" + raw + "test001a/sub/model.dis\"\n\n[models]\n\"mf6/test/test001a\" = [\"test001a/mfsim.nam\", \"test001a/sub/model.dis\"]\n";
        gh.putRaw("MODFLOW-ORG", "modflow6-testmodels", "develop", ".registry/models.toml", toml.getBytes(StandardCharsets.UTF_8));
        gh.putRaw("MODFLOW-ORG", "modflow6-testmodels", "develop", "mf6/test001a/mfsim.nam", nam);
        gh.putRaw("MODFLOW-ORG", "modflow6-testmodels", "develop", "mf6/test001a/sub/model.dis", dis);
    }

    @AfterEach
    void tearDown() {
        gh.close();
    }

    Modelreg.Run modelreg(String... args) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>(gh.env());
        env.put("MODELREG_CACHE", tmp.resolve("cache").toString());
        env.put("MODELREG_CONFIG", bootstrap.toString());
        return Modelreg.run(tmp, Modelreg.FAST_JVM, env, args);
    }

    @Test
    void syncListInfoCopyAndExitCodes() throws Exception {
        // master has no registry: that ref fails, so sync exits 4 (not found) and says why, like mf models sync
        Modelreg.Run sync = modelreg("sync");
        assertThat(sync.code()).isEqualTo(4);
        assertThat(sync.out()).contains("Synced: 1", "Failed: 1",
                "mf6/test@master: Registry file 'models.toml' not found in .registry for 'mf6/test@master'");

        Modelreg.Run json = modelreg("sync", "--source", "mf6/test", "--ref", "develop", "--json");
        assertThat(json.code()).isZero();
        assertThat(json.out().trim().lines()).hasSize(1);
        assertThat(json.json().get("skipped")).isEqualTo(1L);

        Modelreg.Run list = modelreg("list", "-v");
        assertThat(list.code()).isZero();
        assertThat(list.out()).contains("mf6/test@develop:", "Models: 1", "mf6/test/test001a");

        Modelreg.Run info = modelreg("info", "--json");
        assertThat(info.code()).isZero();
        assertThat(info.out()).contains("\"missing\":[\"master\"]").contains("github-raw");

        Path ws = tmp.resolve("ws");
        Modelreg.Run copy = modelreg("copy", "mf6/test/test001a", ws.toString());
        assertThat(copy.code()).as(copy.err()).isZero();
        assertThat(ws.resolve("sub/model.dis")).exists();
        assertThat(modelreg("verify", "mf6/test/test001a", ws.toString()).code()).isZero();
        Files.delete(ws.resolve("sub/model.dis"));
        Modelreg.Run mismatch = modelreg("verify", "mf6/test/test001a", ws.toString());
        assertThat(mismatch.code()).isEqualTo(2);
        assertThat(mismatch.out()).contains("missing: sub/model.dis");

        Modelreg.Run unknown = modelreg("copy", "mf6/test/test001", tmp.resolve("x").toString());
        assertThat(unknown.code()).isEqualTo(4);
        assertThat(unknown.err()).contains("closest: mf6/test/test001a");
        Modelreg.Run noSource = modelreg("sync", "--source", "nope");
        assertThat(noSource.code()).isEqualTo(4);
        assertThat(noSource.err()).contains("Source 'nope' not found in config. Available sources: modflow6-testmodels (mf6/test)");
        Modelreg.Run usage = modelreg("copy");
        assertThat(usage.code()).isEqualTo(3);
    }
}
