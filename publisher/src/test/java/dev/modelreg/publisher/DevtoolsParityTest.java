package dev.modelreg.publisher;

import static dev.modelreg.publisher.TestTrees.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.GitHubUrls;
import dev.modelreg.spec.ModelregException;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * make-registry as modflow-devtools' make_registry writes it: a model's files in devtools' order (the directory's own
 * files first, then each sub-directory's, names compared by their upper-case form), and a path in the repository
 * given as {@code .} (or with {@code ./} segments) never puts {@code /./} into a URL.
 */
class DevtoolsParityTest {
    @TempDir Path tmp;

    private ModelsToml index(Path root, String pathInRepo) throws Exception {
        MakeRegistry.Request.Builder b = MakeRegistry.Request.builder("mf6/test").path(root.toString());
        if (pathInRepo != null) b.repo(GitHubUrls.Repo.parse("o/n")).ref("develop").pathInRepo(pathInRepo);
        Path file = MakeRegistry.run(b.build()).registryFile();
        return ModelsTomlCodec.read(Files.readAllBytes(file), file.toString());
    }

    @Test
    void aModelsFilesComeInDevtoolsOrder() throws Exception {
        Path root = tmp.resolve("mf6");
        // names whose order differs between plain string order and devtools' (upper-case comparison, files first)
        for (String f : List.of("m/mfsim.nam", "m/B.dis", "m/a_b.txt", "m/ab.txt", "m/c.ic", "m/Zeta/x.dat", "m/sub/y.dat",
                "m/sub/Deep/z.dat", "m/sub/a.txt", "m/mf2005/flow.nam", "m/MF6gwe/gwe.nam", "m/mf6gwe.nam",
                "n/mfsim.nam", "n/flow.dis", "n/mf2005/flow.bas", "n/mf2005/flow.dis")) {
            write(root, f, f);
        }
        ModelsToml m = index(root, null);
        assertThat(m.models().get("mf6/test/m")).containsExactly(
                "m/ab.txt", "m/a_b.txt", "m/B.dis", "m/c.ic", "m/mf6gwe.nam", "m/mfsim.nam", // own files, upper-case order
                "m/mf2005/flow.nam", "m/MF6gwe/gwe.nam",                                      // then each sub-directory
                "m/sub/a.txt", "m/sub/y.dat", "m/sub/Deep/z.dat",                             // its own files before its own
                "m/Zeta/x.dat");
        // the shape of the real test models (test004_bcfss: input files, then the mf2005 directory's)
        assertThat(m.models().get("mf6/test/n")).containsExactly("n/flow.dis", "n/mfsim.nam", "n/mf2005/flow.bas", "n/mf2005/flow.dis");
        assertThat(new java.util.ArrayList<>(m.files().keySet())).as("[files] stays in key order").isSorted();
    }

    /**
     * The real modflow6-examples models of examples/models: the lists devtools writes for them (own files first, upper
     * case order, then each sub-directory's), and the committed examples/models/.registry/models.toml says the same.
     */
    @Test
    void theRealExampleModelsAreListedAsDevtoolsListsThem() throws Exception {
        Path root = tmp.resolve("examples");
        TestTrees.copyTree(TestTrees.examples(), root);
        Path file = MakeRegistry.run(MakeRegistry.Request.builder("example").path(root.toString()).build()).registryFile();
        ModelsToml m = ModelsTomlCodec.read(Files.readAllBytes(file), file.toString());
        assertThat(m.models().get("example/ex-gwf-bcf2ss")).containsExactly(prefixed("ex-gwf-bcf2ss/", "gwf.dis", "gwf.ic",
                "gwf.nam", "gwf.npf", "gwf.oc", "gwf.rch", "gwf.riv", "gwf.wel", "mfsim.nam", "sim.ims", "sim.tdis",
                "arrays/botm.bin", "arrays/strt.bin"));
        assertThat(m.models().get("example/ex-gwf-synthetic-k")).containsExactly(prefixed("ex-gwf-synthetic-k/", "mfsim.nam",
                "synthetic-k.chd", "synthetic-k.dis", "synthetic-k.ic", "synthetic-k.ims", "synthetic-k.nam", "synthetic-k.npf",
                "synthetic-k.oc", "synthetic-k.tdis", "data/k.bin"));
        assertThat(m.models().get("example/ex-gwt-keating")).containsExactly(prefixed("ex-gwt-keating/", "keating.gwfgwt",
                "keating.tdis", "mfsim.nam", "flow-only/flow-only.chd", "flow-only/flow-only.dis", "flow-only/flow-only.ic",
                "flow-only/flow-only.ims", "flow-only/flow-only.nam", "flow-only/flow-only.npf", "flow-only/flow-only.oc",
                "flow-only/flow-only.tdis", "flow-only/mfsim.nam", "gwf/flow.chd", "gwf/flow.dis", "gwf/flow.ic", "gwf/flow.ims",
                "gwf/flow.nam", "gwf/flow.npf", "gwf/flow.oc", "gwf/flow.rch", "gwf/flow.sto", "gwt/trans.adv", "gwt/trans.dsp",
                "gwt/trans.ic", "gwt/trans.ims", "gwt/trans.mst", "gwt/trans.nam", "gwt/trans.oc", "gwt/trans.ssm",
                "input/botm.bin", "input/k.bin"));
        Path committed = TestTrees.examples().resolve(".registry/models.toml");
        assertThat(ModelsTomlCodec.read(Files.readAllBytes(committed), committed.toString()).models())
                .as("the committed registry of examples/models").isEqualTo(m.models());
    }

