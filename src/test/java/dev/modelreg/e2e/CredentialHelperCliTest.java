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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real CLI with the default bound: a {@code pull} from a registry that asks for credentials, whose credential
 * helper never answers (and has started a child), ends after 30 s and before 40 s, exit code 7, one line naming the
 * helper, and leaves none of the helper's processes running. (The other bad helpers, with a 2 s limit, are in
 * content's CredentialHelperBoundsTest.)
 */
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
            Path bin = Files.createDirectories(tmp.resolve("bin"));
            Path helper = bin.resolve("docker-credential-hang");
            Files.writeString(helper, "#!/bin/sh\necho $$ >> " + tmp.resolve("pids") + "\ncat >/dev/null\n"
                    + "sleep 600 & echo $! >> " + tmp.resolve("pids") + "\nwait\n");
            Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path config = Files.createDirectories(tmp.resolve("docker-config")).resolve("config.json");
            Files.writeString(config, "{\"credHelpers\":{\"" + reg.host() + "\":\"hang\"}}");

            Modelreg.Started s = Modelreg.start(tmp, tmp, Modelreg.FAST_JVM,
                    Map.of("PATH", bin + ":" + System.getenv("PATH")),
                    "pull", reg.reference("models/x:v1"), tmp.resolve("out").toString(), "--json");
            started.add(s);
            Modelreg.Run r = s.finish(Duration.ofSeconds(60));

            assertThat(r.code()).as(r.err()).isEqualTo(7);
            String line = "credential helper docker-credential-hang (credHelpers in " + config
                    + ") did not answer within 30 s; stopped it and the processes it started";
            assertThat(r.err().lines().toList()).singleElement().asString()
                    .startsWith("modelreg: error: ").endsWith(line)
                    .satisfies(l -> assertThat(l.split("docker-credential-hang", -1)).hasSize(2));
            assertThat(r.json()).extractingByKey("error").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                    .containsEntry("kind", "unavailable").containsEntry("exitCode", 7L);
            assertThat(r.millis()).as("ends after the helper's 30 s, well before 40 s").isBetween(30_000L, 40_000L);
            System.out.println("CredentialHelperCliTest: pull with a hanging helper ended in " + r.millis() + " ms");
            List<Long> pids = pids();
            assertThat(pids).hasSize(2);
            for (long pid : pids) {
                assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> !zombie(pid)))
                        .as("helper process %d", pid).isEmpty();
            }
        }
    }

    private List<Long> pids() throws IOException {
        Path f = tmp.resolve("pids");
        if (!Files.exists(f)) return List.of();
        return Files.readAllLines(f).stream().filter(l -> !l.isBlank()).map(l -> Long.parseLong(l.trim())).toList();
    }

    /** Dead, waiting for its new parent to reap it. */
    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (IOException e) {
            return true;
        }
    }
}
