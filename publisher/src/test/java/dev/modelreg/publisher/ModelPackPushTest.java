package dev.modelreg.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.content.store.OciLayout;
import dev.modelreg.content.VerifiedRead;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileKind;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import dev.modelreg.spec.Reference;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code push --format modelpack} (issue 22 item 2): a CNCF ModelPack whose config passes the model-spec config schema
 * ({@link ModelPackSchema}) with diffIds equal to the layers, every file a raw layer of its kind at its path, the
 * models.toml (with kinds) riding along as a marked doc layer; reproducible.
 */
class ModelPackPushTest {
    @TempDir Path tmp;

    Path tree() {
        Path d = tmp.resolve("llm");
        TestTrees.write(d, "config.json", "{\"hidden\": 8}\n");
        TestTrees.write(d, "model.safetensors", new byte[70_000]);
        TestTrees.write(d, "tokenizer.json", "{}\n");
        TestTrees.write(d, "README.md", "# tiny\n");
        TestTrees.write(d, "src/run.py", "print(1)\n");
        TestTrees.write(d, "data/eval.csv", "a,b\n");
        TestTrees.write(d, "notes.dat", "?\n");
        return d;
    }

    Push.Result push(Path dir, String dest, ModelPackOptions o) throws Exception {
        return Push.run(Push.Request.builder(dir, Reference.parse(dest)).name("tiny").namefile("config.json")
                .annotations(Map.of("org.opencontainers.image.licenses", "Apache-2.0, MIT", "org.opencontainers.image.authors", "A"))
                .modelPack(o).build());
    }

    @Test
    void theConfigPassesTheSchemaAndEachFileIsARawLayerOfItsKindAtItsPath() throws Exception {
        Path dir = tree();
        Push.Result r = push(dir, "oci-layout:" + tmp.resolve("a") + ":v1",
                new ModelPackOptions("1.0", "tiny", "safetensors", "8b", List.of("**/*.dat=dataset")));
        OciLayout layout = OciLayout.open(tmp.resolve("a"));
        Descriptor md = layout.resolve("v1");
        assertThat(md.digest()).isEqualTo(r.digest());
        Manifest m = Manifest.parse(VerifiedRead.read(layout, md, 4 << 20, "manifest"), "manifest");
        assertThat(m.artifactType()).isEqualTo("application/vnd.cncf.model.manifest.v1+json");
        assertThat(m.config().mediaType()).isEqualTo("application/vnd.cncf.model.config.v1+json");
        byte[] cb = VerifiedRead.read(layout, m.config(), 1 << 20, "config");
        Map<String, Object> config = Json.parseObject(cb, "config");
        assertThat(ModelPackSchema.violations(config)).isEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> descriptor = (Map<String, Object>) config.get("descriptor");
        assertThat(descriptor).containsEntry("name", "tiny").containsEntry("version", "1.0").containsEntry("family", "tiny")
                .containsEntry("licenses", List.of("Apache-2.0", "MIT")).containsEntry("createdAt", "1970-01-01T00:00:00Z");
        @SuppressWarnings("unchecked")
        List<Object> diffIds = (List<Object>) ((Map<String, Object>) config.get("modelfs")).get("diffIds");
        assertThat(diffIds).isEqualTo(m.layers().stream().map(l -> l.digest().toString()).toList());

        Map<String, String> typeByPath = new java.util.TreeMap<>();
        for (Descriptor l : m.layers()) typeByPath.put(l.annotation("org.cncf.model.filepath"), l.mediaType());
        String mp = "application/vnd.cncf.model.";
        assertThat(typeByPath).containsExactlyInAnyOrderEntriesOf(Map.of(
                "config.json", mp + "weight.config.v1.raw", "model.safetensors", mp + "weight.v1.raw",
                "tokenizer.json", mp + "weight.config.v1.raw", "README.md", mp + "doc.v1.raw", "src/run.py", mp + "code.v1.raw",
                "data/eval.csv", mp + "dataset.v1.raw", "notes.dat", mp + "dataset.v1.raw", "models.toml", mp + "doc.v1.raw"));
        Descriptor weights = m.layers().stream().filter(l -> "model.safetensors".equals(l.annotation("org.cncf.model.filepath"))).findFirst().orElseThrow();
        assertThat(weights.digest()).isEqualTo(Digest.sha256Of(new byte[70_000])); // the raw layer is the file
        assertThat(Json.parseObject(weights.annotation("org.cncf.model.file.metadata+json").getBytes(), "metadata"))
                .containsEntry("name", "model.safetensors").containsEntry("size", 70_000L).containsEntry("mode", 420L);
        Descriptor registry = m.layers().get(m.layers().size() - 1);
        assertThat(registry.annotation("dev.modelreg.registry")).isEqualTo(registry.digest().toString());
        ModelsToml toml = ModelsTomlCodec.read(VerifiedRead.read(layout, registry, 1 << 20, "models.toml"), "models.toml");
        assertThat(toml.files().get("notes.dat").kind()).isEqualTo(FileKind.DATASET);
        assertThat(toml.files().get("src/run.py").kind()).isEqualTo(FileKind.CODE);
    }

