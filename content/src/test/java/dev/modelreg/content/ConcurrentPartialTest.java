package dev.modelreg.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two writers of one blob in a shared ingest directory: while one renames its finished partial into place, the other
 * opens the partial's name to resume it ({@link PartialFile#resumable}). The name may vanish
 * between the opener's looks at it; that is a name made free, never an error ("ingest/sha256-HEX.partial: no such file
 * or directory" failed a pull racing another pull of the same blob).
 */
class ConcurrentPartialTest {
    @TempDir Path tmp;

    @Test
    @Timeout(60)
    void openingAPartialThatAnotherWriterRenamesIntoPlaceNeverFails() throws Exception {
        Path ingest = Files.createDirectories(tmp.resolve("ingest"));
        Path blobs = Files.createDirectories(tmp.resolve("blobs"));
        Path partial = ingest.resolve("sha256-" + "ab".repeat(32) + ".partial");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<Throwable> committerFailed = new AtomicReference<>();
        // the other writer: its partial appears under the name and is renamed into place, again and again
        Thread committer = new Thread(() -> {
            try {
                for (long i = 0; running.get(); i++) {
                    try {
                        Files.write(partial, new byte[] {1});
                    } catch (java.nio.file.FileSystemException e) {
                        continue; // the opener's file: both are a writer's partial
                    }
                    try {
                        Files.move(partial, blobs.resolve("b" + (i % 4)), StandardCopyOption.ATOMIC_MOVE,
                                StandardCopyOption.REPLACE_EXISTING);
                    } catch (java.nio.file.NoSuchFileException e) {
                        // moved by the opener's turn below: fine
                    }
                }
            } catch (Throwable t) {
                committerFailed.set(t);
            }
        });
        committer.start();
        int opened = 0;
        Throwable failed = null;
        long end = System.nanoTime() + 5_000_000_000L;
        try {
            for (int i = 0; i < 200_000 && System.nanoTime() < end; i++) {
                try {
                    PartialFile p = PartialFile.resumable(partial); // null: the other writer holds it
                    if (p != null) p.close(true);
                    opened++;
                } catch (Throwable t) {
                    failed = t;
                    break;
                }
            }
        } finally {
            running.set(false);
            committer.join();
        }
        assertThat(committerFailed.get()).as("the committing writer").isNull();
        if (failed != null) throw new AssertionError("opening the partial's name failed after " + opened + " opens", failed);
        assertThat(opened).isPositive();
    }

    @Test
    @Timeout(120)
    void twoProcessesWritingOnePartialNeverWriteTheOthersFile() throws Exception {
        Path ingest = Files.createDirectories(tmp.resolve("ingest"));
        Path blobs = Files.createDirectories(tmp.resolve("blobs"));
        Path partial = ingest.resolve("sha256-" + "cd".repeat(32) + ".partial");
        String javaBin = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process other = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), PartialRacer.class.getName(),
                partial.toString(), blobs.toString(), "OTHER...", "4000")
                .redirectErrorStream(true).start();
        int held;
        String out;
        try {
            held = PartialRacer.race(partial, blobs, "THIS....", 4000);
        } finally {
            out = new String(other.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (!other.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) other.destroyForcibly();
        }
        assertThat(other.exitValue()).as("the other process: %s", out).isZero();
        assertThat(held).as("times this process held the partial").isPositive();
        assertThat(Integer.parseInt(out)).as("times the other process held it").isPositive();
        try (java.util.stream.Stream<Path> s = Files.list(blobs)) {
            for (Path b : (Iterable<Path>) s::iterator) {
                assertThat(Files.readString(b)).as("%s: one writer's bytes", b.getFileName()).isIn("THIS....", "OTHER...");
            }
        }
    }
}
