package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs the real CLI (dev.modelreg.cli.Main) in its own JVM for the publisher's e2e tests. */
final class PublishCli {
    private PublishCli() {}

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
        Path from = repoRoot().resolve("examples/models");
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

    static Run run(Path tmp, List<String> jvmArgs, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.modelreg.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().remove("SOURCE_DATE_EPOCH");
        pb.environment().remove("MODELREG_REGISTRY_USER");
        pb.environment().remove("MODELREG_REGISTRY_PASSWORD");
        pb.environment().put("DOCKER_CONFIG", tmp.resolve("docker-config").toString());
        pb.environment().put("XDG_RUNTIME_DIR", tmp.resolve("runtime").toString());
        pb.environment().putAll(env);
        Path out = Files.createTempFile(tmp, "stdout-", ".txt");
        Path err = Files.createTempFile(tmp, "stderr-", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        long t0 = System.nanoTime();
        Process proc = pb.start();
        if (!proc.waitFor(300, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            throw new AssertionError("modelreg " + String.join(" ", args) + " did not finish in 300 s");
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return new Run(proc.exitValue(), Files.readString(out), Files.readString(err), ms);
    }

    static Run ok(Path tmp, String... args) throws IOException, InterruptedException {
        Run r = run(tmp, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), Map.of(), args);
        assertThat(r.code()).as("modelreg %s\nstderr: %s", String.join(" ", args), r.err()).isZero();
        return r;
    }
}