    @Test
    void theSameTreeGivesTheSameDigestAndAGuessedKindIsMarkedUntested() throws Exception {
        Path dir = tree();
        Push.Result a = push(dir, "oci-layout:" + tmp.resolve("a") + ":v1", ModelPackOptions.defaults());
        Push.Result b = push(dir, "oci-layout:" + tmp.resolve("b") + ":v1", ModelPackOptions.defaults());
        assertThat(a.digest()).isEqualTo(b.digest());
        OciLayout layout = OciLayout.open(tmp.resolve("a"));
        Manifest m = Manifest.parse(VerifiedRead.read(layout, layout.resolve("v1"), 4 << 20, "manifest"), "manifest");
        Descriptor notes = m.layers().stream().filter(l -> "notes.dat".equals(l.annotation("org.cncf.model.filepath"))).findFirst().orElseThrow();
        assertThat(notes.mediaType()).isEqualTo("application/vnd.cncf.model.weight.v1.raw");
        assertThat(notes.annotation("org.cncf.model.file.mediatype.untested")).isEqualTo("true");
        assertThat(m.layers()).filteredOn(l -> !l.equals(notes)).allSatisfy(l ->
                assertThat(l.annotation("org.cncf.model.file.mediatype.untested")).isNull());
    }

    @Test
    void theSchemaCheckRefusesWhatTheSchemaRefuses() {
        assertThat(ModelPackSchema.violations(Json.parseObject(("{\"descriptor\":{\"name\":\"\",\"createdAt\":\"yesterday\","
                + "\"x\":1},\"config\":{\"paramSize\":8},\"modelfs\":{\"type\":\"tar\",\"diffIds\":[]},\"extra\":{}}").getBytes(), "bad")))
                .containsExactlyInAnyOrder("$: additional property extra", "descriptor: additional property x",
                        "descriptor.createdAt: not an RFC 3339 date-time", "descriptor.name: shorter than 1",
                        "config.paramSize: not a string", "modelfs.type: not in [layers]", "modelfs.diffIds: fewer than 1 items");
        assertThat(ModelPackSchema.violations(Json.parseObject("{\"descriptor\":{}}".getBytes(), "bad")))
                .containsExactlyInAnyOrder("$: missing required config", "$: missing required modelfs");
    }

    @Test
    void badOptionsAreRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> new ModelPackOptions(null, null, null, "8 billion", List.of()))
                .hasMessageStartingWith("--param-size: '8 billion' is not COUNT and a scale letter");
        assertThatThrownBy(() -> new ModelPackOptions(null, null, null, null, List.of("*.dat=blob")))
                .hasMessage("--kind-rule: 'blob' is not a kind (weight|config|doc|code|dataset)");
        Path dir = tree();
        assertThatThrownBy(() -> Push.run(Push.Request.builder(dir, Reference.parse("oci-layout:" + tmp.resolve("c") + ":v1"))
                .name("tiny").namefile("config.json").maxLayers(3).modelPack(ModelPackOptions.defaults()).build()))
                .isInstanceOf(PublishException.class).hasMessageContaining("a ModelPack has one layer per file: 7 files");
        assertThat(tmp.resolve("c")).doesNotExist();
    }
}
