package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.content.Copy;
import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.store.OciArchive;
import dev.modelreg.content.store.OciLayout;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.ImageIndex;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.testkit.HostileRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Concurrent writers of one OCI archive, as separate processes (spec 10.1: a commit reads the archive again while it
 * holds {@code .FILE.lock}): 6 {@code mirror ... oci-archive:FILE:TAG} at once, 5 rounds into the same archive (the
 * first creates it), then 6 {@code tag} of one archive at once. Every process exits 0 and every tag it set is there
 * afterwards, naming its manifest, with every blob (re-verified on the way out); no process fails as an integrity
 * error; nothing is left beside the archive.
 */
@Isolated // it starts 6 CLI processes at once, 6 times, under a time limit.
class ArchiveWritersCliTest {
    private static final Duration LIMIT = Duration.ofSeconds(40);
    private static final int WRITERS = 6;
    private static final int ROUNDS = 5;

    @TempDir Path tmp;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrentWritersOfOneArchiveLoseNothing() throws Exception {
        long t0 = System.nanoTime();
        Path src = tmp.resolve("src");
        Map<String, Descriptor> sources = artifacts(src);
        Path tar = tmp.resolve("site/all.tar");
        Map<String, Descriptor> want = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        int runs = 0;
        for (int round = 0; round < ROUNDS; round++) {
            List<List<String>> commands = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                String from = "a" + round + "-" + i;
                String to = "r" + round + "-" + i;
                commands.add(List.of("mirror", "oci-layout:" + src + ":" + from, "oci-archive:" + tar + ":" + to));
                want.put(to, sources.get(from));
            }
            runs += WRITERS;
            problems.addAll(check("round " + round, Modelreg.all(tmp, Map.of(), LIMIT, commands), commands));
            problems.addAll(missing("round " + round, tar, want));
        }

        Descriptor first = want.get("r0-0");
        List<List<String>> tagCommands = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            tagCommands.add(List.of("tag", "oci-archive:" + tar + ":r0-0", "t" + i));
            want.put("t" + i, first);
        }
        runs += WRITERS;
        problems.addAll(check("tag", Modelreg.all(tmp, Map.of(), LIMIT, tagCommands), tagCommands));
        problems.addAll(missing("tag", tar, want));

        // every blob of every tag is in the archive: each copied out, verified
        OciLayout back = OciLayout.open(tmp.resolve("back"));
        try (OciArchive a = OciArchive.open(tar)) {
            for (String tag : want.keySet()) if (a.tags().contains(tag)) Copy.copy(a, tag, back, tag, CopyOptions.defaults());
        }
        try (Stream<Path> s = Files.list(tar.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).as("beside the archive").containsExactly("all.tar");
        }
        System.out.printf("ArchiveWritersCliTest: %d processes (%d rounds of %d mirrors, then %d tags) into one archive"
                + " in %d s, %d problems%n", runs, ROUNDS, WRITERS, WRITERS, (System.nanoTime() - t0) / 1_000_000_000,
                problems.size());
        assertThat(problems).as("concurrent writers of one archive").isEmpty();
    }

    /** Every run exited 0; none failed as an integrity error. */
    private static List<String> check(String label, List<Modelreg.Run> runs, List<List<String>> commands) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Modelreg.Run r = runs.get(i);
            if (r.code() != 0) {
                problems.add(label + ": modelreg " + String.join(" ", commands.get(i)) + " exited " + r.code() + ": " + r.err().strip());
            }
        }
        return problems;
    }

    /** The tags of {@code want} the archive does not have where they should point. */
    private static List<String> missing(String label, Path tar, Map<String, Descriptor> want) throws IOException {
        Map<String, Digest> got = new TreeMap<>();
        try (OciArchive a = OciArchive.open(tar)) {
            for (ImageIndex.Named n : a.refs()) got.put(n.tag(), n.manifest().digest());
        }
        List<String> problems = new ArrayList<>();
        for (var e : want.entrySet()) {
            if (!e.getValue().digest().equals(got.get(e.getKey()))) {
                problems.add(label + ": tag " + e.getKey() + " is " + (got.containsKey(e.getKey()) ? "at " + got.get(e.getKey()) : "lost"));
            }
        }
        return problems;
    }

    /** One small artifact per writer and round (its own config and layer), tagged a{round}-{i} in a layout. */
    private static Map<String, Descriptor> artifacts(Path dir) throws IOException {
        OciLayout l = OciLayout.open(dir);
        Map<String, Descriptor> out = new TreeMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < WRITERS; i++) {
                String tag = "a" + round + "-" + i;
                Descriptor config = put(l, MediaTypes.CONFIG, "[files]\n# " + tag + "\n");
                Descriptor file = put(l, MediaTypes.FILE_LAYER, ("the model file of " + tag + "\n").repeat(100));
                Descriptor root = put(l, MediaTypes.OCI_MANIFEST,
                        new String(HostileRegistry.manifestBytes(config, List.of(file)), StandardCharsets.UTF_8));
                l.tag(root, tag);
                out.put(tag, root);
            }
        }
        return out;
    }

    private static Descriptor put(OciLayout l, String mediaType, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        Descriptor d = Descriptor.of(mediaType, Digest.sha256Of(b), b.length);
        l.push(d, new ByteArrayInputStream(b));
        return d;
    }
}
