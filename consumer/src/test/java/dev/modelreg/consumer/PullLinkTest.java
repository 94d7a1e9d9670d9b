package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.content.Hashing;
import dev.modelreg.content.fs.Trees;
import dev.modelreg.content.store.OciLayout;
import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pull --link} and {@code copy --link} (spec/README.md 9.1): a big file is a read-only hard link to its cached
 * blob (one inode: each byte written once), a file listed twice is a third name of it, a small file of a tar layer is
 * written out as usual; verify catches an edit made through the link (which changes the blob too), and the next pull
 * finds the changed blob, removes it from the cache and fetches it again; a target on another file system gets
 * copies, said in one line.
 */
class PullLinkTest {
    @TempDir Path tmp;
    static final Map<String, byte[]> FILES = new LinkedHashMap<>();

    static {
        FILES.put("m/big.bin", bytes(300_000, 1));
        FILES.put("m/twice.bin", bytes(300_000, 1)); // the same blob under a second key
        FILES.put("m/other.bin", bytes(120_000, 2));
        FILES.put("m/mfsim.nam", "BEGIN options\nEND options\n".getBytes(StandardCharsets.UTF_8));
    }

    String ref;
    final List<String> said = new ArrayList<>();

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @BeforeEach
    void publish() throws IOException {
        Path layout = tmp.resolve("layout");
        TestArtifacts.push(OciLayout.open(layout), "v1", FILES, Map.of("m", List.copyOf(FILES.keySet())));
        ref = "oci-layout:" + layout + ":v1";
    }

    ModelReg reg(Path cache) throws IOException {
        return new ModelReg(ModelReg.loadConfig(null, Map.of()), Settings.from(Map.of("MODELREG_CACHE", cache.toString())))
                .onProgress(said::add);
    }

    /** The cache's file of {@code content}'s blob (by path: a {@link Cache} of the test's would register it in use). */
    static Path blob(Path cacheDir, byte[] content) {
        return cacheDir.resolve("blobs/sha256/" + Digest.sha256Of(content).hex());
    }

    static Object ino(Path p) throws IOException {
        return Files.getAttribute(p, "unix:ino");
    }

