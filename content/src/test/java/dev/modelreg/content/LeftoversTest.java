package dev.modelreg.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Temp directories named by their process: a killed process's are removed by the next one, a live one's are not. */
class LeftoversTest {
    /** The PID of a process that ran and ended (a PID no process has now, barring reuse within the test). */
    static long deadPid() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("true").start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.pid();
    }

    @Test
    void aTempDirSweepsWhatADeadProcessLeftAndIsRemovedByAnInterrupt() throws Exception {
        String prefix = "modelreg-leftovers-test-" + System.nanoTime() + "-";
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path dead = Files.createDirectories(tmp.resolve(prefix + deadPid() + "-abc"));
        Files.writeString(dead.resolve("layer.tar"), "staged by a push that was killed");
        Path live = Files.createDirectories(tmp.resolve(prefix + ProcessHandle.current().parent().orElseThrow().pid() + "-def"));
        Path dir = null;
        try {
            dir = Leftovers.tempDir(prefix);
            assertThat(dir).isDirectory().hasParent(tmp);
            assertThat(dir.getFileName().toString()).startsWith(prefix + ProcessHandle.current().pid() + "-");
            assertThat(dead).as("the killed process's").doesNotExist();
            assertThat(live).as("a running process's").isDirectory();
            assertThat(Cleanup.registered()).contains(dir.toAbsolutePath());
        } finally {
            Leftovers.removeTempDir(dir);
            Trees.deleteQuietly(live);
            Trees.deleteQuietly(dead);
        }
        assertThat(dir).doesNotExist();
        assertThat(Cleanup.registered()).doesNotContain(dir.toAbsolutePath());
    }
}
