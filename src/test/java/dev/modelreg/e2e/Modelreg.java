package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the real CLI (dev.modelreg.cli.Main) in its own JVM, the way a user does. The child's environment is cleaned of
 * the caller's modelreg settings (every MODELREG_* variable, SOURCE_DATE_EPOCH, GITHUB_TOKEN) and its docker config,
 * XDG config/cache/runtime directories point into the test's temp directory; each call adds what it needs.
 */
final class Modelreg {
    private Modelreg() {}

    static final List<String> FAST_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    record Run(int code, String out, String err, long millis) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return (Map<String, Object>) Json.parse(out.trim());
        }
    }

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("examples/models"))) p = p.getParent();
        assertThat(p).as("repository root with examples/models").isNotNull();
        return p;
    }

    /** A fresh copy of examples/models (outside any git checkout, so created = the fixed epoch). */
    static Path copyExamples(Path to) {
        return copyTree(repoRoot().resolve("examples/models"), to);
    }

    /** A copy of the tree {@code from} at {@code to}. */
    static Path copyTree(Path from, Path to) {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.naturalOrder())::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }

    /**
     * A model directory {@code model} (created) holding {@code mfsim.nam} and {@code file}: {@code size} random bytes
     * (seed 3), which are returned.
     */
    static byte[] bigModel(Path model, String file, int size) throws IOException {
        Files.createDirectories(model);
        Files.writeString(model.resolve("mfsim.nam"), "BEGIN options\nEND options\n");
        byte[] bytes = new byte[size];
        new java.util.Random(3).nextBytes(bytes);
        Files.write(model.resolve(file), bytes);
        return bytes;
    }

    /** A started CLI process; {@link #finish()} waits for it (bounded) and collects its output. */
    record Started(Process process, Path out, Path err, long startNanos, String what) {
        Run finish() throws IOException, InterruptedException {
            return finish(Duration.ofSeconds(300));
        }

        /** Waits at most {@code limit}; a process still running then is killed (with its children) and fails the test. */
        Run finish(Duration limit) throws IOException, InterruptedException {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new AssertionError(what + " did not finish in " + limit.toSeconds() + " s");
            }
            long ms = (System.nanoTime() - startNanos) / 1_000_000;
            return new Run(process.exitValue(), Files.readString(out), Files.readString(err), ms);
        }

        /** SIGKILL to the process and its descendants, waiting briefly; a no-op once it has ended. */
        void kill() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The command line of {@code modelreg ARGS} in its own JVM. */
    static List<String> command(List<String> jvmArgs, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.modelreg.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts {@code modelreg ARGS} in {@code workDir}; temp files and the clean environment live under {@code tmp}. */
    static Started start(Path tmp, Path workDir, List<String> jvmArgs, Map<String, String> env, String... args)
            throws IOException {
        return startCommand(tmp, workDir, env, command(jvmArgs, args), "modelreg " + String.join(" ", args));
    }

    /** Starts any command (e.g. modelreg under {@code script}) with the clean environment of {@link #start}. */
    static Started startCommand(Path tmp, Path workDir, Map<String, String> env, List<String> cmd, String what)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("MODELREG_"));
        e.remove("SOURCE_DATE_EPOCH");
        e.remove("GITHUB_TOKEN");
        e.put("DOCKER_CONFIG", tmp.resolve("docker-config").toString());
        e.put("XDG_RUNTIME_DIR", tmp.resolve("runtime").toString());
        e.put("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString());
        e.put("XDG_CACHE_HOME", tmp.resolve("xdg-cache").toString());
        e.putAll(env);
        Path out = Files.createTempFile(tmp, "stdout-", ".txt");
        Path err = Files.createTempFile(tmp, "stderr-", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return new Started(pb.start(), out, err, System.nanoTime(), what);
    }

    /**
     * Starts every command at once (each {@code modelreg ARGS} with {@code env}) and waits for all, each at most
     * {@code limit}; whatever happens (a failure, the test's timeout), none is left running.
     */
    static List<Run> all(Path tmp, Map<String, String> env, Duration limit, List<List<String>> commands)
            throws IOException, InterruptedException {
        List<Started> these = new ArrayList<>();
        List<Run> runs = new ArrayList<>();
        try {
            for (List<String> c : commands) these.add(start(tmp, tmp, FAST_JVM, env, c.toArray(String[]::new)));
            for (Started s : these) runs.add(s.finish(limit));
        } finally {
            for (Started s : these) s.kill();
        }
        return runs;
    }

    static Run run(Path tmp, List<String> jvmArgs, Map<String, String> env, String... args) throws IOException, InterruptedException {
        return start(tmp, tmp, jvmArgs, env, args).finish();
    }

    static Run ok(Path tmp, String... args) throws IOException, InterruptedException {
        return ok(run(tmp, FAST_JVM, Map.of(), args), args);
    }

    static Run ok(Run r, String... args) {
        assertThat(r.code()).as("modelreg %s\nstderr: %s", String.join(" ", args), r.err()).isZero();
        return r;
    }
}
