package dev.modelreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.content.store.OciLayout;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-process: {@code push --format modelpack}, {@code inspect} of the ModelPack (its format, descriptor, each layer's
 * kind and path), {@code pull --kind}, and a hand-built hostile ModelPack refused with one line and the exit code of
 * its kind (1: invalid, 6: integrity).
 */
class ModelPackCommandTest {
    @TempDir Path tmp;

    Ran run(String... args) {
        return Ran.of(Map.of("MODELREG_CACHE", tmp.resolve("cache").toString(), "HOME", tmp.resolve("home").toString()), args);
    }

    Ran ok(String... args) {
        Ran r = run(args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        return r;
    }

    @Test
    void pushInspectAndPullByKind() throws Exception {
        Path llm = Files.createDirectories(tmp.resolve("llm"));
        Files.writeString(llm.resolve("config.json"), "{}\n");
        Files.write(llm.resolve("model.safetensors"), new byte[5000]);
        Files.writeString(llm.resolve("README.md"), "# tiny\n");
        String layout = "oci-layout:" + tmp.resolve("layout") + ":v1";
        ok("push", llm.toString(), layout, "--format", "modelpack", "--name", "tiny", "--namefile", "config.json",
                "--model-format", "safetensors", "--param-size", "1b", "--family", "tiny");
        String text = ok("inspect", layout).out();
        assertThat(text).contains("  format:       modelpack\n", "\nmodelpack:\n  name: tiny\n", "  family: tiny\n",
                "  paramSize: 1b\n", " weight 'model.safetensors' (raw)\n", " config 'config.json' (raw)\n",
                " doc 'README.md' (raw)\n", " models.toml (modelreg's registry of the files)\n");
        assertThat(ok("inspect", layout, "--json").out()).contains("\"format\":\"modelpack\"", "\"path\":\"README.md\"");
        Path out = tmp.resolve("out");
        ok("pull", layout, out.toString(), "--kind", "weight,config");
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("model.safetensors", "config.json");
        }
        assertThat(run("push", llm.toString(), layout, "--family", "x").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("push", llm.toString(), layout, "--format", "onnx").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aHostileModelPackIsOneLineWithTheExitCodeOfItsKind() throws Exception {
        Ran traversal = run("pull", modelPack("bad", "../evil", null), tmp.resolve("o1").toString());
        assertThat(traversal.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(traversal.err().strip()).doesNotContain("\n").contains("org.cncf.model.filepath '../evil'");
        Ran diffId = run("pull", modelPack("lie", "w.bin", Digest.sha256Of(new byte[1])), tmp.resolve("o2").toString());
        assertThat(diffId.code()).isEqualTo(ExitCodes.INTEGRITY);
        assertThat(diffId.err().strip()).doesNotContain("\n").contains("modelfs.diffIds[0]");
        assertThat(tmp.resolve("o1")).doesNotExist();
        assertThat(tmp.resolve("o2")).doesNotExist();
        assertThat(tmp.resolve("evil")).doesNotExist();
    }

    /** A one-layer ModelPack built by hand in a layout named {@code name}: a raw weight at {@code path}. */
    String modelPack(String name, String path, Digest diffId) throws Exception {
        OciLayout t = OciLayout.open(tmp.resolve(name));
        byte[] w = "weights".getBytes(StandardCharsets.UTF_8);
        Descriptor l = new Descriptor("application/vnd.cncf.model.weight.v1.raw", Digest.sha256Of(w), w.length,
                Map.of("org.cncf.model.filepath", path));
        byte[] config = Json.writeBytes(Map.of("descriptor", Map.of(), "config", Map.of(), "modelfs",
                Map.of("type", "layers", "diffIds", List.of((diffId != null ? diffId : l.digest()).toString()))));
        Descriptor c = Descriptor.of("application/vnd.cncf.model.config.v1+json", Digest.sha256Of(config), config.length);
        t.push(c, new ByteArrayInputStream(config));
        t.push(l, new ByteArrayInputStream(w));
        byte[] mb = new Manifest("application/vnd.cncf.model.manifest.v1+json", c, List.of(l), Map.of()).toBytes();
        Descriptor md = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256Of(mb), mb.length);
        t.push(md, new ByteArrayInputStream(mb));
        t.tag(md, "v1");
        return "oci-layout:" + tmp.resolve(name) + ":v1";
    }
}
