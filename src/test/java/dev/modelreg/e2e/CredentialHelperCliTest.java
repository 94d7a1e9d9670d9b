package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.testkit.RegistryFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The real CLI with the default bound: a {@code pull} from a registry that asks for credentials, whose credential
 * helper never answers (and has started a child), ends after 30 s and before 40 s, exit code 7, one line naming the
 * helper, and leaves none of the helper's processes running; a pull stopped by SIGTERM while the helper runs
 * takes the helper with it. (The other bad helpers, with a 2 s limit, are in content's CredentialHelperBoundsTest.)
 */
@Isolated // it bounds the time of a pull (30 to 40 s).
class CredentialHelperCliTest {
    @TempDir Path tmp;
    private final List<Modelreg.Started> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws Exception {
        for (Modelreg.Started s : started) s.kill();
        for (long pid : pids()) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    void aHelperThatNeverAnswersEndsAPullAfterTheDefault30Seconds() throws Exception {
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.BASIC_AUTH, tmp.resolve("reg"))) {
            Path config = hangingHelper(reg);
            Modelreg.Run r = pull(reg).finish(Duration.ofSeconds(60));

            assertThat(r.code()).as(r.err()).isEqualTo(7);
            String line = "credential helper docker-credential-hang (credHelpers in " + config
                    + ") did not answer within 30 s; stopped it and the processes it started";
            assertThat(r.err().lines().toList()).singleElement().asString()
                    .startsWith("modelreg: error: ").endsWith(line)
                    .satisfies(l -> assertThat(l.split("docker-credential-hang", -1)).hasSize(2));
            assertThat(r.json()).extractingByKey("error").asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsEntry("kind", "unavailable").containsEntry("exitCode", 7L);
            assertThat(r.millis()).as("ends after the helper's 30 s, well before 40 s").isBetween(30_000L, 40_000L);
            System.out.println("CredentialHelperCliTest: pull with a hanging helper ended in " + r.millis() + " ms");
            helperGone();
        }
    }

    @Test
    void aPullStoppedWhileItsHelperRunsTakesTheHelperWithIt() throws Exception {
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.BASIC_AUTH, tmp.resolve("reg"))) {
            hangingHelper(reg);
            Modelreg.Started s = pull(reg);
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (pids().size() < 2 && System.nanoTime() < until) Thread.sleep(50);
            assertThat(pids()).as("the helper and its child started").hasSize(2);
            s.process().destroy(); // SIGTERM, to the JVM only (not to its process group, as a terminal's Ctrl-C is)
            Modelreg.Run r = s.finish(Duration.ofSeconds(20));
            assertThat(r.code()).as(r.err()).isEqualTo(143);
            assertThat(r.json()).as("one document: the interruption, not also a helper failure").extractingByKey("error")
                    .asInstanceOf(InstanceOfAssertFactories.MAP).containsEntry("kind", "interrupted");
            assertThat(r.err()).doesNotContain("docker-credential-hang");
            helperGone();
        }
    }

    /** docker-credential-hang (it starts a child and waits for it), for the registry's host; its docker config. */
    private Path hangingHelper(RegistryFixture reg) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path helper = bin.resolve("docker-credential-hang");
        Files.writeString(helper, "#!/bin/sh\necho $$ >> " + tmp.resolve("pids") + "\ncat >/dev/null\n"
                + "sleep 600 & echo $! >> " + tmp.resolve("pids") + "\nwait\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path config = Files.createDirectories(tmp.resolve("docker-config")).resolve("config.json");
        Files.writeString(config, "{\"credHelpers\":{\"" + reg.host() + "\":\"hang\"}}");
        return config;
    }

    private Modelreg.Started pull(RegistryFixture reg) throws IOException {
        Modelreg.Started s = Modelreg.start(tmp, tmp, Modelreg.FAST_JVM,
                Map.of("PATH", tmp.resolve("bin") + ":" + System.getenv("PATH")),
                "pull", reg.reference("models/x:v1"), tmp.resolve("out").toString(), "--json");
        started.add(s);
        return s;
    }

    /** Both of the helper's processes are dead (or dead and not yet reaped) within 5 s. */
    private void helperGone() throws IOException, InterruptedException {
        List<Long> pids = pids();
        assertThat(pids).hasSize(2);
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (long pid : pids) {
            while (running(pid) && System.nanoTime() < until) Thread.sleep(20);
            assertThat(running(pid)).as("helper process %d is still running", pid).isFalse();
        }
    }

    private List<Long> pids() throws IOException {
        Path f = tmp.resolve("pids");
        if (!Files.exists(f)) return List.of();
        return Files.readAllLines(f).stream().filter(l -> !l.isBlank()).map(l -> Long.parseLong(l.trim())).toList();
    }

    /** Alive and not a zombie (dead, waiting for its new parent to reap it). */
    private static boolean running(long pid) {
        if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) return false;
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
