package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.content.RegistryOptions;
import dev.modelreg.content.store.RegistryStore;
import dev.modelreg.publisher.ModelPackOptions;
import dev.modelreg.publisher.Push;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileKind;
import dev.modelreg.spec.OciReference;
import dev.modelreg.spec.Reference;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.Skopeo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ModelPack modelreg writes, in the OCI world (issue 22, "Done when"): skopeo copies it registry to registry with
 * the same digest and reads its manifest and config; from skopeo's OCI layout modelreg reads it back planned from its
 * models.toml layer (kinds, hashes, sizes), by kind, and verifies every file.
 */
class ModelPackInteropTest {
    @TempDir Path tmp;

    @Test
    void skopeoCopiesItWithItsDigestAndModelregReadsSkopeosCopyBack() throws Exception {
        Path llm = tmp.resolve("llm");
        Files.createDirectories(llm.resolve("src"));
        Files.writeString(llm.resolve("config.json"), "{\"a\": 1}\n");
        Files.write(llm.resolve("model.safetensors"), TestForeign.bytes(80_000, 4));
        Files.writeString(llm.resolve("README.md"), "# interop\n");
        Files.writeString(llm.resolve("src/run.py"), "run()\n");
        try (RegistryFixture r = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("reg"))) {
            Push.Result pushed = Push.run(Push.Request.builder(llm, Reference.parse(r.host() + "/mp/a:v1")).name("interop")
                    .namefile("config.json").registry(RegistryOptions.fromEnvironment(Map.of()))
                    .modelPack(new ModelPackOptions("2", "demo", "safetensors", "1m", List.of())).build());

            List<String> flags = new ArrayList<>(Skopeo.flagsFor(r, "src"));
            flags.addAll(Skopeo.flagsFor(r, "dest"));
            Skopeo.copy("docker://" + r.host() + "/mp/a:v1", "docker://" + r.host() + "/mp/b:v1", flags);
            RegistryStore b = RegistryStore.connect(OciReference.parse(r.host() + "/mp/b"), RegistryOptions.fromEnvironment(Map.of()));
            assertThat(b.resolve("v1").digest()).isEqualTo(pushed.digest());
            String raw = Skopeo.inspectRaw(r.host() + "/mp/b:v1", false);
            assertThat(Digest.sha256Of(raw.getBytes(StandardCharsets.UTF_8))).isEqualTo(pushed.digest());
            String config = Skopeo.inspectRaw(r.host() + "/mp/b:v1", false, List.of("--config"));
            assertThat(config).contains("\"name\":\"interop\"", "\"paramSize\":\"1m\"", "\"diffIds\":[");

            Path oci = tmp.resolve("skopeo-layout");
            Skopeo.copy("docker://" + r.host() + "/mp/b:v1", "oci:" + oci + ":v1", Skopeo.flagsFor(r, "src"));
            Map<String, String> env = Map.of("MODELREG_CACHE", tmp.resolve("cache").toString());
            ModelReg reg = new ModelReg(ModelReg.loadConfig(null, env), Settings.from(env));
            String ref = "oci-layout:" + oci + ":v1";
            Inspection i = reg.inspect(ref);
            assertThat(i.digest()).isEqualTo(pushed.digest());
            assertThat(i.layers()).extracting(Inspection.Layer::kind).contains("registry", "weight", "config", "doc", "code");
            assertThat(i.registry().files().get("src/run.py").kind()).isEqualTo(FileKind.CODE);
            assertThat(i.registry().files().get("model.safetensors").hash()).isEqualTo(Digest.sha256Of(TestForeign.bytes(80_000, 4)));
            Path code = tmp.resolve("code");
            reg.pull(reg.ref(ref), code, Selection.ALL.withKinds(List.of("code")), Placement.COPY);
            assertThat(ModelPackPullTest.tree(code)).containsOnlyKeys("src/run.py");
            Path all = tmp.resolve("all");
            reg.pull(reg.ref(ref), all, Selection.ALL, Placement.COPY);
            assertThat(ModelPackPullTest.tree(all)).isEqualTo(ModelPackPullTest.tree(llm));
            Results.VerifyResult v = reg.verifyFrom(reg.ref(ref), "interop", all);
            assertThat(v.matched()).isEqualTo(4);
            assertThat(v.unverifiable()).isEmpty();
        }
    }
}
