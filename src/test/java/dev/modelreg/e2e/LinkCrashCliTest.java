package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.content.Hashing;
import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code pull --link} of v2 into a directory whose files are links to v1's cache blobs, halted between its renames
 * ({@code pull.rename-2}, as kill -9): the next command finishes it, or rolls it back when a staged link was lost;
 * either way every file is wholly one ref's and still a read-only name of its cache blob, and no blob was written
 * (spec/README.md 9.1, 9.2).
 */
class LinkCrashCliTest {
    static final int KILLED = 137;
    @TempDir Path tmp;

    Modelreg.Run run(String crashAt, String... args) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>(Map.of("MODELREG_CACHE", tmp.resolve("cache").toString()));
        if (crashAt != null) env.put("MODELREG_TEST_CRASH_AT", crashAt);
        return Modelreg.run(tmp, Modelreg.FAST_JVM, env, args);
    }

    /** A model {@code one} with two files of 1 MiB (a layer each: linked) whose bytes depend on {@code seed}. */
    Path tree(String name, int seed) throws IOException {
        Path m = Files.createDirectories(tmp.resolve(name).resolve("one"));
        Files.writeString(m.resolve("mfsim.nam"), "BEGIN options\nEND options\n");
        for (String f : List.of("k1.bin", "k2.bin")) {
            byte[] b = new byte[1 << 20];
            new Random(seed++).nextBytes(b);
            Files.write(m.resolve(f), b);
        }
        return m.getParent();
    }

    @Test
    void aLinkedPullKilledBetweenItsRenamesIsFinishedOrRolledBackAndNoBlobIsWritten() throws Exception {
        String ref1 = "oci-layout:" + tmp.resolve("layout") + ":v1";
        String ref2 = "oci-layout:" + tmp.resolve("layout") + ":v2";
        Path v1 = tree("a", 1);
        Path v2 = tree("b", 10);
        for (String[] p : List.of(new String[] {v1.toString(), ref1}, new String[] {v2.toString(), ref2})) {
            Modelreg.Run push = run(null, "push", p[0], p[1], "--name", "ex");
            assertThat(push.code()).as(push.err()).isZero();
        }
        for (boolean lose : List.of(false, true)) {
            Path dir = tmp.resolve("dir-" + lose);
            Modelreg.Run first = run(null, "pull", "--link", ref1, dir.toString());
            assertThat(first.code()).as(first.err()).isZero();
            Modelreg.Run killed = run("pull.rename-2", "pull", "--link", ref2, dir.toString());
            assertThat(killed.code()).as(killed.err()).isEqualTo(KILLED);
            assertThat(dir.resolve(".modelreg-pull.journal")).exists();
            if (lose) {
                try (Stream<Path> s = Files.list(dir.resolve("one"))) {
                    Files.delete(s.filter(p -> p.getFileName().toString().startsWith(".k2.bin.")
                            && !p.getFileName().toString().endsWith("o.partial")).findFirst().orElseThrow());
                }
            }
            Modelreg.Run after = run(null, "verify", "--from", ref2, "ex/one", dir.resolve("one").toString());
            assertThat(after.err()).contains("interrupted pull of " + ref2).contains(lose ? ": rolled back" : ": finished");
            assertThat(after.code()).as(after.err()).isEqualTo(lose ? 2 : 0); // rolled back: v1's files, not v2's
            Path want = lose ? v1 : v2;
            for (String f : List.of("one/k1.bin", "one/k2.bin")) {
                Path file = dir.resolve(f);
                assertThat(file).as(lose + " " + f).hasSameBinaryContentAs(want.resolve(f));
                Path blob = tmp.resolve("cache/blobs/sha256/" + Hashing.sha256(want.resolve(f)).hex());
                assertThat(Files.getAttribute(file, "unix:ino")).as("%s is a name of its blob", f)
                        .isEqualTo(Files.getAttribute(blob, "unix:ino"));
            }
            try (Stream<Path> s = Files.walk(dir)) {
                assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".partial") || n.endsWith(".journal")))
                        .isEmpty();
            }
        }
        // no blob was written through a link: each still hashes to its name
        try (Stream<Path> s = Files.list(tmp.resolve("cache/blobs/sha256"))) {
            for (Path b : s.toList()) assertThat(Hashing.sha256(b)).isEqualTo(Digest.parse("sha256:" + b.getFileName()));
        }
    }
}
