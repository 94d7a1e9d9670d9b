package dev.modelreg.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers of one blob in a shared ingest directory (two pulls of the same blob into one cache, spec/README.md 9):
 * while one renames its finished partial into place, the other opens the partial's name to resume it
 * ({@link PartialFile#resumable}). The name may vanish between the opener's looks at it: a name made free, never an
 * error ("ingest/sha256-HEX.partial: no such file or directory" failed such a pull). And the file the opener locked may
 * be the one renamed into place meanwhile, with a new partial at the name: not the opener's to write, rename or delete.
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
    void writersInThreeProcessesNeverWriteEachOthersPartial() throws Exception {
        Path ingest = Files.createDirectories(tmp.resolve("ingest"));
        Path blobs = Files.createDirectories(tmp.resolve("blobs"));
        Path partial = ingest.resolve("sha256-" + "cd".repeat(32) + ".partial");
        String javaBin = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> tags = List.of("FIRST...", "SECOND..");
        List<Process> others = new ArrayList<>();
        List<BufferedReader> outs = new ArrayList<>();
        int held;
        List<String> said = new ArrayList<>();
        try {
            for (String tag : tags) {
                Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), PartialRacer.class.getName(),
                        partial.toString(), blobs.toString(), tag, "5000").redirectErrorStream(true).start();
                others.add(p);
                outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
            }
            for (BufferedReader r : outs) assertThat(r.readLine()).as("another process starts").isEqualTo(PartialRacer.READY);
            held = PartialRacer.race(partial, blobs, "THIS....", 5000); // all three race at once, for 5 s
        } finally {
            for (int i = 0; i < others.size(); i++) {
                said.add(outs.get(i).lines().collect(Collectors.joining("\n")).trim());
                outs.get(i).close();
                if (!others.get(i).waitFor(60, TimeUnit.SECONDS)) others.get(i).destroyForcibly();
            }
        }
        for (int i = 0; i < others.size(); i++) {
            assertThat(others.get(i).exitValue()).as("another process: %s", said.get(i)).isZero();
            assertThat(Integer.parseInt(said.get(i))).as("times another process held the partial").isPositive();
        }
        assertThat(held).as("times this process held the partial").isPositive();
        try (Stream<Path> s = Files.list(blobs)) {
            for (Path b : (Iterable<Path>) s::iterator) {
                assertThat(Files.readString(b)).as("%s: one writer's bytes", b.getFileName()).isIn("THIS....", "FIRST...", "SECOND..");
            }
        }
    }
}