    static int nlink(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:nlink");
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aLinkedPullWritesEachByteOnceIntoTheCacheAndLinksReadOnlyFiles() throws IOException {
        Path cacheDir = tmp.resolve("cache");
        ModelReg reg = reg(cacheDir);
        Path out = tmp.resolve("out");
        reg.pull(reg.ref(ref), out, Selection.ALL, Placement.LINK);
        for (Map.Entry<String, byte[]> f : FILES.entrySet()) assertThat(out.resolve(f.getKey())).hasBinaryContent(f.getValue());

        Path blob = blob(cacheDir, FILES.get("m/big.bin"));
        assertThat(ino(out.resolve("m/big.bin"))).isEqualTo(ino(blob));
        assertThat(ino(out.resolve("m/twice.bin"))).isEqualTo(ino(blob));
        assertThat(nlink(blob)).isEqualTo(3); // the cache's name, and the two files'
        assertThat(ino(out.resolve("m/other.bin"))).isEqualTo(ino(blob(cacheDir, FILES.get("m/other.bin"))));
        assertThat(mode(out.resolve("m/big.bin"))).isEqualTo("r--r--r--");
        assertThat(mode(blob)).isEqualTo("r--r--r--");
        assertThat(nlink(out.resolve("m/mfsim.nam"))).as("a tar layer's member is written out").isEqualTo(1);
        assertThat(said).noneMatch(m -> m.contains("--link"));

        // again into the same directory (file by file, journaled): still links, the old names replaced
        reg.pull(reg.ref(ref), out, Selection.ALL, Placement.LINK);
        assertThat(ino(out.resolve("m/big.bin"))).isEqualTo(ino(blob));
        assertThat(nlink(blob)).isEqualTo(3);
        try (var s = Files.list(out.resolve("m"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("big.bin", "twice.bin",
                    "other.bin", "mfsim.nam");
        }

        // a default pull is independent of the cache: copies, writable
        Path copies = tmp.resolve("copies");
        reg.pull(reg.ref(ref), copies, Selection.ALL, Placement.COPY);
        assertThat(ino(copies.resolve("m/big.bin"))).isNotEqualTo(ino(blob));
        assertThat(Files.isWritable(copies.resolve("m/big.bin"))).isTrue();
        assertThat(copies.resolve("m/big.bin")).hasBinaryContent(FILES.get("m/big.bin"));

        // clear (a prune) removes the blob's name in the cache only: the linked files are names of their own and stay
        reg.clear(null, null);
        assertThat(blob).doesNotExist();
        assertThat(out.resolve("m/big.bin")).hasBinaryContent(FILES.get("m/big.bin"));
        assertThat(nlink(out.resolve("m/big.bin"))).isEqualTo(2); // big.bin and twice.bin
    }

    @Test
    void verifyCatchesAnEditThroughTheLinkAndTheNextPullFetchesTheBlobAgain() throws IOException {
        Path cacheDir = tmp.resolve("cache");
        ModelReg reg = reg(cacheDir);
        Path ws = tmp.resolve("ws");
        reg.copyFrom(reg.ref(ref), "m", ws, false, Placement.LINK, Selection.ALL);
        Digest big = Digest.sha256Of(FILES.get("m/big.bin"));
        Path blob = blob(cacheDir, FILES.get("m/big.bin"));
        assertThat(ino(ws.resolve("big.bin"))).isEqualTo(ino(blob));
        assertThat(reg.verifyFrom(reg.ref(ref), "m", ws).mismatches()).isEmpty();

        // a model run that unlocks its input and edits it in place: the cache blob is the same inode
        Path edited = ws.resolve("big.bin");
        Files.setPosixFilePermissions(edited, PosixFilePermissions.fromString("rw-r--r--"));
        try (var ch = java.nio.channels.FileChannel.open(edited, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), 10);
        }
        assertThat(Hashing.sha256(blob)).as("the edit went through to the cache").isNotEqualTo(big);
        var v = reg.verifyFrom(reg.ref(ref), "m", ws);
        // twice.bin is another name of the same blob: changed with it
        assertThat(v.mismatches()).extracting(m -> m.path() + " " + m.reason())
                .containsExactly("big.bin modified", "twice.bin modified");

        // the next pull, linked or copied, does not trust the changed blob: removed from the cache, fetched again
        for (Placement how : List.of(Placement.LINK, Placement.COPY)) {
            said.clear();
            Path ws2 = tmp.resolve("ws2-" + how);
            reg.copyFrom(reg.ref(ref), "m", ws2, false, how, Selection.ALL);
            assertThat(ws2.resolve("big.bin")).hasBinaryContent(FILES.get("m/big.bin"));
            assertThat(ws2.resolve("twice.bin")).hasBinaryContent(FILES.get("m/big.bin"));
            assertThat(ino(ws2.resolve("big.bin"))).isNotEqualTo(ino(edited));
            assertThat(Hashing.sha256(blob)).isEqualTo(big);
            if (how == Placement.LINK) {
                assertThat(said).anyMatch(m -> m.contains("cached blob " + big + " was changed in place"));
                // edited again, now through the new link: a copy refuses the blob on its way out or fetches it again
                Path again = ws2.resolve("big.bin");
                Files.setPosixFilePermissions(again, PosixFilePermissions.fromString("rw-r--r--"));
                try (var ch = java.nio.channels.FileChannel.open(again, java.nio.file.StandardOpenOption.WRITE)) {
                    ch.write(java.nio.ByteBuffer.wrap(new byte[] {9}), 0);
                }
            }
        }
        assertThat(ws.resolve("big.bin")).as("the edited workspace keeps its own name").exists();
        assertThat(Hashing.sha256(ws.resolve("big.bin"))).isNotEqualTo(big);

        // an edit made through the cache blob itself: verify hashes the workspace, it does not trust the cache
        Path ws3 = tmp.resolve("ws3");
        reg.copyFrom(reg.ref(ref), "m", ws3, false, Placement.LINK, Selection.ALL);
        Path other = blob(cacheDir, FILES.get("m/other.bin"));
        assertThat(ino(ws3.resolve("other.bin"))).isEqualTo(ino(other));
        Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rw-r--r--"));
        try (var ch = java.nio.channels.FileChannel.open(other, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {7}), 5);
        }
        assertThat(reg.verifyFrom(reg.ref(ref), "m", ws3).mismatches()).extracting(m -> m.path() + " " + m.reason())
                .containsExactly("other.bin modified");
    }

    @Test
    void aTargetOnAnotherFileSystemGetsCopiesSaidOnce() throws IOException {
        Path shm = Path.of("/dev/shm");
        assertThat(Files.isDirectory(shm)).as("a tmpfs at /dev/shm, another file system than %s", tmp).isTrue();
        Path cacheDir = Files.createTempDirectory(shm, "modelreg-link-test-");
        try {
            assertThat(Files.getFileStore(cacheDir)).as("the test needs two file systems").isNotEqualTo(Files.getFileStore(tmp));
            ModelReg reg = reg(cacheDir);
            Path out = tmp.resolve("out");
            reg.pull(reg.ref(ref), out, Selection.ALL, Placement.LINK);
            for (Map.Entry<String, byte[]> f : FILES.entrySet()) assertThat(out.resolve(f.getKey())).hasBinaryContent(f.getValue());
            assertThat(nlink(out.resolve("m/big.bin"))).isEqualTo(1);
            assertThat(nlink(blob(cacheDir, FILES.get("m/big.bin")))).isEqualTo(1);
            assertThat(said.stream().filter(m -> m.startsWith("--link:"))).containsExactly("--link: " + out.toAbsolutePath()
                    + " is on another file system than the cache (" + cacheDir + "): files are copied instead");

            // into the existing directory, file by file: the same, said once again
            said.clear();
            reg.pull(reg.ref(ref), out, Selection.ALL, Placement.LINK);
            assertThat(said.stream().filter(m -> m.startsWith("--link:"))).hasSize(1);
            assertThat(out.resolve("m/twice.bin")).hasBinaryContent(FILES.get("m/twice.bin"));
        } finally {
            Trees.delete(cacheDir);
        }
    }
}
