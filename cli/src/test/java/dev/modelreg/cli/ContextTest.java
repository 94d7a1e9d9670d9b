package dev.modelreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.testkit.RegistryFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run in a {@link Context} of its own reads that context only: relative paths on the command line are relative to
 * its working directory (not this JVM's), and every command takes the environment from it (credentials too), while the
 * process's own context leaves relative paths as the user typed them.
 */
class ContextTest {
    @TempDir Path tmp;

    record Run(int code, String out, String err) {}

    static Run run(Context context, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(args, new PrintWriter(out, true), new PrintWriter(err, true), context);
        return new Run(code, out.toString(), err.toString());
    }

    static Run ok(Context context, String... args) {
        Run r = run(context, args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        return r;
    }

    /** A model repository {@code models} in {@code dir}: one model, one file. */
    static void models(Path dir) throws Exception {
        Path m = Files.createDirectories(dir.resolve("models/one"));
        Files.writeString(m.resolve("mfsim.nam"), "BEGIN options\nEND options\n");
        Files.writeString(m.resolve("input.txt"), "input\n");
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("MODELREG_CACHE", tmp.resolve("cache").toString());
        env.put("HOME", tmp.resolve("home").toString());
        env.put("DOCKER_CONFIG", tmp.resolve("docker").toString());
        env.put("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString());
        env.put("XDG_RUNTIME_DIR", tmp.resolve("runtime").toString());
        env.put("PATH", System.getenv("PATH"));
        return env;
    }

    @Test
    void relativePathsAreRelativeToTheWorkingDirectoryOfTheContext() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        models(work);
        Context c = Context.of(env(), work);
        String layout = "oci-layout:" + tmp.resolve("layout");
        ok(c, "make-registry", "--path", "models", "--name", "ex", "--output", "index");
        assertThat(work.resolve("models/index/models.toml")).as("--output relative to a local --path").isRegularFile();
        ok(c, "push", "models", layout + ":v1", "--name", "ex", "--registry-file", "models/index/models.toml");
        ok(c, "pull", layout + ":v1", "out");
        assertThat(work.resolve("out/one/input.txt")).hasContent("input");
        ok(c, "copy", "--from", layout + ":v1", "ex/one", "ws");
        ok(c, "verify", "--from", layout + ":v1", "ex/one", "ws");
        assertThat(work.resolve("ws/input.txt")).hasContent("input");
        assertThat(Path.of("out")).as("nothing written relative to this JVM's directory").doesNotExist();
        assertThat(Path.of("ws")).doesNotExist();
    }

    @Test
    void theProcessContextLeavesRelativePathsAsTyped() {
        Context p = Context.ofProcess();
        assertThat(p.resolve(Path.of("a/b"))).isEqualTo(Path.of("a/b")).isNotEqualTo(Path.of("a/b").toAbsolutePath());
        assertThat(p.resolve("a/b")).isEqualTo("a/b");
        assertThat(p.localDirectory("a/b")).isEqualTo("a/b");
        assertThat(Context.of(Map.of(), tmp).resolve(Path.of("a"))).isEqualTo(tmp.resolve("a"));
    }

    @Test
    void everyRegistryCommandTakesItsCredentialsFromTheContext() throws Exception {
        models(tmp);
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.BASIC_AUTH, tmp.resolve("reg"))) {
            Map<String, String> env = env();
            env.put("MODELREG_REGISTRY_USER", reg.username());
            env.put("MODELREG_REGISTRY_PASSWORD", reg.password());
            Context c = Context.of(env, tmp);
            String ref = reg.reference("models/x:v1");
            ok(c, "push", tmp.resolve("models").toString(), ref, "--name", "ex");
            assertThat(ok(c, "tags", reg.host() + "/models/x").out()).contains("v1");
            ok(c, "tag", ref, "v2");
            ok(c, "mirror", ref, "oci-layout:" + tmp.resolve("mirror") + ":v1");
            ok(c, "inspect", ref);
            ok(c, "pull", ref, tmp.resolve("pulled").toString());
            Run none = run(Context.of(env(), tmp), "tags", reg.host() + "/models/x");
            assertThat(none.code()).as("the same command without the context's credentials").isEqualTo(5);
        }
    }
}
