package dev.modelreg.content;

import dev.modelreg.content.fs.Cleanup;
import dev.modelreg.content.fs.Leftovers;
import dev.modelreg.content.fs.Trees;
import dev.modelreg.content.Blobs;
import dev.modelreg.content.store.OciLayout;
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

    /**
     * A layout's index.json and oci-layout are written through temp files in ingest/ named by their process; the next
     * tag of the layout (under the index lock) removes those of dead processes and the PID-less ones earlier versions
     * left, and keeps a live process's.
     */
    @Test
    void aLayoutsIndexTempFilesAreNamedByTheirProcessAndSweptByTheNextTag() throws Exception {
        Path dir = Files.createTempDirectory("modelreg-leftovers-layout-");
        try {
            Blobs.Artifact a = Blobs.artifact(31, 1);
            OciLayout layout = OciLayout.open(dir);
            a.pushTo(layout);
            Path ingest = dir.resolve("ingest");
            long dead = deadPid();
            long live = ProcessHandle.current().parent().orElseThrow().pid();
            Path[] stale = {ingest.resolve("index.json-3k2j1h.partial"), ingest.resolve("oci-layout-9f8e7d.partial"),
                    ingest.resolve(".index.json." + dead + "-abc.partial"), ingest.resolve(".oci-layout." + dead + "-def.partial")};
            for (Path p : stale) Files.writeString(p, "left by a killed writer");
            Path alive = Files.writeString(ingest.resolve(".index.json." + live + "-ghi.partial"), "a live writer's");

            layout.tag(a.root(), "v1");

            for (Path p : stale) assertThat(p).as(p.getFileName().toString()).doesNotExist();
            assertThat(alive).exists();
            try (java.util.stream.Stream<Path> s = Files.list(ingest)) {
                assertThat(s.map(p -> p.getFileName().toString()))
                        .containsExactlyInAnyOrder("index.lock", alive.getFileName().toString());
            }
        } finally {
            Trees.deleteQuietly(dir);
        }
    }
}
