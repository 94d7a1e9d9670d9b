package dev.modelreg.content;

import dev.modelreg.content.tar.TarHeaders;
import dev.modelreg.content.tar.TarStream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.testkit.Fuzz;
import dev.modelreg.testkit.TarMutator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Bounded fuzzing of the push-style tar reader: tars written by commons-compress (GNU and PAX long names) and by
 * modelreg, mutated by {@link TarMutator} (bit flips, truncations, bad checksums, huge and negative sizes, links and
 * devices, unsafe and repeated names, PAX and long-name headers, malformed ones too). Each input is fed whole and in
 * random chunks: both must end the same way, either accepted with the same members (each given exactly its declared
 * size) or refused with the same INVALID ContentException naming the tar; never another throwable, a hang or more
 * than 64 MiB allocated. 3000 cases by default (see {@link Fuzz} for longer runs).
 */
class TarStreamFuzzTest {
    static final String WHAT = "fuzz tar";

    /** The members a read saw: name, then content. */
    record Read(List<String> names, List<byte[]> contents, String refusal) {
        boolean same(Read o) {
            if (!names.equals(o.names) || contents.size() != o.contents.size() || !java.util.Objects.equals(refusal, o.refusal)) return false;
            for (int i = 0; i < contents.size(); i++) if (!Arrays.equals(contents.get(i), o.contents.get(i))) return false;
            return true;
        }
    }

    static List<byte[]> seeds() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        Random r = new Random(3);
        for (int size : new int[] {0, 1, 511, 512, 513, 2000}) {
            byte[] b = new byte[size];
            r.nextBytes(b);
            files.put("m/file-" + size, b);
        }
        files.put("./dot/start", "x".getBytes(StandardCharsets.UTF_8));
        files.put("long/" + "n".repeat(120) + "/é-" + "p".repeat(110) + ".dat", "long".getBytes(StandardCharsets.UTF_8));
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(TarStreamTest.tar(TarArchiveOutputStream.LONGFILE_GNU, files));
        seeds.add(TarStreamTest.tar(TarArchiveOutputStream.LONGFILE_POSIX, files));
        ByteArrayOutputStream own = new ByteArrayOutputStream(); // modelreg's writer: ustar prefix and GNU long name
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            TarHeaders.file(own, f.getKey(), f.getValue().length, 0);
            own.write(f.getValue());
            TarHeaders.pad(own, f.getValue().length);
        }
        TarHeaders.file(own, "x/" + "y".repeat(200), 0, 0);
        TarHeaders.end(own);
        seeds.add(own.toByteArray());
        return seeds;
    }

    static Read read(byte[] tar, Random chunks) throws IOException {
        List<String> names = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        TarStream s = new TarStream((name, size) -> {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            return new TarStream.Member() {
                @Override
                public void write(byte[] b, int off, int len) {
                    buf.write(b, off, len);
                    if (buf.size() > size) throw new AssertionError("member '" + name + "' got more than its " + size + " bytes");
                }

                @Override
                public void close() {
                    if (buf.size() != size) throw new AssertionError("member '" + name + "' closed after " + buf.size() + " of " + size + " bytes");
                    names.add(name);
                    contents.add(buf.toByteArray());
                }
            };
        }, WHAT);
        try {
            for (int i = 0; i < tar.length; ) {
                int n = chunks == null ? tar.length : Math.min(tar.length - i, 1 + chunks.nextInt(700));
                s.write(tar, i, n);
                i += n;
            }
            s.finish();
            return new Read(names, contents, null);
        } catch (ContentException e) {
            return new Read(names, contents, e.getMessage());
        }
    }

    @Test
    void seedsAreReadWhole() throws IOException {
        for (byte[] seed : seeds()) {
            Read r = read(seed, null);
            assertThat(r.refusal()).isNull();
            assertThat(r.names()).contains("m/file-2000", "dot/start").hasSizeGreaterThanOrEqualTo(8);
            assertThat(TarMutator.headers(seed)).hasSizeGreaterThanOrEqualTo(8);
        }
    }

    @Test
    void mutatedTarsAreReadAlikeInAnyChunkingOrRefusedCleanly() throws IOException {
        List<byte[]> seeds = seeds();
        try (Fuzz fuzz = Fuzz.of("tar-stream", 20261212L, 3000).maxAllocatedBytes(64L << 20)) {
            Fuzz.Report report = fuzz.run(
                    (rnd, i) -> TarMutator.mutate(seeds.get(rnd.nextInt(seeds.size())), rnd),
                    (input, i) -> {
                        Read whole = read(input, null);
                        Read chunked = read(input, new Random(i));
                        if (!whole.same(chunked)) {
                            throw new AssertionError("whole and chunked reads differ: " + whole.names() + " " + whole.refusal()
                                    + " / " + chunked.names() + " " + chunked.refusal());
                        }
                        if (whole.refusal() != null) {
                            throw new ContentException(ContentException.Kind.INVALID, whole.refusal());
                        }
                    },
                    t -> t instanceof ContentException c && c.kind() == ContentException.Kind.INVALID && c.getMessage().startsWith(WHAT + ": "));
            report.print();
            assertThat(report.accepted()).as("accepted").isGreaterThan(report.cases() / 10);
            assertThat(report.refused()).as("refused").isGreaterThan(report.cases() / 5);
            assertThat(report.refusals().size()).as("kinds of refusal").isGreaterThanOrEqualTo(5);
        }
    }
}
