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
