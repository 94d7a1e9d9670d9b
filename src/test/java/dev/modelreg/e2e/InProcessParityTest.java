package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process runs most e2e tests make ({@link InProcess}) are the runs a user's process makes: the same commands,
 * each run once in this JVM and once in a CLI process of its own, each in a working directory of its own, give the
 * same exit code and byte for byte the same stdout and stderr (the directory's name aside, see {@link #shown}), and
 * leave the same files. The commands cover what a run takes from its process: the environment (cache, config, COLUMNS), the
 * working directory (relative path options and parameters), the two streams (--json documents on stdout, progress
 * and one-line errors on stderr) and the exit codes of success, usage errors, not found and invalid input.
 */
class InProcessParityTest {
    @TempDir Path tmp;

    /** What a run left: code, out and err with its directory named {@code SIDE}, and the files it wrote in its workspace. */
    private record Seen(int code, String out, String err, List<String> files) {}

    /**
     * {@code modelreg ARGS} in {@code tmp/SIDE/work} with the cache {@code tmp/SIDE/cache} and {@code env}, in this JVM
     * or in a process of its own.
     */
    private Seen run(String side, Map<String, String> env, boolean process, String... args) throws Exception {
        Path dir = tmp.resolve(side);
        Path workDir = Files.createDirectories(dir.resolve("work"));
        Map<String, String> e = new HashMap<>(env);
        e.put("MODELREG_CACHE", dir.resolve("cache").toString());
        Modelreg.Run r;
        if (process) {
            r = Modelreg.start(tmp, workDir, Modelreg.FAST_JVM, e, args).finish();
        } else {
            r = InProcess.run(workDir, Modelreg.environment(tmp, e), Modelreg.LIMIT, args);
        }
        List<String> files;
        try (var w = Files.walk(workDir)) {
            files = w.map(p -> workDir.relativize(p).toString()).sorted().toList();
        }
        return new Seen(r.code(), shown(r.out(), dir), shown(r.err(), dir), files);
    }

    /**
     * {@code text} with the run's directory named {@code SIDE}, and a path in its working directory as the user typed
     * it: the one difference the JVM imposes (it has one working directory), a relative path is resolved against the
     * run's directory when the command line is parsed, so an in-process run echoes it absolute where a process echoes
     * it as typed ({@link InProcess}).
     */
    private static String shown(String text, Path dir) {
        return text.replace(dir.resolve("work") + "/", "").replace(dir.toString(), "SIDE");
    }

    /** Runs {@code args} both ways and asserts the two saw the same; returns what they saw. */
    private Seen same(String name, Map<String, String> env, String... args) throws Exception {
        Seen inProcess = run(name + "-in", env, false, args);
        Seen process = run(name + "-process", env, true, args);
        assertThat(inProcess).as("modelreg %s in-process vs in a process", String.join(" ", args)).isEqualTo(process);
        return process;
    }

    @Test
    void inProcessRunsSeeWhatAProcessSees() throws Exception {
        Path models = Modelreg.copyExamples(tmp.resolve("models"));
        Path layout = tmp.resolve("layout");
        Modelreg.ok(tmp, "push", models.toString(), "oci-layout:" + layout + ":v1", "--name", "example");
        Path cfg = Files.writeString(tmp.resolve("sources.toml"),
                "[sources.example]\nname = \"example\"\noci = \"oci-layout:" + layout + "\"\nrefs = [\"v1\"]\n");

        // help at the width COLUMNS says; a usage error; an unknown option
        assertThat(same("help", Map.of("COLUMNS", "72"), "pull", "--help").out()).contains("Usage:");
        assertThat(same("usage", Map.of(), "pull").code()).isEqualTo(3);
        assertThat(same("option", Map.of(), "copy", "--no-such-option").code()).isEqualTo(3);

        // a relative workspace (resolved against the run's directory), a cache and config from the environment
        Seen copy = same("copy", Map.of("MODELREG_CONFIG", cfg.toString()), "copy", "example@v1/ex-gwf-bcf2ss", "ws", "--json");
        assertThat(copy.code()).as(copy.err()).isZero();
        assertThat(copy.out()).contains("\"digest\":\"sha256:");
        assertThat(copy.files()).contains("ws", "ws/mfsim.nam");

        // a --json failure: the one document on stdout, the exit code of not found
        Seen missing = same("missing", Map.of(), "inspect", "oci-layout:" + layout + ":v9", "--json");
        assertThat(missing.code()).isEqualTo(4);
        assertThat(missing.out()).startsWith("{").contains("\"error\"");

        // invalid input named in one line on stderr; a relative output path resolved against the run's directory
        Path bad = Files.writeString(tmp.resolve("bad.toml"), "[files\n");
        Seen invalid = same("invalid", Map.of(), "sync", "--config", bad.toString());
        assertThat(invalid.code()).isNotZero();
        assertThat(invalid.err().lines().filter(l -> !l.isBlank()).count()).as(invalid.err()).isEqualTo(1);
        Seen export = same("export", Map.of("MODELREG_CONFIG", cfg.toString()), "export", "--source", "example", "--output", "out/models.tar");
        assertThat(export.code()).as(export.err()).isZero();
        assertThat(export.files()).contains("out/models.tar");
    }
}