    /**
     * A real devtools list (modflow6-testmodels' .registry/models.toml, devtools 1.9.0.dev0, model test004_bcfss):
     * devtools lists a directory in the order the file system gives (on Linux a hash order), own files before the
     * mf2005 directory's. Ours holds the same files, grouped the same way, each group in upper-case order.
     */
    @Test
    void aRealDevtoolsListHasTheSameFilesInTheSameGroups() throws Exception {
        List<String> devtools = List.of(prefixed("test004_bcfss/", "bcf2ss.oc", "bcf2ss.nam", "bcf2ss.dis",
                "bcf2ss-wel.obs", "simulation.tdis", "bcf2ss.rch", "bcf2ss.npf", "model.ims", "bcf2ss.ic", "bcf2ss.wel",
                "mfsim.nam", "description.txt", "bcf2ss.riv", "mf2005/bcf2ss.oc", "mf2005/bcf2ss.ba6", "mf2005/bcf2ss.nam",
                "mf2005/bcf2ss.dis", "mf2005/bcf2ss.rch", "mf2005/bcf2ss.wel", "mf2005/bcf2ss.bc6", "mf2005/bcf2ss.riv",
                "mf2005/bcf2ss.pcg"));
        Path root = tmp.resolve("mf6");
        for (String f : devtools) write(root, f, f);
        List<String> ours = index(root, null).models().get("mf6/test/test004_bcfss");
        assertThat(ours).containsExactlyInAnyOrderElementsOf(devtools).containsExactly(prefixed("test004_bcfss/",
                "bcf2ss-wel.obs", "bcf2ss.dis", "bcf2ss.ic", "bcf2ss.nam", "bcf2ss.npf", "bcf2ss.oc", "bcf2ss.rch", "bcf2ss.riv",
                "bcf2ss.wel", "description.txt", "mfsim.nam", "model.ims", "simulation.tdis", "mf2005/bcf2ss.ba6",
                "mf2005/bcf2ss.bc6", "mf2005/bcf2ss.dis", "mf2005/bcf2ss.nam", "mf2005/bcf2ss.oc", "mf2005/bcf2ss.pcg",
                "mf2005/bcf2ss.rch", "mf2005/bcf2ss.riv", "mf2005/bcf2ss.wel"));
        assertThat(ours.subList(0, 13)).containsExactlyInAnyOrderElementsOf(devtools.subList(0, 13));
    }

    private static String[] prefixed(String prefix, String... names) {
        return java.util.Arrays.stream(names).map(n -> prefix + n).toArray(String[]::new);
    }

    @Test
    void aPathInTheRepositoryIsWrittenInOneForm() throws Exception {
        Path root = tmp.resolve("repo");
        write(root, "m/mfsim.nam", "x");
        for (String dot : List.of(".", "./", "/", "")) {
            assertThat(index(root, dot).files().get("m/mfsim.nam").url()).as("'" + dot + "'")
                    .isEqualTo("https://raw.githubusercontent.com/o/n/develop/m/mfsim.nam");
        }
        for (String sub : List.of("./mf6", "mf6/", "./mf6/./", "mf6//")) {
            assertThat(index(root, sub).files().get("m/mfsim.nam").url()).as("'" + sub + "'")
                    .isEqualTo("https://raw.githubusercontent.com/o/n/develop/mf6/m/mfsim.nam");
        }
        assertThatThrownBy(() -> index(root, "../elsewhere")).isInstanceOfSatisfying(ModelregException.class,
                e -> assertThat(e.kind()).isEqualTo(ModelregException.Kind.INVALID)).hasMessageContaining("'../elsewhere'")
                .hasMessageContaining("'..'");
    }
}
