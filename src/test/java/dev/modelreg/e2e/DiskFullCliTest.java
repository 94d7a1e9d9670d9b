package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up mid-pull: the one-line error names the file being written, so the user knows which file system
 * is full. The CLI runs in a mount namespace of its own ({@code unshare -rm}, util-linux) over a 1 MiB tmpfs, where the
 * cache or the pull target lives, and pulls a 3 MiB file.
 */
class DiskFullCliTest {
    @TempDir Path tmp;
    Path layout;
    Path mnt;

    @BeforeEach
    void setUp() throws Exception {
        Modelreg.bigModel(tmp.resolve("tree/one"), "big.bin", 3 << 20);
        layout = tmp.resolve("layout");
        Modelreg.ok(tmp, "push", tmp.resolve("tree").toString(), "oci-layout:" + layout + ":v1", "--name", "ex");
        mnt = Files.createDirectories(tmp.resolve("small-disk"));
        Process p = new ProcessBuilder("unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs \"$0\"", mnt.toString())
                .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("this test needs unshare (apt-get install -y util-linux) and user namespaces: %s", said)
                .isZero();
    }

    /** {@code modelreg ARGS} with {@link #mnt} a 1 MiB tmpfs of its own. */
    Modelreg.Run onSmallDisk(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("unshare", "-rm", "sh", "-c",
                "mount -t tmpfs -o size=1m tmpfs \"$0\" && exec \"$@\"", mnt.toString()));
        cmd.addAll(Modelreg.command(Modelreg.FAST_JVM, args));
        return Modelreg.startCommand(tmp, tmp, env, cmd, "modelreg " + String.join(" ", args)).finish();
    }

    static String lastLine(String err) {
        String[] lines = err.strip().split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void aFullCacheNamesTheDownloadBeingWritten() throws Exception {
        Path cache = mnt.resolve("cache");
        Modelreg.Run r = onSmallDisk(Map.of("MODELREG_CACHE", cache.toString()), "pull", "oci-layout:" + layout + ":v1",
                tmp.resolve("out").toString());
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(lastLine(r.err())).as(r.err()).startsWith("modelreg: error: " + cache.resolve("ingest") + "/sha256-")
                .endsWith(": No space left on device");
    }

    @Test
    void aFullPullTargetNamesTheFileBeingWritten() throws Exception {
        Path out = mnt.resolve("out");
        Modelreg.Run r = onSmallDisk(Map.of("MODELREG_CACHE", tmp.resolve("cache").toString()), "pull",
                "oci-layout:" + layout + ":v1", out.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(lastLine(r.err())).as(r.err()).startsWith("modelreg: error: " + mnt + "/.out.staging-")
                .endsWith("/one/big.bin: No space left on device");
    }
}
