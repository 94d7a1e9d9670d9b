package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.content.BlobSink;
import dev.modelreg.content.ContentException;
import dev.modelreg.content.fs.Trees;
import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.Modelcar;
import dev.modelreg.testkit.Fuzz;
import dev.modelreg.testkit.TarMutator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded fuzzing of a model image's gzip layers as the consumer reads them ({@link ImageLayers#sink}, in random
 * chunks): the tar mutated by {@link TarMutator} then compressed, or the compressed bytes flipped or cut. Accepted
 * only with every wanted file written and verified; otherwise refused with a ContentException; either way nothing but
 * the wanted files appears in the output directory. 500 cases by default (see {@link Fuzz}).
 */
class ImageLayersFuzzTest {
    @TempDir Path tmp;

    final Map<String, byte[]> files = new LinkedHashMap<>();
    final Map<String, FileEntry> hashes = new LinkedHashMap<>();
    final Map<String, Path> dests = new LinkedHashMap<>();
    Modelcar car;
    Descriptor layer;

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(data);
        }
        return b.toByteArray();
    }

    @Test
    void mutatedLayersWriteOnlyVerifiedWantedFilesOrAreRefused() throws Exception {
        Random r = new Random(11);
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        tar.writeBytes(TarMutator.entry("models/", (byte) '5', new byte[0], ""));
        tar.writeBytes(TarMutator.entry("models/m/", (byte) '5', new byte[0], ""));
        for (String n : List.of("m/mfsim.nam", "m/gwf.dis", "m/k.bin", "m/other.txt")) {
            byte[] b = new byte[n.endsWith(".bin") ? 5000 : r.nextInt(1200)];
            r.nextBytes(b);
            files.put(n, b);
            // every other file with its size in models.toml: both kinds of bound are fuzzed
            hashes.put(n, new FileEntry(Digest.sha256Of(b), null, null, hashes.size() % 2 == 0 ? (long) b.length : null));
            if (!n.endsWith("other.txt")) dests.put(n, tmp.resolve("out/f" + dests.size()));
            tar.writeBytes(TarMutator.entry("models/" + n, (byte) '0', b, ""));
        }
        tar.writeBytes(new byte[1024]);
        byte[] seed = tar.toByteArray();
        layer = new Descriptor(Modelcar.GZIP_LAYER, Digest.sha256Of(seed), seed.length, Map.of(Annotations.GROUP, "x/m"));
        Descriptor reg = new Descriptor(Modelcar.GZIP_LAYER, Digest.sha256Of(new byte[1]), 1,
                Map.of(Modelcar.REGISTRY, Digest.sha256Of(new byte[2]).toString()));
        car = Modelcar.of(new Manifest(null, Descriptor.of(Modelcar.IMAGE_CONFIG, Digest.sha256Of(new byte[3]), 3),
                List.of(reg, layer), Map.of(Modelcar.ROOT, "/models", Modelcar.REGISTRY, Digest.sha256Of(new byte[2]).toString())), "image");
        byte[] gzSeed = gzip(seed);
        read(gzSeed, 0); // the seed is accepted

        try (Fuzz fuzz = Fuzz.of("image-layers", 20261130L, 500).maxAllocatedBytes(64L << 20)) {
            Fuzz.Report report = fuzz.run((rnd, i) -> {
                if (rnd.nextInt(3) > 0) return gzip(TarMutator.mutate(seed, rnd));
                byte[] g = gzSeed.clone();
                if (rnd.nextBoolean()) return java.util.Arrays.copyOf(g, rnd.nextInt(g.length));
                for (int k = 0; k < 1 + rnd.nextInt(4); k++) g[rnd.nextInt(g.length)] ^= (byte) (1 << rnd.nextInt(8));
                return g;
            }, this::read, t -> t instanceof ContentException c && !c.getMessage().isBlank());
            report.print();
            assertThat(report.accepted()).as("accepted").isGreaterThan(report.cases() / 50);
            assertThat(report.refused()).as("refused").isGreaterThan(report.cases() / 5);
            assertThat(report.refusals().size()).as("kinds of refusal").isGreaterThanOrEqualTo(5);
        }
    }

    void read(byte[] input, int i) throws IOException {
        Path out = tmp.resolve("out");
        Trees.delete(out);
        Files.createDirectories(out);
        AtomicLong done = new AtomicLong(-1);
        BlobSink sink = ImageLayers.sink(car, layer, hashes, dests, done::set, "fuzz layer");
        Random chunks = new Random(i);
        try {
            for (int at = 0; at < input.length; ) {
                int n = Math.min(input.length - at, 1 + chunks.nextInt(4096));
                sink.write(input, at, n);
                at += n;
            }
            sink.finish();
        } finally {
            TarLayersFuzzTest.onlyWantedFiles(out, new HashSet<>(dests.values()));
        }
        long total = 0;
        for (Map.Entry<String, Path> d : dests.entrySet()) {
            assertThat(Files.readAllBytes(d.getValue())).as(d.getKey()).isEqualTo(files.get(d.getKey()));
            total += files.get(d.getKey()).length;
        }
        assertThat(done.get()).isEqualTo(total);
    }
}
