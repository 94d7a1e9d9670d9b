package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import dev.modelreg.testkit.GitHubFixture;
import dev.modelreg.testkit.RegistryFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The publisher's CLI contract: exit codes, one-line errors, remote-first make-registry. */
class PublishCliTest {
    static final List<String> FAST = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    @TempDir
    Path tmp;

    @Test
    void wrongPasswordIsExitFiveWithOneLine() throws Exception {
        Path dir = Modelreg.copyExamples(tmp.resolve("m"));
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.BASIC_AUTH, tmp.resolve("reg"))) {
            Modelreg.Run bad = Modelreg.run(tmp, FAST, Map.of("MODELREG_REGISTRY_USER", reg.username(),
                    "MODELREG_REGISTRY_PASSWORD", "not-" + reg.password()), "push", dir.toString(), reg.host() + "/models/x:v1", "--name", "example");
            assertThat(bad.code()).isEqualTo(5);
            assertThat(bad.out()).isEmpty();
            assertThat(bad.err().lines()).hasSize(1);
            assertThat(bad.err()).startsWith("modelreg: error: ").contains("credentials for 127.0.0.1:" + reg.port() + " from MODELREG_REGISTRY_USER were rejected");

            Modelreg.Run good = Modelreg.run(tmp, FAST, Map.of("MODELREG_REGISTRY_USER", reg.username(),
                    "MODELREG_REGISTRY_PASSWORD", reg.password()), "push", dir.toString(), reg.host() + "/models/x:v1", "--name", "example");
            assertThat(good.code()).as(good.err()).isZero();
            assertThat(good.out()).startsWith("sha256:");
        }
    }

    @Test
    void badInputIsOneLineAndNothingIsWritten() throws Exception {
        Path dir = Modelreg.copyExamples(tmp.resolve("m"));
        Modelreg.Run digestDest = Modelreg.run(tmp, FAST, Map.of(), "push", dir.toString(),
                "oci-layout:" + tmp.resolve("layout") + "@sha256:" + "0".repeat(64), "--name", "example");
        assertThat(digestDest.code()).isEqualTo(1);
        assertThat(digestDest.err().lines()).hasSize(1);
        assertThat(tmp.resolve("layout")).doesNotExist();

        Modelreg.Run noDir = Modelreg.run(tmp, FAST, Map.of(), "make-registry", "--path", tmp.resolve("nope").toString(), "--name", "x");
        assertThat(noDir.code()).isEqualTo(4);
        assertThat(noDir.err()).startsWith("modelreg: error: ").contains("nope");

        Modelreg.Run usage = Modelreg.run(tmp, FAST, Map.of(), "push", dir.toString());
        assertThat(usage.code()).isEqualTo(3);
    }

    @Test
    void makeRegistryRemoteFirstFromAZipballAndReleaseAssets() throws Exception {
        try (GitHubFixture gh = GitHubFixture.start(tmp.resolve("gh"))) {
            Modelreg.copyExamples(gh.rawDir("Org", "models", "v2.0").resolve("examples/models"));
            Path out = tmp.resolve("out");
            Modelreg.Run r = Modelreg.run(tmp, FAST, gh.env(), "make-registry", "--repo", "Org/models", "--ref", "v2.0",
                    "--path", "examples/models", "--name", "example", "--output", out.toString(), "--json");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.json().get("models")).isEqualTo(5L);
            ModelsToml m = ModelsTomlCodec.read(Files.readAllBytes(out.resolve("models.toml")), "out");
            assertThat(m.files().get("ex-gwf-twri01/mfsim.nam").url())
                    .isEqualTo(gh.rawUrl("Org", "models", "v2.0", "examples/models/ex-gwf-twri01/mfsim.nam"));
            ModelsToml committed = ModelsTomlCodec.read(Files.readAllBytes(Modelreg.repoRoot().resolve("examples/models/.registry/models.toml")), "c");
            assertThat(m.models()).isEqualTo(committed.models());

            Path assets = tmp.resolve("assets");
            Modelreg.Run rel = Modelreg.run(tmp, FAST, gh.env(), "make-registry", "--path",
                    gh.rawDir("Org", "models", "v2.0").resolve("examples/models").toString(), "--name", "example",
                    "--repo", "Org/models", "--ref", "v2.0", "--release-assets", assets.toString(), "--asset-file", "models.zip");
            assertThat(rel.code()).as(rel.err()).isZero();
            assertThat(assets.resolve("models.zip")).exists();
            ModelsToml rm = ModelsTomlCodec.read(Files.readAllBytes(assets.resolve("models.toml")), "assets");
            assertThat(rm.examples()).containsKeys("ex-gwt-keating");
            assertThat(rm.examples().get("ex-gwt-keating")).containsExactly("example/ex-gwt-keating", "example/ex-gwt-keating/flow-only");
        }
    }
}
