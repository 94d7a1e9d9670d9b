package dev.modelreg.content;

import dev.modelreg.content.fs.ExclusiveLock;
import dev.modelreg.content.store.OciArchive;
import dev.modelreg.content.store.OciLayout;
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
 * and the lock file beside the archive is never followed: a link or a second hard link planted at its name is removed,
 * a directory there refused in one line.
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

    /**
     * The lock file is modelreg's own (ExclusiveLock, SafeFiles.openOwn): a symbolic link (dangling or not) or a second
     * hard link planted at its name is removed and never followed, so the victim is untouched and the commit goes on; a
     * directory there is refused in one line.
     */
    @Test
    void aPlantedLockFileIsNeverFollowed() throws Exception {
        OciLayout src = OciLayout.open(tmp.resolve("src"));
        Blobs.Artifact art = Blobs.artifact(7, 1);
        art.pushTo(src);
        Path tar = tmp.resolve("all.tar");
        try (OciArchive out = OciArchive.open(tar)) {
            Copy.copy(src, art.root(), out, "v1", CopyOptions.defaults());
            out.commit();
        }
        Path lock = tmp.resolve(".all.tar.lock");
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "the victim's own bytes\n");

        Files.createSymbolicLink(lock, victim);
        commits(src, art, tar, "v2");
        Files.createSymbolicLink(lock, tmp.resolve("absent")); // a dangling link would be created through
        commits(src, art, tar, "v3");
        assertThat(tmp.resolve("absent")).doesNotExist();
        Files.createLink(lock, victim);
        commits(src, art, tar, "v4");
        assertThat(Files.readString(victim)).isEqualTo("the victim's own bytes\n");

        byte[] archive = Files.readAllBytes(tar);
        Files.createDirectory(lock);
        try (OciArchive out = OciArchive.open(tar)) {
            Copy.copy(src, art.root(), out, "v5", CopyOptions.defaults());
            assertThatThrownBy(out::commit).isInstanceOf(ContentException.class)
                    .hasMessage(lock + " is a directory where modelreg writes a file (remove it)");
        }
        assertThat(Files.readAllBytes(tar)).as("the archive").isEqualTo(archive);
        Files.delete(lock);
        assertThat(OciArchive.open(tar).tags()).containsExactly("v1", "v2", "v3", "v4");
        assertThat(siblings(tar)).as("no lock file, staging directory or temp file left")
                .containsExactlyInAnyOrder("all.tar", "src");
    }

    private static void commits(OciLayout src, Blobs.Artifact art, Path tar, String tag) throws IOException {
        try (OciArchive out = OciArchive.open(tar)) {
            Copy.copy(src, art.root(), out, tag, CopyOptions.defaults());
            assertThat(out.commit()).isTrue();
        }
        assertThat(tar.resolveSibling(".all.tar.lock")).as("the planted lock file is gone").doesNotExist();
        assertThat(Files.exists(tar.resolveSibling(".all.tar.lock"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    /** The archive's lock holds for other processes while a commit holds it. */
    @Test
    void anotherProcessSeesTheArchiveLockHeld() throws Exception {
        Path tar = tmp.resolve("all.tar");
        Path lock = tmp.resolve(".all.tar.lock");
        try (ExclusiveLock l = ExclusiveLock.acquire(lock, "oci-archive:" + tar)) {
            assertThat(dev.modelreg.testkit.LockProbe.heldByAnotherProcess(lock)).isTrue();
        }
        assertThat(lock).doesNotExist();
    }

    private static List<String> siblings(Path file) throws IOException {
        try (Stream<Path> s = Files.list(file.getParent())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("victim.txt")).toList();
        }
    }
}
