package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.content.RegistryOptions;
import dev.modelreg.content.store.RegistryStore;
import dev.modelreg.publisher.CreationTime;
import dev.modelreg.spec.BootstrapConfig;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Reference;
import dev.modelreg.spec.SourceConfig;
import dev.modelreg.spec.ModelregException;
import dev.modelreg.spec.OciReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CNCF ModelPack artifact built by hand from the model-spec (raw, plain tar and tar+gzip layers of every kind), read
 * through the one OCI source: inspected from manifest and config, pulled whole, pulled in part by path and by kind
 * (the registry's log: only the layers holding what was asked), pulled again into the same directory, and verified.
 */
class ModelPackPullTest extends PlainRegistryTest {
    @TempDir Path tmp;
    String ref;
    TestForeign.Pushed pushed;
    final byte[] weights = TestForeign.bytes(120_000, 1);
    final byte[] config = TestForeign.text("{\"hidden_size\": 64}\n");
    final byte[] readme = TestForeign.text("# tiny\n");
    final byte[] guide = TestForeign.text("how to\n");
    final byte[] code = TestForeign.text("print('hi')\n");
    final byte[] data = TestForeign.text("a,b\n1,2\n");

    @BeforeEach
    void push() throws IOException {
        Map<String, byte[]> docs = new LinkedHashMap<>();
        docs.put("docs", null);
        docs.put("docs/README.md", readme);
        docs.put("docs/guide", null);
        docs.put("docs/guide/intro.md", guide);
        List<TestForeign.Layer> layers = List.of(
                TestForeign.raw("weight", "model.safetensors", weights),
                TestForeign.tar("weight.config", "config.json", Map.of("config.json", config), false),
                TestForeign.tar("doc", "docs", docs, true),
                TestForeign.raw("code", "src/run.py", code),
                TestForeign.raw("dataset", "data/train.csv", data));
        byte[] cfg = TestForeign.modelPackConfig(Map.of("name", "tiny-llm", "version", "1.0", "family", "tiny",
                "licenses", List.of("Apache-2.0")), layers);
        String repo = "models/mp" + Long.toHexString(System.nanoTime());
        RegistryStore store = RegistryStore.connect(OciReference.parse(registry.host() + "/" + repo),
                RegistryOptions.fromEnvironment(Map.of()));
        pushed = TestForeign.pushModelPack(store, "v1", cfg, layers);
        ref = registry.host() + "/" + repo + ":v1";
    }

    ModelReg reg() throws IOException {
        Map<String, String> env = Map.of("MODELREG_CACHE", tmp.resolve("cache").toString());
        return new ModelReg(ModelReg.loadConfig(null, env), Settings.from(env));
    }

    static Map<String, String> tree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            Map<String, String> out = new java.util.TreeMap<>();
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), Digest.sha256Of(Files.readAllBytes(p)).hex());
            }
            return out;
        }
    }

    String digestOf(int layer) {
        return pushed.layer(layer).digest().toString();
    }

    @Test
    void inspectShowsTheDescriptorAndEachLayersKindAndPathFromManifestAndConfigAlone() throws IOException {
        ModelReg reg = reg();
        registry.clearRequests();
        Inspection i = reg.inspect(ref);
        assertThat(i.format()).isEqualTo("modelpack");
        assertThat(i.about()).containsEntry("name", "tiny-llm").containsEntry("version", "1.0").containsEntry("family", "tiny")
                .containsEntry("licenses", "Apache-2.0").containsEntry("format", "safetensors").containsEntry("paramSize", "8b");
        assertThat(i.layers()).extracting(Inspection.Layer::kind).containsExactly("weight", "config", "doc", "code", "dataset");
        assertThat(i.layers()).extracting(Inspection.Layer::path)
                .containsExactly("model.safetensors", "config.json", "docs", "src/run.py", "data/train.csv");
        assertThat(i.layers()).extracting(Inspection.Layer::packing).containsExactly("raw", "tar", "tar+gzip", "raw", "raw");
        assertThat(i.models()).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("tiny-llm");
            assertThat(m.files()).isEqualTo(5);
        });
        assertThat(registry.blobsFetched()).containsExactly(pushed.parsed().config().digest().toString()); // no layer read
    }

    @Test
    void aFullPullWritesEveryFileAtItsPathAndAPartialPullFetchesOnlyTheLayersAskedFor() throws IOException {
        ModelReg reg = reg();
        Path out = tmp.resolve("all");
        reg.pull(reg.ref(ref), out, Selection.ALL, Placement.COPY);
        assertThat(tree(out)).containsOnlyKeys("model.safetensors", "config.json", "docs/README.md",
                "docs/guide/intro.md", "src/run.py", "data/train.csv");
        assertThat(out.resolve("model.safetensors")).hasBinaryContent(weights);
        assertThat(out.resolve("docs/guide/intro.md")).hasBinaryContent(guide);
        assertThat(out.resolve("config.json")).hasBinaryContent(config);

        ModelReg fresh = new ModelReg(ModelReg.loadConfig(null, Map.of("MODELREG_CACHE", tmp.resolve("c2").toString())),
                Settings.from(Map.of("MODELREG_CACHE", tmp.resolve("c2").toString())));
        registry.clearRequests();
        Path code = tmp.resolve("code");
        fresh.pull(fresh.ref(ref), code, Selection.ALL.withFilters(List.of("src/**"), List.of()), Placement.COPY);
        assertThat(tree(code)).containsOnlyKeys("src/run.py");
        assertThat(registry.blobsFetched()).containsExactlyInAnyOrder(pushed.parsed().config().digest().toString(), digestOf(3));

        registry.clearRequests();
        Path doc = tmp.resolve("doc");
        fresh.pull(fresh.ref(ref), doc, Selection.ALL.withKinds(List.of("doc")), Placement.COPY);
        assertThat(tree(doc)).containsOnlyKeys("docs/README.md", "docs/guide/intro.md");
        assertThat(registry.blobsFetched()).containsExactly(digestOf(2)); // the config is cached now: only the doc tar

        registry.clearRequests();
        Path weight = tmp.resolve("weight");
        fresh.pull(fresh.ref(ref), weight, Selection.ALL.withKinds(List.of("weight", "config")), Placement.COPY);
        assertThat(tree(weight)).containsOnlyKeys("model.safetensors", "config.json");
        assertThat(registry.blobsFetched()).containsExactlyInAnyOrder(digestOf(0), digestOf(1));
    }

    @Test
    void aSecondPullIntoTheSameDirectoryReplacesTheTreesAndVerifyReadsTheRawFiles() throws IOException {
        ModelReg reg = reg();
        Path out = tmp.resolve("out");
        reg.pull(reg.ref(ref), out, Selection.ALL, Placement.COPY);
        Files.writeString(out.resolve("docs/guide/intro.md"), "changed locally\n");
        Files.writeString(out.resolve("src/run.py"), "changed too\n");
        reg.pull(reg.ref(ref), out, Selection.ALL, Placement.COPY); // into a directory that has files: file by file, journaled
        assertThat(out.resolve("docs/guide/intro.md")).hasBinaryContent(guide);
        assertThat(out.resolve("src/run.py")).hasBinaryContent(code);
        try (Stream<Path> s = Files.walk(out)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
        }
        Results.VerifyResult v = reg.verifyFrom(reg.ref(ref), "tiny-llm", out);
        assertThat(v.matched()).isEqualTo(3); // the raw layers' files; the tars' trees are listed as unverifiable
        assertThat(v.mismatches()).isEmpty();
        assertThat(v.unverifiable()).containsExactlyInAnyOrder("config.json", "docs");
    }

    @Test
    void aConfiguredSourceSyncsPinsAndReadsOfflineAndExportAndMirrorCarryItAsItIs() throws IOException {
        String repo = ref.substring(0, ref.lastIndexOf(':'));
        SourceConfig mp = SourceConfig.builder("mp").oci(Reference.parse(repo)).refs(List.of("v1")).build();
        Map<String, String> env = Map.of("MODELREG_CACHE", tmp.resolve("cache").toString());
        ModelReg reg = new ModelReg(new BootstrapConfig(Map.of("mp", mp)), Settings.from(env));
        assertThat(reg.sync("mp", null, false)).singleElement().satisfies(r -> assertThat(r.error()).isNull());
        assertThat(reg.list("mp", "v1")).singleElement().satisfies(l -> assertThat(l.models()).contains("tiny-llm"));
        Path ws = tmp.resolve("ws");
        reg.copy("mp@v1/tiny-llm", ws, false);
        assertThat(tree(ws)).containsKeys("model.safetensors", "docs/guide/intro.md");
        assertThat(reg.verify("mp@v1/tiny-llm", ws).mismatches()).isEmpty();

        // offline, by tag and by pin: the cached manifest, config and models.toml made of them, and the cached layers
        Map<String, String> off = Map.of("MODELREG_CACHE", tmp.resolve("cache").toString(), "MODELREG_OFFLINE", "1");
        ModelReg offline = new ModelReg(new BootstrapConfig(Map.of("mp", mp)), Settings.from(off));
        registry.clearRequests();
        offline.pull(offline.ref(repo + "@" + pushed.manifest().digest()), tmp.resolve("pinned"), Selection.ALL, Placement.COPY);
        offline.pull(offline.ref("mp@v1"), tmp.resolve("tagged"), Selection.ALL, Placement.COPY);
        assertThat(tree(tmp.resolve("pinned"))).isEqualTo(tree(ws));
        assertThat(tree(tmp.resolve("tagged"))).isEqualTo(tree(ws));
        assertThat(registry.requests()).isEmpty();

        Reference dst = Reference.parse("oci-layout:" + tmp.resolve("exported"));
        assertThat(reg.export("mp", List.of("v1"), dst, CreationTime.reproducible())).singleElement()
                .satisfies(e -> assertThat(e.digest()).isEqualTo(pushed.manifest().digest()));
        Path archive = tmp.resolve("mirror.tar");
        dev.modelreg.content.Mirror.run(Reference.parse(ref), Reference.parse("oci-archive:" + archive + ":v1"),
                RegistryOptions.fromEnvironment(Map.of()), dev.modelreg.content.CopyOptions.defaults());
        ModelReg other = new ModelReg(new BootstrapConfig(Map.of()), Settings.from(Map.of("MODELREG_CACHE", tmp.resolve("c3").toString())));
        other.pull(other.ref(dst.withTag("v1").toString()), tmp.resolve("from-export"), Selection.ALL, Placement.COPY);
        other.pull(other.ref("oci-archive:" + archive + ":v1"), tmp.resolve("from-archive"), Selection.ALL, Placement.COPY);
        assertThat(tree(tmp.resolve("from-export"))).isEqualTo(tree(ws));
        assertThat(tree(tmp.resolve("from-archive"))).isEqualTo(tree(ws));
    }

    @Test
    void aKindThatSelectsNothingIsNotFound() throws IOException {
        ModelReg reg = reg();
        assertThatThrownBy(() -> reg.pull(reg.ref(ref), tmp.resolve("x"), Selection.ALL.withFilters(List.of("src/**"), List.of())
                .withKinds(List.of("weight")), Placement.COPY))
                .isInstanceOfSatisfying(ModelregException.class, e -> assertThat(e.kind()).isEqualTo(ModelregException.Kind.NOT_FOUND))
                .hasMessageStartingWith("--kind weight matches no file of");
        assertThatThrownBy(() -> Selection.ALL.withKinds(List.of("weights")))
                .hasMessage("--kind: 'weights' is not a kind (weight|config|doc|code|dataset)");
    }
}
