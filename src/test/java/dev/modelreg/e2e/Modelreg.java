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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the CLI as a user does, with a clean environment: every MODELREG_* variable, SOURCE_DATE_EPOCH and GITHUB_TOKEN
 * of the caller removed, the docker config and the XDG config, cache and runtime directories in the test's temp
 * directory; each call adds what it needs.
 * <p>
 * {@link #run} and {@link #ok} run it in this JVM ({@link InProcess}: the command line {@code Main} runs, with that
 * environment and working directory and writers of its own), unless the run needs a process of its own: JVM options
 * of its own (a small heap) or a crash point ({@code MODELREG_TEST_CRASH_AT}, which halts the process). A test about
 * the process itself (signals, kill -9, concurrent processes, a pseudo-terminal, the launcher) starts one with
 * {@link #start}, {@link #startCommand} or {@link #all}. With {@code -Dmodelreg.e2e.processes=true}
 * every run is a process (the same assertions hold both ways).
 */
final class Modelreg {
    private Modelreg() {}

    /** The JVM options of a CLI process; given to {@link #run}, they ask for nothing in particular (in-process). */
    static final List<String> FAST_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /** How long a run may take unless a test says otherwise. */
    static final Duration LIMIT = Duration.ofSeconds(300);

    /** True to run every command in a process of its own. */
    static final boolean PROCESSES = Boolean.getBoolean("modelreg.e2e.processes");

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
            return finish(LIMIT);
        }

        /**
         * Waits at most {@code limit}; a process still running then is killed (with its children) and fails the test,
         * as is one whose waiting thread is interrupted.
         */
        Run finish(Duration limit) throws IOException, InterruptedException {
            boolean ended;
            try {
                ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) { // the test is stopping: none is left running
                kill();
                throw e;
            }
            if (!ended) {
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
        e.clear();
        e.putAll(environment(tmp, env));
        Path out = Files.createTempFile(tmp, "stdout-", ".txt");
        Path err = Files.createTempFile(tmp, "stderr-", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return new Started(pb.start(), out, err, System.nanoTime(), what);
    }

    /** The environment of a run: this JVM's, cleaned of modelreg settings, its user directories under {@code tmp}, and {@code env}. */
    static Map<String, String> environment(Path tmp, Map<String, String> env) {
        Map<String, String> e = new HashMap<>(System.getenv());
        e.keySet().removeIf(k -> k.startsWith("MODELREG_"));
        e.remove("SOURCE_DATE_EPOCH");
        e.remove("GITHUB_TOKEN");
        e.put("DOCKER_CONFIG", tmp.resolve("docker-config").toString());
        e.put("XDG_RUNTIME_DIR", tmp.resolve("runtime").toString());
        e.put("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString());
        e.put("XDG_CACHE_HOME", tmp.resolve("xdg-cache").toString());
        e.putAll(env);
        return e;
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

    /** {@code modelreg ARGS} in {@code tmp}: in this JVM unless {@code jvmArgs} or a crash point need a process. */
    static Run run(Path tmp, List<String> jvmArgs, Map<String, String> env, String... args) throws IOException, InterruptedException {
        return run(tmp, jvmArgs, env, LIMIT, args);
    }

    /** As above, failing the test if the run takes more than {@code limit}. */
    static Run run(Path tmp, List<String> jvmArgs, Map<String, String> env, Duration limit, String... args)
            throws IOException, InterruptedException {
        return run(tmp, tmp, jvmArgs, env, limit, args);
    }

    /** {@code modelreg ARGS} in {@code workDir} (in this JVM), its temp files and user directories under {@code tmp}. */
    static Run runIn(Path tmp, Path workDir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        return run(tmp, workDir, FAST_JVM, env, LIMIT, args);
    }

    private static Run run(Path tmp, Path workDir, List<String> jvmArgs, Map<String, String> env, Duration limit,
                           String... args) throws IOException, InterruptedException {
        if (PROCESSES || !jvmArgs.equals(FAST_JVM) || env.containsKey("MODELREG_TEST_CRASH_AT")) {
            return start(tmp, workDir, jvmArgs, env, args).finish(limit);
        }
        return InProcess.run(workDir, environment(tmp, env), limit, args);
    }

    static Run ok(Path tmp, String... args) throws IOException, InterruptedException {
        return ok(run(tmp, FAST_JVM, Map.of(), args), args);
    }

    static Run ok(Run r, String... args) {
        assertThat(r.code()).as("modelreg %s\nstderr: %s", String.join(" ", args), r.err()).isZero();
        return r;
    }
}
