package dev.modelreg.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finding and running the external tools the fixtures need; never skips, always fails loudly. */
public final class Tools {
    private Tools() {}

    /** The binary if it is there and executable, else an IllegalStateException saying which package to install. */
    public static Path require(String binary, String debianPackage) {
        Path p = Path.of(binary);
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(binary + " is missing: the tests need it (real components, no mocks); "
                    + "install it with: apt-get install -y " + debianPackage + "  (or run ./scripts/test, which does)");
        }
        return p;
    }

    /** Result of a finished command. */
    record Result(int exitCode, String stdout, String stderr) {}

    /**
     * Runs a command with its output captured to files (no pipe can fill up), bounded by {@code timeout}.
     * A timeout kills the process and throws; the exit code is returned as is.
     */
    static Result run(List<String> command, Duration timeout) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("modelreg-tool-", ".out");
            err = Files.createTempFile("modelreg-tool-", ".err");
            Process p = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(p);
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s: " + String.join(" ", command)
                        + "\nstderr: " + Files.readString(err, StandardCharsets.UTF_8).strip());
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Stops a process: polite signal, a bounded wait, then kill, then a bounded wait. */
    static void stop(Process p) {
        if (!p.isAlive()) return;
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }
}
