package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.testkit.RegistryFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An internal registry with a private CA and basic auth (the air-gapped site): the consumer commands reach it with
 * {@code --ca-file} or {@code MODELREG_CA_FILE}, and without the CA they fail in one line having written nothing.
 */
class ConsumeTlsRegistryTest {
    @TempDir Path tmp;

    @Test
    void pullAndSyncThroughPrivateCa() throws Exception {
        Path models = Modelreg.copyExamples(tmp.resolve("models"));
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.TLS_BASIC_AUTH, tmp.resolve("registry"))) {
            String ca = reg.caFile().toString();
            String ref = reg.host() + "/internal/models:v1";
            Map<String, String> creds = Map.of("MODELREG_REGISTRY_USER", reg.username(),
                    "MODELREG_REGISTRY_PASSWORD", reg.password(), "MODELREG_CACHE", tmp.resolve("cache").toString());
            Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, creds, "push", models.toString(), ref, "--name", "example",
                    "--ca-file", ca), "push");

            Modelreg.Run noCa = Modelreg.run(tmp, Modelreg.FAST_JVM, creds, "pull", ref, tmp.resolve("p0").toString());
            assertThat(noCa.code()).as("TLS not trusted: unavailable").isEqualTo(7);
            assertThat(noCa.err().strip().lines()).singleElement().asString()
                    .startsWith("modelreg: error: ").contains(reg.host());
            assertThat(tmp.resolve("p0")).doesNotExist();
            assertThat(tmp.resolve("cache/blobs")).satisfiesAnyOf(
                    p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());

            Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, creds, "pull", ref, tmp.resolve("p1").toString(),
                    "--ca-file", ca), "pull --ca-file");
            assertThat(tmp.resolve("p1/ex-gwf-twri01/mfsim.nam")).hasSameBinaryContentAs(models.resolve("ex-gwf-twri01/mfsim.nam"));

            Map<String, String> env = new HashMap<>(creds);
            env.put("MODELREG_CA_FILE", ca);
            Path cfg = tmp.resolve("sources.toml");
            Files.writeString(cfg, "[sources.internal]\nname = \"example\"\noci = \"" + reg.host() + "/internal/models\"\n"
                    + "refs = [\"v1\"]\n");
            Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, env, "sync", "--config", cfg.toString()), "sync");
            Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, env, "copy", "--config", cfg.toString(),
                    "example/ex-gwf-bcf2ss", tmp.resolve("ws").toString()), "copy");
            assertThat(tmp.resolve("ws/arrays/botm.bin")).hasSameBinaryContentAs(models.resolve("ex-gwf-bcf2ss/arrays/botm.bin"));
        }
    }
}
