package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.content.BlobSink;
import dev.modelreg.content.ContentException;
import dev.modelreg.content.fs.Trees;
import dev.modelreg.publisher.ReproducibleTar;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.testkit.Fuzz;
import dev.modelreg.testkit.TarMutator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded fuzzing of tar layers as the consumer reads them ({@link TarLayers#sink}, fed in random chunks as a download
 * would): layers written by the publisher's {@link ReproducibleTar}, mutated by {@link TarMutator} (traversal and
 * absolute names, links, devices, duplicates, PAX and long-name headers, huge sizes, truncations, bit flips). A layer is
 * accepted only with every wanted file written, verified, byte for byte; or refused with a ContentException. Either
 * way, nothing but the wanted files appears in the output directory. 1000 cases by default (see {@link Fuzz}).
 */
class TarLayersFuzzTest {
    @TempDir Path tmp;

    final Map<String, byte[]> files = new LinkedHashMap<>();

    byte[] layer(List<String> names) throws IOException {
        List<ReproducibleTar.Member> members = new ArrayList<>();
        for (String n : names) {
            Path f = tmp.resolve("src").resolve(Integer.toString(members.size()));
            Files.createDirectories(f.getParent());
            Files.write(f, files.get(n));
            members.add(new ReproducibleTar.Member(n, f, files.get(n).length, Digest.sha256Of(files.get(n))));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReproducibleTar.write(out, members, 0);
        return out.toByteArray();
    }

    final Map<String, FileEntry> hashes = new LinkedHashMap<>();
    final Map<String, Path> dests = new LinkedHashMap<>();

    @Test
    void mutatedLayersWriteOnlyVerifiedWantedFilesOrAreRefused() throws Exception {
        Random r = new Random(9);
        for (String n : List.of("a/mfsim.nam", "a/gwf/model.dis", "a/gwf/k.bin", "b/wel.txt", "unwanted/x.dat",
                "deep/" + "d".repeat(120) + "/" + "e".repeat(90) + ".txt", "g/" + "n".repeat(140))) {
            byte[] b = new byte[n.endsWith(".bin") ? 5000 : r.nextInt(1200)];
            r.nextBytes(b);
            files.put(n, b);
        }
        files.forEach((n, b) -> hashes.put(n, new FileEntry(Digest.sha256Of(b), null, null, (long) b.length)));
        for (String n : files.keySet()) if (!n.startsWith("unwanted/")) dests.put(n, tmp.resolve("out/f" + dests.size()));
        List<String> names = new ArrayList<>(files.keySet());
        List<byte[]> seeds = new ArrayList<>(List.of(layer(names)));
        java.util.Collections.reverse(names);
        seeds.add(layer(names));
        for (byte[] seed : seeds) read(seed, 0); // the seeds are accepted, every wanted file written

        try (Fuzz fuzz = Fuzz.of("tar-layers", 20261214L, 1000).maxAllocatedBytes(64L << 20)) {
            Fuzz.Report report = fuzz.run(
                    (rnd, i) -> TarMutator.mutate(seeds.get(rnd.nextInt(seeds.size())), rnd),
                    this::read,
                    t -> t instanceof ContentException c && !c.getMessage().isBlank());
            report.print();
            assertThat(report.accepted()).as("accepted").isGreaterThan(report.cases() / 20);
            assertThat(report.refused()).as("refused").isGreaterThan(report.cases() / 5);
            assertThat(report.refusals().size()).as("kinds of refusal").isGreaterThanOrEqualTo(5);
        }
    }

    /** Feeds the layer to a fresh sink in random chunks; accepted only with every wanted file verified and written. */
    void read(byte[] input, int i) throws IOException {
        Path out = tmp.resolve("out");
        Trees.delete(out);
        Files.createDirectories(out);
        AtomicLong done = new AtomicLong(-1);
        BlobSink sink = TarLayers.sink(hashes, dests, done::set, "fuzz layer");
        Random chunks = new Random(i);
        try {
            for (int at = 0; at < input.length; ) {
                int n = Math.min(input.length - at, 1 + chunks.nextInt(4096));
                sink.write(input, at, n);
                at += n;
            }
            sink.finish();
        } finally {
            onlyWantedFiles(out, new HashSet<>(dests.values()));
        }
        long total = 0;
        for (Map.Entry<String, Path> d : dests.entrySet()) {
            assertThat(Files.readAllBytes(d.getValue())).as(d.getKey()).isEqualTo(files.get(d.getKey()));
            total += files.get(d.getKey()).length;
        }
        assertThat(done.get()).isEqualTo(total);
    }

    /** Every entry under {@code out} is one of the wanted files, a regular file (no link, no directory, nothing else). */
    static void onlyWantedFiles(Path out, Set<Path> wanted) throws IOException {
        try (Stream<Path> s = Files.walk(out)) {
            for (Path p : (Iterable<Path>) s.filter(p -> !p.equals(out))::iterator) {
                assertThat(wanted).as("unexpected %s", p).contains(p);
                assertThat(Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).as("%s is a regular file", p).isTrue();
            }
        }
    }
}
