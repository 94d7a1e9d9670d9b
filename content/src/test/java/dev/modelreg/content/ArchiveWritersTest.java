package dev.modelreg.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.Descriptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several writers of one OCI archive in one process (threads; other processes: the e2e suite's ArchiveWritersCliTest):
 * each commit reads the archive again under the archive's lock, so every writer's tags and blobs are there afterwards;
 * and the lock file beside the archive is never followed: a link, a directory or a second hard link planted at its
 * name is refused in one line and left untouched.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ArchiveWritersTest {
    @TempDir Path tmp;

    private static final int WRITERS = 6;
    private static final int ROUNDS = 5;

    @Test
    void concurrentWritersLoseNothing() throws Exception {
        OciLayout src = OciLayout.open(tmp.resolve("src"));
        Map<String, Descriptor> want = new TreeMap<>();
        Path tar = tmp.resolve("all.tar");
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                CyclicBarrier start = new CyclicBarrier(WRITERS);
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < WRITERS; i++) {
                    Blobs.Artifact art = Blobs.artifact(round * 100L + i, 2);
                    art.pushTo(src);
                    String tag = "r" + round + "-" + i;
                    want.put(tag, art.root());
                    done.add(pool.submit((Callable<Void>) () -> {
                        try (OciArchive out = OciArchive.open(tar)) {
                            start.await(10, TimeUnit.SECONDS); // every writer has read the archive before any commits
                            Copy.copy(src, art.root(), out, tag, CopyOptions.defaults());
                            out.commit();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) f.get(30, TimeUnit.SECONDS);
                try (OciArchive now = OciArchive.open(tar)) {
                    assertThat(now.tags()).as("round %d", round).containsExactlyInAnyOrderElementsOf(want.keySet());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        try (OciArchive all = OciArchive.open(tar)) {
            OciLayout back = OciLayout.open(tmp.resolve("back"));
            for (var e : want.entrySet()) { // every tag where its writer put it, every blob there (re-verified on the way out)
                assertThat(all.resolve(e.getKey())).isEqualTo(e.getValue());
                Copy.copy(all, e.getKey(), back, e.getKey(), CopyOptions.defaults());
            }
        }
        assertThat(siblings(tar)).as("no lock file, temp file or staging directory left").containsExactlyInAnyOrder("all.tar", "src", "back");
    }

    @Test
    void aPlantedLockFileIsRefusedAndLeftAsItIs() throws Exception {
        OciLayout src = OciLayout.open(tmp.resolve("src"));
        Blobs.Artifact art = Blobs.artifact(7, 1);
        art.pushTo(src);
        Path tar = tmp.resolve("all.tar");
        try (OciArchive out = OciArchive.open(tar)) {
            Copy.copy(src, art.root(), out, "v1", CopyOptions.defaults());
            out.commit();
        }
        byte[] archive = Files.readAllBytes(tar);
        Path lock = tmp.resolve(".all.tar.lock");
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "the victim's own bytes\n");

        Files.createSymbolicLink(lock, victim);
        refused(src, art, tar, "is a symbolic link");
        Files.delete(lock);
        Files.createSymbolicLink(lock, tmp.resolve("absent")); // a dangling link would be created through
        refused(src, art, tar, "is a symbolic link");
        assertThat(tmp.resolve("absent")).doesNotExist();
        Files.delete(lock);
        Files.createLink(lock, victim);
        refused(src, art, tar, "is a file with another hard link");
        Files.delete(lock);
        Files.createDirectory(lock);
        refused(src, art, tar, "is a directory");

        assertThat(Files.readString(victim)).isEqualTo("the victim's own bytes\n");
        assertThat(Files.readAllBytes(tar)).as("the archive").isEqualTo(archive);
        Files.delete(lock);
        try (OciArchive out = OciArchive.open(tar)) { // once it is gone, the writer works
            Copy.copy(src, art.root(), out, "v2", CopyOptions.defaults());
            assertThat(out.commit()).isTrue();
        }
        assertThat(OciArchive.open(tar).tags()).containsExactly("v1", "v2");
        assertThat(siblings(tar)).as("no lock file, staging directory or temp file left").containsExactlyInAnyOrder("all.tar", "src");
    }

    private static void refused(OciLayout src, Blobs.Artifact art, Path tar, String is) throws IOException {
        try (OciArchive out = OciArchive.open(tar)) {
            Copy.copy(src, art.root(), out, "v2", CopyOptions.defaults());
            assertThatThrownBy(out::commit).isInstanceOf(ContentException.class)
                    .hasMessage("oci-archive:" + tar + ": its lock file " + tar.resolveSibling(".all.tar.lock") + " " + is
                            + ", not a lock file of modelreg: refused, left as it is (remove it if no one planted it)");
        }
        assertThat(Files.readString(tar.resolveSibling("victim.txt"), StandardCharsets.UTF_8)).isEqualTo("the victim's own bytes\n");
    }

    private static List<String> siblings(Path file) throws IOException {
        try (Stream<Path> s = Files.list(file.getParent())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("victim.txt")).toList();
        }
    }
}
