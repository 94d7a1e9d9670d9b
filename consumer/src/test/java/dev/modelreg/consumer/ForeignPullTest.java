package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.content.store.OciLayout;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ORAS artifacts and KitOps ModelKits, built from their tools' conventions, pulled from an OCI layout: an ORAS artifact
 * lands as {@code oras pull} would write it (each titled layer at its title, the unpack directory unpacked, untitled
 * layers skipped), a ModelKit as {@code kit unpack} lays out its layers (paths of the packed directory).
 */
class ForeignPullTest {
    @TempDir Path tmp;

    ModelReg reg() throws IOException {
        Map<String, String> env = Map.of("MODELREG_CACHE", tmp.resolve("cache").toString());
        return new ModelReg(ModelReg.loadConfig(null, env), Settings.from(env));
    }

    /** Every file and directory below {@code dir} (directories end in '/'). */
    static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p) + (Files.isDirectory(p) ? "/" : "")).sorted().toList();
        }
    }

    @Test
    void anOrasArtifactPullsIntoTheTreeOrasPullWrites() throws IOException {
        Path layout = tmp.resolve("layout");
        Map<String, byte[]> dir = new LinkedHashMap<>();
        dir.put("x.txt", TestForeign.text("x\n"));
        dir.put("nested", null);
        dir.put("nested/y.txt", TestForeign.text("y\n"));
        TestForeign.Layer untitled = new TestForeign.Layer("application/vnd.example.sig", TestForeign.text("sig"), Map.of(), null);
        TestForeign.push(OciLayout.open(layout), "v1", "application/vnd.example.thing", TestForeign.emptyConfig(),
                TestForeign.EMPTY, List.of(TestForeign.orasFile("a.txt", TestForeign.text("a\n")),
                        TestForeign.orasFile("sub/b.bin", TestForeign.bytes(5000, 2)), TestForeign.orasDir("dir", dir), untitled));
        ModelReg reg = reg();
        Inspection i = reg.inspect("oci-layout:" + layout + ":v1");
        assertThat(i.format()).isEqualTo("oras");
        assertThat(i.layers()).extracting(Inspection.Layer::kind).containsExactly("doc", "weight", "weight", "skipped");
        Path out = tmp.resolve("out");
        reg.pull(reg.ref("oci-layout:" + layout + ":v1"), out, Selection.ALL, Placement.COPY);
        // what oras pull writes: each titled file at its title, the directory unpacked below its title, the untitled skipped
        assertThat(entries(out)).containsExactly("a.txt", "dir/", "dir/nested/", "dir/nested/y.txt", "dir/x.txt", "sub/", "sub/b.bin");
        assertThat(out.resolve("dir/nested/y.txt")).hasContent("y");
        assertThat(out.resolve("sub/b.bin")).hasBinaryContent(TestForeign.bytes(5000, 2));
    }

    @Test
    void aModelPackZstdTarLayerIsUnpackedItsDiffIdCheckedAndCachedAsItCame() throws IOException {
        Map<String, byte[]> weights = new LinkedHashMap<>();
        weights.put("w", null);
        weights.put("w/model-00001.safetensors", TestForeign.bytes(700_000, 5)); // past the decoder's 128 KiB buffers
        weights.put("w/model-00002.safetensors", TestForeign.bytes(3000, 6));
        TestForeign.Layer z = TestForeign.tarZstd("weight", "w", weights);
        TestForeign.Layer cfg = TestForeign.raw("weight.config", "config.json", TestForeign.text("{}\n"));
        Path layout = tmp.resolve("zstd");
        List<TestForeign.Layer> layers = List.of(z, cfg);
        TestForeign.pushModelPack(OciLayout.open(layout), "v1", TestForeign.modelPackConfig(Map.of("name", "z"), layers), layers);
        ModelReg reg = reg();
        Path out = tmp.resolve("out");
        reg.pull(reg.ref("oci-layout:" + layout + ":v1"), out, Selection.ALL.withKinds(List.of("weight")), Placement.COPY);
        assertThat(entries(out)).containsExactly("w/", "w/model-00001.safetensors", "w/model-00002.safetensors");
        assertThat(out.resolve("w/model-00001.safetensors")).hasBinaryContent(TestForeign.bytes(700_000, 5));
        assertThat(tmp.resolve("cache/blobs/sha256/" + z.descriptor().digest().hex())).hasBinaryContent(z.blob());
        Path again = tmp.resolve("again"); // from the cached layer, through the same decoder
        reg.pull(reg.ref("oci-layout:" + layout + ":v1"), again, Selection.ALL, Placement.COPY);
        assertThat(entries(again)).containsExactly("config.json", "w/", "w/model-00001.safetensors", "w/model-00002.safetensors");
        assertThat(again.resolve("w/model-00002.safetensors")).hasBinaryContent(TestForeign.bytes(3000, 6));
    }

    @Test
    void aKitOpsModelKitPullsEachLayerAtItsKitfilePath() throws IOException {
        Map<String, byte[]> model = new LinkedHashMap<>();
        model.put("models", null);
        model.put("models/m.gguf", TestForeign.bytes(9000, 3));
        Map<String, byte[]> code = new LinkedHashMap<>();
        code.put("src", null);
        code.put("src/train.py", TestForeign.text("train()\n"));
        byte[] modelTar = TestForeign.tar(model);
        byte[] codeTar = TestForeign.tar(code);
        byte[] readmeTar = TestForeign.tar(Map.of("README.md", TestForeign.text("# kit\n")));
        TestForeign.Layer m = new TestForeign.Layer("application/vnd.kitops.modelkit.model.v1.tar", modelTar, Map.of(), null);
        TestForeign.Layer c = new TestForeign.Layer("application/vnd.kitops.modelkit.code.v1.tar+gzip", TestForeign.gzip(codeTar), Map.of(), null);
        TestForeign.Layer d = new TestForeign.Layer("application/vnd.kitops.modelkit.docs.v1.tar", readmeTar, Map.of(), null);
        Map<String, Object> kitfile = new LinkedHashMap<>();
        kitfile.put("manifestVersion", "1.0.0");
        kitfile.put("package", Map.of("name", "kit-demo", "version", "0.1", "authors", List.of("Jozu")));
        kitfile.put("model", Map.of("name", "m", "path", "./models/m.gguf", "digest", m.descriptor().digest().toString(),
                "diffId", Digest.sha256Of(modelTar).toString()));
        kitfile.put("code", List.of(Map.of("path", "src", "digest", c.descriptor().digest().toString(),
                "diffId", Digest.sha256Of(codeTar).toString())));
        kitfile.put("docs", List.of(Map.of("path", "README.md")));
        byte[] config = Json.writeBytes(kitfile);
        Path layout = tmp.resolve("kit");
        TestForeign.push(OciLayout.open(layout), "v1", null,
                Descriptor.of("application/vnd.kitops.modelkit.config.v1+json", Digest.sha256Of(config), config.length),
                config, List.of(m, c, d));
        ModelReg reg = reg();
        Inspection i = reg.inspect("oci-layout:" + layout + ":v1");
        assertThat(i.format()).isEqualTo("kitops");
        assertThat(i.about()).containsEntry("name", "kit-demo").containsEntry("authors", "Jozu");
        assertThat(i.layers()).extracting(Inspection.Layer::kind).containsExactly("weight", "code", "doc");
        Path out = tmp.resolve("out");
        reg.pull(reg.ref("oci-layout:" + layout + ":v1"), out, Selection.ALL, Placement.COPY);
        assertThat(entries(out)).containsExactly("README.md", "models/", "models/m.gguf", "src/", "src/train.py");
        assertThat(out.resolve("models/m.gguf")).hasBinaryContent(TestForeign.bytes(9000, 3));
    }
}
