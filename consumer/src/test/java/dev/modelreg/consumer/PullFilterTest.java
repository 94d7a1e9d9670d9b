package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.content.RegistryOptions;
import dev.modelreg.content.store.RegistryStore;
import dev.modelreg.spec.ModelregException;
import dev.modelreg.spec.OciReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Filters on pull and copy ({@link Selection}): globs over file keys ({@code --include}, {@code --exclude}) and model
 * names ({@code --model}); only the layers holding selected files are fetched (the registry's log is the witness).
 */
class PullFilterTest extends PlainRegistryTest {
    @TempDir Path tmp;
    final Map<String, byte[]> files = new LinkedHashMap<>();
    final Map<String, List<String>> models = new LinkedHashMap<>();
    String ref;
    TestArtifacts.Pushed pushed;

    @BeforeEach
    void push() throws IOException {
        files.put("mf6/test1a/mfsim.nam", text("1a"));
        files.put("mf6/test1a/gwf/k.bin", ConsumeGitHubTest.bytes(70_000, 3));
        files.put("mf6/test1b/mfsim.nam", text("1b"));
        files.put("mf6/test2/mfsim.nam", text("2"));
        files.put("mf6/test2/big.bin", ConsumeGitHubTest.bytes(80_000, 5));
        models.put("mf6/test1a", List.of("mf6/test1a/mfsim.nam", "mf6/test1a/gwf/k.bin"));
        models.put("mf6/test1b", List.of("mf6/test1b/mfsim.nam"));
        models.put("mf6/test2", List.of("mf6/test2/mfsim.nam", "mf6/test2/big.bin"));
        String repo = "models/f" + Long.toHexString(System.nanoTime());
        RegistryStore store = RegistryStore.connect(OciReference.parse(registry.host() + "/" + repo),
                RegistryOptions.fromEnvironment(Map.of()));
        pushed = TestArtifacts.push(store, "v1", files, models);
        ref = registry.host() + "/" + repo + ":v1";
    }

    static byte[] text(String s) {
        return (s + "\n").getBytes(StandardCharsets.UTF_8);
    }

    ModelReg reg() throws IOException {
        Map<String, String> env = Map.of("MODELREG_CACHE", tmp.resolve("cache").toString());
        return new ModelReg(ModelReg.loadConfig(null, env), Settings.from(env));
    }

    Set<String> written(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void includeFetchesOnlyTheLayersHoldingTheSelectedFiles() throws IOException {
        ModelReg reg = reg();
        registry.clearRequests();
        Path out = tmp.resolve("out");
        reg.pull(reg.ref(ref), out, Selection.ALL.withFilters(List.of("mf6/test1*/**"), List.of("**/*.bin")), Placement.COPY);
        assertThat(written(out)).containsExactlyInAnyOrder("mf6/test1a/mfsim.nam", "mf6/test1b/mfsim.nam");
        for (String k : written(out)) assertThat(out.resolve(k)).hasBinaryContent(files.get(k));
        // the manifest and config, then the two tar layers of test1a and test1b: no file layer, nothing of test2
        Set<String> layers = Set.of(pushed.layerOf("mf6/test1a/mfsim.nam").digest().toString(),
                pushed.layerOf("mf6/test1b/mfsim.nam").digest().toString(), pushed.parsed().config().digest().toString());
        assertThat(registry.blobsFetched()).isSubsetOf(layers).contains(pushed.layerOf("mf6/test1a/mfsim.nam").digest().toString(),
                pushed.layerOf("mf6/test1b/mfsim.nam").digest().toString());
    }

    @Test
    void modelGlobsSelectWholeModelsAndCopyFiltersOneModel() throws IOException {
        ModelReg reg = reg();
        Path out = tmp.resolve("out");
        reg.pull(reg.ref(ref), out, Selection.models(List.of("mf6/test1?")), Placement.COPY);
        assertThat(written(out)).containsExactlyInAnyOrder("mf6/test1a/mfsim.nam", "mf6/test1a/gwf/k.bin",
                "mf6/test1b/mfsim.nam");

        Path ws = tmp.resolve("ws");
        reg.copyFrom(reg.ref(ref), "mf6/test1a", ws, false, Placement.COPY, Selection.ALL.withFilters(List.of(), List.of("**/*.bin")));
        assertThat(written(ws)).containsExactly("mfsim.nam"); // the model's layout is kept: paths below its directory
        assertThat(ws.resolve("mfsim.nam")).hasBinaryContent(files.get("mf6/test1a/mfsim.nam"));
    }

    @Test
    void aGlobThatSelectsNothingIsNotFoundAndOneThatLeavesTheTreeIsInvalid() throws IOException {
        ModelReg reg = reg();
        Path out = tmp.resolve("out");
        assertThatThrownBy(() -> reg.pull(reg.ref(ref), out, Selection.ALL.withFilters(List.of("mf7/**"), List.of()), Placement.COPY))
                .isInstanceOfSatisfying(ModelregException.class, e -> assertThat(e.kind()).isEqualTo(ModelregException.Kind.NOT_FOUND))
                .hasMessageStartingWith("--include 'mf7/**' matches no file of ");
        assertThatThrownBy(() -> reg.pull(reg.ref(ref), out, Selection.models(List.of("mf6/nope*")), Placement.COPY))
                .isInstanceOfSatisfying(ModelregException.class, e -> assertThat(e.kind()).isEqualTo(ModelregException.Kind.NOT_FOUND))
                .hasMessageContaining("no model of").hasMessageEndingWith("matches 'mf6/nope*'");
        assertThatThrownBy(() -> reg.pull(reg.ref(ref), out, Selection.ALL.withFilters(List.of("**"), List.of("**")), Placement.COPY))
                .isInstanceOf(ModelregException.class).hasMessageContaining("the filters leave no file");
        assertThatThrownBy(() -> Selection.ALL.withFilters(List.of("../mf6/**"), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--include: '../mf6/**'");
        assertThat(out).doesNotExist();
    }
}
