package dev.modelreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edges of the error contract (README "Exit codes"), in-process through the command line {@link Main} builds: a
 * usage error is one line that says what is wrong and suggests the nearest command or option; bare {@code modelreg}
 * is a usage error with the short usage; a file named on the command line that is not there is "not found" (4), as a
 * directory that is not there.
 */
class UsageErrorTest {
    @TempDir Path tmp;

    static Ran run(String... args) {
        return Ran.of(args);
    }

    @Test
    void anUnknownCommandIsNamedWithTheNearestOnes() {
        Ran typo = run("pul", "a", "b");
        assertThat(typo.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(typo.errLines()).containsExactly("modelreg: error: unknown command 'pul' (did you mean 'pull'? see 'modelreg --help')");
        assertThat(run("lsit").errLines()).containsExactly("modelreg: error: unknown command 'lsit' (did you mean 'list'? see 'modelreg --help')");
        Ran far = run("nosuch");
        assertThat(far.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(far.errLines()).hasSize(1);
        assertThat(far.err()).startsWith("modelreg: error: unknown command 'nosuch' (commands: make-registry, push, sync, ")
                .doesNotContain("Unmatched argument").doesNotContain(", cp,");
        assertThat(far.out()).isEmpty();
    }

    @Test
    void usageErrorsAreOneLineWithTheirHint() {
        Ran option = run("pull", "--ofline", "a", "b");
        assertThat(option.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(option.errLines()).containsExactly(
                "modelreg: error: unknown option '--ofline' (did you mean '--offline'? see 'modelreg pull --help')");
        Ran missing = run("pull");
        assertThat(missing.errLines()).containsExactly(
                "modelreg: error: Missing required parameters: 'REF', 'DIR' (see 'modelreg pull --help')");
        Ran extra = run("copy", "a", "b", "c", "--json");
        assertThat(extra.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(extra.errLines()).containsExactly("modelreg: error: unexpected argument 'c' (see 'modelreg copy --help')");
        assertThat(extra.out()).contains("\"kind\":\"usage\"").contains("unexpected argument 'c'");
    }

    @Test
    void bareModelregPrintsTheShortUsageAndExitsThree() {
        for (String[] args : new String[][] {{}, {"-v"}}) {
            Ran bare = run(args);
            assertThat(bare.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(bare.out()).isEmpty();
            assertThat(bare.err()).startsWith("Usage: modelreg [-hvV] [COMMAND]").contains("Commands:").contains("  pull ")
                    .contains("modelreg help COMMAND");
        }
        Ran help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).startsWith("Usage: modelreg").contains("Examples:");
        Ran version = run("--version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).startsWith("modelreg ");
    }

    @Test
    void aConfigFileThatIsNotThereIsNotFoundLikeAMissingDirectory() throws Exception {
        Path nope = tmp.resolve("nope.toml");
        Ran r = run("info", "--config", nope.toString(), "--json");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.errLines()).containsExactly("modelreg: error: config file " + nope + " does not exist");
        assertThat(r.out()).contains("\"kind\":\"not_found\"");
        Path models = Files.createDirectories(tmp.resolve("models"));
        Ran metadata = run("push", models.toString(), "oci-layout:" + tmp.resolve("l") + ":v1", "--name", "x",
                "--metadata", tmp.resolve("nope-metadata.toml").toString());
        assertThat(metadata.code()).as(metadata.err()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(Failure.of(new dev.modelreg.spec.RegistryFormatException("x")).exitCode()).isEqualTo(ExitCodes.ERROR);
    }
}
