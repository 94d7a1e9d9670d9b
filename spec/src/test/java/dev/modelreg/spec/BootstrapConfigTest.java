package dev.modelreg.spec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapConfigTest {
    /** modflow-devtools' own bundled bootstrap file (with its comments), read unchanged. */
    static final String DEVTOOLS = """
            # Bootstrap metadata for MODFLOW model repositories
            #
            # User config sources will override/extend the bundled sources below.

            [sources.modflow6-testmodels]
            repo = "MODFLOW-ORG/modflow6-testmodels"
            name = "mf6/test"
            refs = ["develop", "master"]

            [sources.my-custom-models]
            repo = "username/my-models"
            refs = ["main"]
            """;

    @TempDir
    Path tmp;

    static BootstrapConfig parse(String text) throws java.io.IOException {
        return BootstrapConfig.parse(text.getBytes(UTF_8), "boot.toml");
    }

    @Test
    void bundledFileHasTheModflowSources() throws java.io.IOException {
        BootstrapConfig c = BootstrapConfig.bundled();
        assertThat(c.sources()).containsKeys("modflow6-examples", "modflow6-testmodels", "modflow6-largetestmodels");
        assertThat(List.copyOf(c.sources().keySet()))
                .containsExactly("modflow6-examples", "modflow6-testmodels", "modflow6-largetestmodels");
        assertThat(c.sources().get("modflow6-examples")).isEqualTo(SourceConfig.builder("modflow6-examples")
                .repo("MODFLOW-ORG/modflow6-examples").name("mf6/example").refs(List.of("current")).registryPath(".registry").build());
        assertThat(c.source("mf6/test").refs()).containsExactly("develop");
        assertThat(c.source("mf6/large").repo()).isEqualTo("MODFLOW-ORG/modflow6-largetestmodels");
        assertThat(new String(BootstrapConfig.bundledBytes(), UTF_8)).startsWith("[sources.modflow6-examples]\n");
    }

    @Test
    void readsAModflowDevtoolsBootstrapUnchanged() throws java.io.IOException {
        BootstrapConfig c = parse(DEVTOOLS);
        SourceConfig custom = c.source("my-custom-models");
        assertThat(custom.name()).isEqualTo("my-custom-models");
        assertThat(custom.registryPath()).isEqualTo(".registry");
        assertThat(custom.oci()).isNull();
        assertThat(custom.owner()).isEqualTo("username");
        assertThat(custom.repoName()).isEqualTo("my-models");
        assertThat(c.source("modflow6-testmodels").refs()).containsExactly("develop", "master");
        assertThat(c.source("modflow6-testmodels").defaultRef()).isEqualTo("develop");
    }

    @Test
    void ociFieldRefPinsAndUnknownFields() throws java.io.IOException {
        String pin = Digest.sha256Of("m".getBytes(UTF_8)).toString();
        BootstrapConfig c = parse("""
                [sources.oci-only]
                oci = "ghcr.io/modflow-org/modflow6-testmodels"
                name = "mf6/test"
                refs = ["develop", "%s", "feature/x"]
                mirror = "unused"
                [sources.both]
                repo = "o/r"
                oci = "127.0.0.1:5000/models/r"
                registry_path = "meta/.registry"
                [sources.layout]
                oci = "oci-layout:/tmp/layout"
                [settings]
                anything = true
                """.formatted(pin));
        SourceConfig o = c.source("mf6/test");
        assertThat(o).isEqualTo(SourceConfig.builder("oci-only").name("mf6/test").refs(List.of("develop", pin, "feature/x"))
                .registryPath(".registry").oci(Reference.parseRepository("ghcr.io/modflow-org/modflow6-testmodels")).build());
        assertThat(o.owner()).isNull();
        assertThat(c.source("both").registryPath()).isEqualTo("meta/.registry");
        assertThat(c.source("both").oci()).hasToString("127.0.0.1:5000/models/r");
        assertThat(c.source("layout").oci()).hasToString("oci-layout:/tmp/layout");
        assertThat(parse("# nothing\n").sources()).isEmpty();
        assertThat(parse("[sources]\n").sources()).isEmpty();
    }

    @Test
    void overlayReplacesASourceTableWholeAndAddsNewOnes() throws IOException {
        Path overlay = Files.writeString(tmp.resolve("models.toml"), """
                [sources.modflow6-testmodels]
                repo = "me/modflow6-testmodels"
                refs = ["my-branch"]

                [sources.my-models]
                oci = "127.0.0.1:5000/me/models"
                name = "me/models"
                """);
        BootstrapConfig c = BootstrapConfig.load(BootstrapConfig.bundledBytes(), BootstrapConfig.BUNDLED_ORIGIN, overlay);
        assertThat(List.copyOf(c.sources().keySet()))
                .containsExactly("modflow6-examples", "modflow6-testmodels", "modflow6-largetestmodels", "my-models");
        // whole-table replacement: the bundled name "mf6/test" is gone, the key is the default name now
        assertThat(c.sources().get("modflow6-testmodels")).isEqualTo(SourceConfig.builder("modflow6-testmodels")
                .repo("me/modflow6-testmodels").name("modflow6-testmodels").refs(List.of("my-branch")).registryPath(".registry").build());
        assertThat(c.source("mf6/test")).isNull();
        assertThat(c.source("me/models").key()).isEqualTo("my-models");
        assertThat(c.source("mf6/example").repo()).isEqualTo("MODFLOW-ORG/modflow6-examples");
    }

    @Test
    void missingOverlayMeansBundledOnly() throws java.io.IOException {
        BootstrapConfig c = BootstrapConfig.load(BootstrapConfig.bundledBytes(), "b", tmp.resolve("absent.toml"));
        assertThat(c).isEqualTo(BootstrapConfig.bundled());
        assertThat(BootstrapConfig.load(BootstrapConfig.bundledBytes(), "b", null)).isEqualTo(BootstrapConfig.bundled());
        assertThat(BootstrapConfig.load(BootstrapConfig.bundledBytes(), null)).isEqualTo(BootstrapConfig.bundled());
    }

    @Test
    void badOverlayIsNamedInTheError() throws IOException {
        Path overlay = Files.writeString(tmp.resolve("models.toml"), "[sources.x]\nrepo = \"o/r\"\nrefs = \"main\"\n");
        assertThatThrownBy(() -> BootstrapConfig.load(BootstrapConfig.bundledBytes(), "b", overlay))
                .isInstanceOf(RegistryFormatException.class)
                .hasMessage(overlay + ": source 'x': field 'refs' must be a list of strings");
        Files.writeString(overlay, "[sources.x\nrepo = 1\n");
        assertThatThrownBy(() -> BootstrapConfig.load(BootstrapConfig.bundledBytes(), "b", overlay))
                .hasMessageStartingWith(overlay + ":1:");
    }

    @Test
    void fromFileUsesThatFileAlone() throws IOException {
        Path f = Files.writeString(tmp.resolve("only.toml"), DEVTOOLS);
        BootstrapConfig c = BootstrapConfig.fromFile(f);
        assertThat(c.sources()).containsOnlyKeys("modflow6-testmodels", "my-custom-models");
        assertThatThrownBy(() -> BootstrapConfig.fromFile(tmp.resolve("nope.toml")))
                .isInstanceOf(RegistryFormatException.class)
                .hasMessage("config file " + tmp.resolve("nope.toml") + " does not exist");
    }

    @Test
    void resolveOrder() throws IOException {
        Path flag = Files.writeString(tmp.resolve("flag.toml"), "[sources.flag]\nrepo = \"o/flag\"\n");
        Path envFile = Files.writeString(tmp.resolve("env.toml"), "[sources.env]\nrepo = \"o/env\"\n");
        Path xdg = tmp.resolve("xdg");
        Files.createDirectories(xdg.resolve("modelreg"));
        Files.writeString(xdg.resolve("modelreg/models.toml"), "[sources.user]\nrepo = \"o/user\"\n");
        Map<String, String> env = Map.of("MODELREG_CONFIG", envFile.toString(), "XDG_CONFIG_HOME", xdg.toString());
        assertThat(BootstrapConfig.resolve(flag, env, "Linux").sources()).containsOnlyKeys("flag");
        assertThat(BootstrapConfig.resolve(null, env, "Linux").sources()).containsOnlyKeys("env");
        assertThat(BootstrapConfig.resolve(null, Map.of("XDG_CONFIG_HOME", xdg.toString()), "Linux").sources())
                .containsOnlyKeys("modflow6-examples", "modflow6-testmodels", "modflow6-largetestmodels", "user");
    }

    @Test
    void userOverlayPath() {
        assertThat(BootstrapConfig.userOverlayPath(Map.of("XDG_CONFIG_HOME", "/cfg", "HOME", "/home/u"), "Linux"))
                .isEqualTo(Path.of("/cfg/modelreg/models.toml"));
        assertThat(BootstrapConfig.userOverlayPath(Map.of("HOME", "/home/u"), "Mac OS X"))
                .isEqualTo(Path.of("/home/u/.config/modelreg/models.toml"));
        assertThat(BootstrapConfig.userOverlayPath(Map.of("XDG_CONFIG_HOME", "relative", "HOME", "/home/u"), "Linux"))
                .isEqualTo(Path.of("/home/u/.config/modelreg/models.toml"));
        assertThat(BootstrapConfig.userOverlayPath(Map.of(), "Linux"))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".config", "modelreg", "models.toml"));
        assertThat(BootstrapConfig.userOverlayPath(Map.of("APPDATA", "C:\\Users\\u\\AppData\\Roaming",
                "XDG_CONFIG_HOME", "/cfg"), "Windows 11"))
                .isEqualTo(Path.of("C:\\Users\\u\\AppData\\Roaming", "modelreg", "models.toml"));
        assertThat(BootstrapConfig.userOverlayPath(Map.of("USERPROFILE", "C:\\Users\\u"), "Windows 10"))
                .isEqualTo(Path.of("C:\\Users\\u", "AppData", "Roaming", "modelreg", "models.toml"));
    }

    @Test
    void lookups() throws java.io.IOException {
        BootstrapConfig c = parse("""
                [sources.mf6]
                repo = "o/mf6"
                name = "mf6"
                [sources.tests]
                repo = "o/tests"
                name = "mf6/test"
                [sources.mf6-test-x]
                repo = "o/x"
                """);
        assertThat(c.sourceForModel("mf6/test/test001a").key()).isEqualTo("tests");
        assertThat(c.sourceForModel("mf6/testx/y").key()).isEqualTo("mf6");
        assertThat(c.sourceForModel("mf6/example/ex").key()).isEqualTo("mf6");
        assertThat(c.sourceForModel("mf6")).isNull();
        assertThat(c.sourceForModel("mf2005/x")).isNull();
        assertThat(c.source("tests").name()).isEqualTo("mf6/test");
        assertThat(c.source("mf6/test").key()).isEqualTo("tests");
        assertThat(c.source("mf6-test-x").name()).isEqualTo("mf6-test-x");
        assertThat(c.source("unknown")).isNull();
    }

    @Test
    void validationErrorsNameTheSourceAndTheField() {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("[sources.s]\nname = \"x\"\n",
                        "boot.toml: source 's': needs field 'repo' (\"owner/name\") or field 'oci' (\"REGISTRY/REPOSITORY\"), or both"),
                Map.entry("[sources.s]\nrepo = \"just-a-name\"\n",
                        "boot.toml: source 's': field 'repo' must be \"owner/name\", got 'just-a-name'"),
                Map.entry("[sources.s]\nrepo = \"a/b/c\"\n",
                        "boot.toml: source 's': field 'repo' must be \"owner/name\", got 'a/b/c'"),
                Map.entry("[sources.s]\nrepo = 42\n", "boot.toml: source 's': field 'repo' must be a string"),
                Map.entry("[sources.s]\nrepo = \"o/r\"\nrefs = [\"a\", 1]\n",
                        "boot.toml: source 's': field 'refs' must be a list of strings"),
                Map.entry("[sources.s]\nrepo = \"o/r\"\nrefs = [\"sha256:abc\"]\n",
                        "boot.toml: source 's': field 'refs': 'sha256:abc' is neither a git ref nor a digest (want sha256:<64 hex>)"),
                Map.entry("[sources.s]\nrepo = \"o/r\"\nrefs = [\"\"]\n",
                        "boot.toml: source 's': field 'refs' has an empty ref or one with whitespace: ''"),
                Map.entry("[sources.s]\nrepo = \"o/r\"\nname = \"a@b\"\n",
                        "boot.toml: source 's': field 'name' must be a model-name prefix like \"mf6/test\" (no '@', whitespace or empty segment), got 'a@b'"),
                Map.entry("[sources.s]\nrepo = \"o/r\"\nregistry_path = \"../x\"\n",
                        "boot.toml: source 's': field 'registry_path' must be a relative path without '..', got '../x'"),
                Map.entry("[sources.s]\noci = \"ghcr.io/Org/Repo\"\n",
                        "boot.toml: source 's': field 'oci' must be \"REGISTRY/REPOSITORY\" (lowercase repository, no tag or digest), \"oci-layout:DIR\" or \"oci-archive:FILE\", got 'ghcr.io/Org/Repo'"),
                Map.entry("[sources]\ns = \"o/r\"\n", "boot.toml: source 's': must be a table"),
                Map.entry("sources = 3\n", "boot.toml: [sources] must be a table"),
                Map.entry("[sources.a]\nrepo = \"o/a\"\nname = \"n\"\n[sources.b]\nrepo = \"o/b\"\nname = \"n\"\n",
                        "boot.toml: source 'b': field 'name' 'n' is already the name of source 'a'"));
        cases.forEach((text, message) -> assertThatThrownBy(() -> parse(text)).as(text)
                .isInstanceOf(RegistryFormatException.class).hasMessage(message));
        for (String oci : List.of("ghcr.io/org/repo:tag", "ghcr.io/org/repo@sha256:" + "a".repeat(64), "ghcr.io", "oci-layout:")) {
            assertThatThrownBy(() -> parse("[sources.s]\noci = \"" + oci + "\"\n")).as(oci)
                    .hasMessageContaining("field 'oci'");
        }
    }
}
