package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.modelreg.content.store.OciLayout;
import dev.modelreg.spec.Digest;
import dev.modelreg.testkit.Victims;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directory a workspace or pull target lives in, the target itself and the cache may be shared: someone who can
 * write them plants a symbolic link where {@code copy}, {@code pull} or {@code verify} is about to write
 * (spec/README.md 9.2). Each case plants links, runs the command, and checks that the victim's file and directory
 * are byte for byte what they were and that the command wrote its own files (or refused in one line).
 */
class PlantedLinksPullTest {
    @TempDir Path tmp;
    Victims victims;
    Path victimFile;
    Path victimDir;
    static final Map<String, byte[]> FILES = new LinkedHashMap<>();

    static {
        byte[] big = new byte[200_000];
        new Random(7).nextBytes(big);
        FILES.put("m/big.bin", big);
        FILES.put("m/a.txt", "file a\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("m/sub/b.txt", "file b\n".getBytes(StandardCharsets.UTF_8));
    }

    String ref;

    @BeforeEach
    void setUp() throws IOException {
        victims = Victims.in(tmp);
        victimFile = victims.file();
        victimDir = victims.dir();
        Path layout = tmp.resolve("layout");
        TestArtifacts.push(OciLayout.open(layout), "v1", FILES, Map.of("m", List.copyOf(FILES.keySet())));
        ref = "oci-layout:" + layout + ":v1";
    }

    ModelReg consumer() throws java.io.IOException {
        return new ModelReg(ModelReg.loadConfig(null, Map.of()),
                Settings.from(Map.of("MODELREG_CACHE", tmp.resolve("cache").toString())));
    }

    Map<String, String> victims() throws IOException {
        return victims.state();
    }

    static Path plant(Path link, Path target) throws IOException {
        return Victims.plant(link, target);
    }

    static long deadPid() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("true").start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.pid();
    }

    void assertPulled(Path dir) throws IOException {
        for (Map.Entry<String, byte[]> f : FILES.entrySet()) {
            Path p = dir.resolve(f.getKey());
            assertThat(Files.isSymbolicLink(p)).as(f.getKey()).isFalse();
            assertThat(Files.readAllBytes(p)).as(f.getKey()).isEqualTo(f.getValue());
        }
    }

    @Test
    void aLockFileLinkedToAFileOfTheVictimsIsNeverWrittenThroughByCopyPullOrVerify() throws IOException {
        Map<String, String> before = victims();
        Path ws = tmp.resolve("work/ws");
        Path lock = plant(tmp.resolve("work/.ws.lock"), victimFile);
        ModelReg reg = consumer();

        reg.copyFrom(ref, "m", ws, false);
        assertThat(victims()).as("after copy").isEqualTo(before);
        assertThat(Files.exists(lock, LinkOption.NOFOLLOW_LINKS)).as("the lock is removed after the copy").isFalse();

        plant(lock, victimFile);
        assertThat(reg.verifyFrom(ref, "m", ws).ok()).isTrue();
        assertThat(victims()).as("after verify").isEqualTo(before);

        Path out = tmp.resolve("work/out");
        Path pullLock = plant(tmp.resolve("work/.out.lock"), victimFile);
        reg.pull(ref, out, List.of());
        assertThat(victims()).as("after pull").isEqualTo(before);
        assertThat(Files.exists(pullLock, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertPulled(out);
    }

    @Test
    void aSymlinkedSubdirectoryOfAPullTargetIsRefusedInOneLineAndNothingIsWrittenThrough() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("README"), "the target is not empty: the pull writes file by file");
        Path m = plant(out.resolve("m"), victimDir);
        Map<String, String> before = victims();

        Throwable t = catchThrowable(() -> consumer().pull(ref, out, List.of()));

        assertThat(t).isInstanceOf(ConsumerException.class).hasMessageNotContaining("\n")
                .hasMessageContaining(m + " is a symbolic link: modelreg does not write through links");
        assertThat(((ConsumerException) t).kind()).isEqualTo(dev.modelreg.content.ContentException.Kind.INVALID);
        assertThat(victims()).isEqualTo(before);
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("README", "m");
        }

        // deeper: m is a directory, m/sub a link
        Files.delete(m);
        Path sub = plant(out.resolve("m/sub"), victimDir);
        t = catchThrowable(() -> consumer().pull(ref, out, List.of()));
        assertThat(t).hasMessageContaining(sub + " is a symbolic link");
        assertThat(victims()).isEqualTo(before);
    }

    @Test
    void aSymlinkedFileInAPullTargetIsReplacedByTheFileNotWrittenThrough() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        plant(out.resolve("m/a.txt"), victimFile);
        plant(out.resolve("m/big.bin"), victimFile);
        Map<String, String> before = victims();

        consumer().pull(ref, out, List.of());

        assertThat(victims()).isEqualTo(before);
        assertPulled(out);
    }

    @Test
    void leftoversOfADeadProcessThatAreLinksAreRemovedNeverFollowedOrPutInPlace() throws Exception {
        long dead = deadPid();
        Path work = Files.createDirectories(tmp.resolve("work"));
        plant(work.resolve(".out.old-" + dead + "-abc"), victimDir); // "the previous target, moved aside"
        plant(work.resolve(".out.staging-" + dead + "-abc"), victimDir);
        plant(work.resolve(".out.blobs-" + dead + "-abc"), victimDir);
        Map<String, String> before = victims();

        consumer().pull(ref, work.resolve("out"), List.of());

        assertThat(victims()).isEqualTo(before);
        assertThat(Files.isSymbolicLink(work.resolve("out"))).as("the pull target is not the planted link").isFalse();
        assertPulled(work.resolve("out"));
        try (Stream<Path> s = Files.list(work)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("out");
        }
    }

    @Test
    void linksPlantedInASharedCacheAreReplacedNotWrittenThrough() throws IOException {
        Path cache = tmp.resolve("cache");
        Digest big = Digest.sha256Of(FILES.get("m/big.bin"));
        plant(cache.resolve("ingest/sha256-" + big.hex() + ".partial"), victimFile);
        plant(cache.resolve("sources"), victimDir);
        Map<String, String> before = victims();
        Path boot = tmp.resolve("sources.toml");
        Files.writeString(boot, "[sources.ex]\nname = \"example\"\noci = \"" + ref.substring(0, ref.lastIndexOf(':'))
                + "\"\nrefs = [\"v1\"]\n");
        ModelReg reg = new ModelReg(ModelReg.loadConfig(boot, Map.of()),
                Settings.from(Map.of("MODELREG_CACHE", cache.toString())));

        reg.sync("ex", null, false);
        reg.copy("ex@v1/m", tmp.resolve("ws"), false);

        assertThat(victims()).isEqualTo(before);
        assertThat(Files.isSymbolicLink(cache.resolve("sources"))).isFalse();
        assertThat(cache.resolve("sources")).isDirectory();
        Path blob = cache.resolve("blobs/sha256/" + big.hex());
        assertThat(Files.isSymbolicLink(blob)).as("the cached blob is no link into user space").isFalse();
        assertThat(Files.readAllBytes(blob)).isEqualTo(FILES.get("m/big.bin"));
        assertThat(Files.readAllBytes(tmp.resolve("ws/big.bin"))).isEqualTo(FILES.get("m/big.bin"));
    }
}
