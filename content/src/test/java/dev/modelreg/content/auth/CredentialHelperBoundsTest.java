package dev.modelreg.content.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.modelreg.content.ContentException;
import dev.modelreg.spec.ModelregException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Credential helpers that never answer, leave a child holding their stdout, flood stderr or print garbage: each ends
 * within the limit (2 s here, 30 s by default) in one line naming the helper once, of the right kind, with the helper
 * and every process it started gone. Each helper is a real shell script {@code docker-credential-NAME} in a PATH of
 * the test's own; it appends its PID and its children's to {@code NAME.pids} so the test can check they are dead.
 */
@Isolated // it bounds how long a stopped helper takes (to within 3 s).
class CredentialHelperBoundsTest {
    private static final String HOST = "registry.test:5000";
    private static final Duration LIMIT = Duration.ofSeconds(2);
    private static final Duration BOUND = Duration.ofSeconds(15);
    private static final String ANSWER = "printf '{\"ServerURL\":\"%s\",\"Username\":\"u\",\"Secret\":\"s3cret\"}' \"$server\"";

    @TempDir Path tmp;
    private final List<Path> pidFiles = new ArrayList<>();

    @AfterEach
    void killWhatIsLeft() throws IOException {
        for (long pid : pids()) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    private static final String HUNG = "did not answer within 2 s; stopped it and the processes it started";

    @Test
    void aHelperThatNeverExitsIsStoppedAtTheLimitWithItsChildren() throws Exception {
        stoppedAtTheLimit("hang", "sleep 600 & echo $! >> $PIDS\nwait", HUNG, 2);
    }

    @Test
    void aHelperThatExitsButLeavesChildrenHoldingItsStdoutIsStoppedWithThem() throws Exception {
        // a background child, and a grandchild whose parent (a subshell) exits at once: both outlive the helper
        stoppedAtTheLimit("child", "sleep 600 & echo $! >> $PIDS\n(sleep 601 & echo $! >> $PIDS)\n" + ANSWER + "\nexit 0",
                "exited, but a process it started still held its output open after 2 s; stopped them", 3);
    }

    @Test
    void aHelperThatFloodsStderrAndNeverExitsIsStopped() throws Exception {
        stoppedAtTheLimit("flood", "head -c 5000000 /dev/zero >&2\nsleep 600 & echo $! >> $PIDS\nwait", HUNG, 2);
    }

    /** The helper fails UNAVAILABLE once the limit is over (not before, not much after), its processes all gone. */
    private void stoppedAtTheLimit(String name, String body, String what, int processes) throws Exception {
        long ms = fails(helper(name, body), Kind.UNAVAILABLE, name, what);
        assertThat(ms).isBetween(LIMIT.toMillis(), LIMIT.toMillis() + 3_000);
        allDead(processes);
    }

    @Test
    void aHelperThatFloodsStderrThenAnswersWorks() throws Exception {
        EnvironmentCredentials creds = helper("noisy", "head -c 5000000 /dev/zero >&2\n" + ANSWER);
        CredentialSource.Lookup l = assertTimeoutPreemptively(BOUND, () -> creds.find(HOST, "models"));
        assertThat(l.credential().username()).isEqualTo("u");
        assertThat(l.credential().secret()).isEqualTo("s3cret");
        assertThat(l.credential().source()).isEqualTo(config("noisy") + " (credHelpers: noisy)");
        allDead(1);
    }

    @Test
    void garbageOnStdoutIsAnInvalidHelper() throws Exception {
        Map<String, String> garbage = Map.of(
                "binary", "printf '\\377\\376\\000s3cret garbage'",
                "array", "printf '[\"s3cret\"]'",
                "numbers", "printf '{\"Username\":5,\"Secret\":7}'",
                "nosecret", "printf '{\"ServerURL\":\"x\",\"Username\":\"s3cret\"}'");
        for (Map.Entry<String, String> g : garbage.entrySet()) {
            fails(helper(g.getKey(), g.getValue()), Kind.INVALID, g.getKey(),
                    "printed something that is not its JSON answer (an object with the strings Username and Secret)");
        }
        for (String flood : List.of("exec head -c 5000000 /dev/zero", "exec yes s3cret")) {
            String name = flood.contains("head") ? "stdoutflood" : "endless";
            long ms = fails(helper(name, flood), Kind.INVALID, name, "printed more than 64 KiB; stopped it");
            assertThat(ms).as(name + ": stopped at the bound, not at the limit").isLessThan(LIMIT.toMillis());
        }
        allDead(garbage.size() + 2);
    }

    @Test
    void aFailureIsKeptSoTheHelperRunsOnce() throws Exception {
        EnvironmentCredentials creds = helper("once", "exec sleep 600");
        fails(creds, Kind.UNAVAILABLE, "once", HUNG);
        long ms = fails(creds, Kind.UNAVAILABLE, "once", HUNG);
        assertThat(ms).isLessThan(1_000);
        allDead(1);
    }

    @Test
    void theHelperIsNamedOnceInItsErrors() throws Exception {
        Path cfg = Files.createDirectories(tmp.resolve("cfg-absent"));
        Files.writeString(cfg.resolve("config.json"), "{\"credHelpers\":{\"" + HOST + "\":\"absent\"}}");
        EnvironmentCredentials absent = EnvironmentCredentials.of(Map.of("DOCKER_CONFIG", cfg.toString(),
                "HOME", tmp.toString(), "PATH", tmp.resolve("bin").toString()), LIMIT);
        assertThatThrownBy(() -> absent.find(HOST, "models"))
                .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED))
                .hasMessage("credential helper docker-credential-absent (credHelpers in " + cfg.resolve("config.json")
                        + ") is not in PATH");
        Files.writeString(cfg.resolve("config.json"), "{\"credsStore\":\"no such\"}");
        EnvironmentCredentials badName = EnvironmentCredentials.of(Map.of("DOCKER_CONFIG", cfg.toString(),
                "HOME", tmp.toString(), "PATH", tmp.resolve("bin").toString()), LIMIT);
        assertThatThrownBy(() -> badName.find(HOST, "models"))
                .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
                .hasMessage(cfg.resolve("config.json") + ": credsStore names an invalid credential helper 'no such'");
        fails(helper("refuses", "echo 'something broke' >&2\nexit 3"), Kind.UNAUTHORIZED, "refuses",
                "failed for " + HOST + " (exit 3)");
    }

    @Test
    void theDefaultLimitIs30Seconds() {
        assertThat(EnvironmentCredentials.of(Map.of()).helperLimit()).isEqualTo(Duration.ofSeconds(30));
    }

    /**
     * A helper NAME running {@code body} after reading its stdin into {@code $server} and appending its PID to
     * {@code $PIDS}, named by {@code credHelpers} of its own docker config; the resolver over it.
     */
    private EnvironmentCredentials helper(String name, String body) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path pids = tmp.resolve(name + ".pids");
        pidFiles.add(pids);
        Path script = bin.resolve("docker-credential-" + name);
        Files.writeString(script, "#!/bin/sh\n[ \"$1\" = get ] || exit 2\nPIDS=" + pids + "\necho $$ >> $PIDS\n"
                + "server=$(cat)\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path cfg = Files.createDirectories(config(name).getParent());
        Files.writeString(config(name), "{\"credHelpers\":{\"" + HOST + "\":\"" + name + "\"}}");
        return EnvironmentCredentials.of(Map.of("DOCKER_CONFIG", cfg.toString(), "HOME", tmp.toString(),
                "PATH", bin + ":/usr/bin:/bin"), LIMIT);
    }

    private Path config(String name) {
        return tmp.resolve("cfg-" + name).resolve("config.json");
    }

    /** The lookup fails within the bound with exactly one line naming the helper once; returns how long it took. */
    private long fails(EnvironmentCredentials creds, Kind kind, String name, String what) {
        long t0 = System.nanoTime();
        ContentException e = assertTimeoutPreemptively(BOUND, () -> {
            try {
                creds.find(HOST, "models");
            } catch (ContentException x) {
                return x;
            }
            throw new AssertionError("docker-credential-" + name + ": no error");
        });
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
        assertThat(e.getMessage()).isEqualTo("credential helper docker-credential-" + name + " (credHelpers in "
                + config(name) + ") " + what);
        assertThat(e.getMessage().split("docker-credential-" + name, -1)).as("named once").hasSize(2);
        assertThat(e.getMessage()).doesNotContain("s3cret").doesNotContain("\n");
        return ms;
    }

    /** Every PID the helpers wrote ({@code count} of them) is gone within 5 s, and no descendant of ours ran one. */
    private void allDead(int count) throws IOException, InterruptedException {
        List<Long> pids = pids();
        assertThat(pids).hasSize(count);
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (long pid : pids) {
            while (running(pid) && System.nanoTime() < until) Thread.sleep(20);
            assertThat(running(pid)).as("helper process %d is still running", pid).isFalse();
        }
        assertThat(ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(tmp.toString()))).isEmpty();
    }

    /** Alive and not a zombie (dead, waiting for its new parent, PID 1, to reap it: it holds nothing any more). */
    private static boolean running(long pid) {
        if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) return false;
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    private List<Long> pids() throws IOException {
        List<Long> out = new ArrayList<>();
        for (Path f : pidFiles) {
            if (!Files.exists(f)) continue;
            for (String line : Files.readAllLines(f)) if (!line.isBlank()) out.add(Long.parseLong(line.trim()));
        }
        return out;
    }
}
