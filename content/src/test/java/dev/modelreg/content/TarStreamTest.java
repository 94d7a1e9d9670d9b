package dev.modelreg.content;

import dev.modelreg.content.tar.TarHeaders;
import dev.modelreg.content.tar.TarStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The push-style tar reader against tars written by commons-compress (ustar, GNU long names, PAX) and by modelreg,
 * fed in every chunking from one byte to the whole tar: the same members with the same bytes, whatever the chunks.
 */
class TarStreamTest {
    record Member(String name, byte[] bytes) {}

    static Map<String, byte[]> read(byte[] tar, int chunk) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        TarStream s = new TarStream((name, size) -> {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            return new TarStream.Member() {
                @Override
                public void write(byte[] b, int off, int len) {
                    buf.write(b, off, len);
                }

                @Override
                public void close() {
                    assertThat((long) buf.size()).isEqualTo(size);
                    out.put(name, buf.toByteArray());
                }
            };
        }, "test tar");
        for (int i = 0; i < tar.length; i += chunk) s.write(tar, i, Math.min(chunk, tar.length - i));
        s.finish();
        return out;
    }

    static byte[] tar(int format, Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
            t.setLongFileMode(format);
            t.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            TarArchiveEntry dir = new TarArchiveEntry("d/");
            t.putArchiveEntry(dir);
            t.closeArchiveEntry();
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(f.getValue().length);
                t.putArchiveEntry(e);
                t.write(f.getValue());
                t.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    static Map<String, byte[]> files() {
        Random r = new Random(7);
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int size : new int[] {0, 1, 511, 512, 513, 70_000}) {
            byte[] b = new byte[size];
            r.nextBytes(b);
            files.put("m/file-" + size, b);
        }
        files.put("./dot/start", "x".getBytes(StandardCharsets.UTF_8));
        files.put("long/" + "n".repeat(150) + "/é-" + "p".repeat(120) + ".dat", "long".getBytes(StandardCharsets.UTF_8));
        return files;
    }

    @Test
    void readsGnuAndPaxTarsInAnyChunking() throws IOException {
        Map<String, byte[]> files = files();
        for (int mode : new int[] {TarArchiveOutputStream.LONGFILE_GNU, TarArchiveOutputStream.LONGFILE_POSIX}) {
            byte[] tar = tar(mode, files);
            for (int chunk : new int[] {1, 7, 512, 513, 4096, tar.length}) {
                Map<String, byte[]> got = read(tar, chunk);
                assertThat(got.keySet()).as("mode %d chunk %d", mode, chunk)
                        .containsExactlyElementsOf(files.keySet().stream().map(k -> k.startsWith("./") ? k.substring(2) : k).toList());
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    String k = f.getKey().startsWith("./") ? f.getKey().substring(2) : f.getKey();
                    assertThat(got.get(k)).as(k).isEqualTo(f.getValue());
                }
            }
        }
    }

    @Test
    void readsModelregsOwnReproducibleTars() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String longName = "a".repeat(60) + "/" + "b".repeat(60) + "/" + "c".repeat(90);
        TarHeaders.file(out, longName, 3, 0);
        out.write("abc".getBytes(StandardCharsets.UTF_8));
        TarHeaders.pad(out, 3);
        TarHeaders.file(out, "x/" + "y".repeat(200), 0, 0);
        TarHeaders.end(out);
        assertThat(read(out.toByteArray(), 100)).containsOnlyKeys(longName, "x/" + "y".repeat(200));
    }

    /** Found by TarStreamFuzzTest: a PAX record length near Integer.MAX_VALUE overflowed the bounds check (an AIOOBE). */
    @Test
    void aPaxRecordLengthThatOverflowsIsABadPaxHeader() throws IOException {
        byte[] records = "11 path=a\n2147483647 path=b\n".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(dev.modelreg.testkit.TarMutator.extension('x', records));
        TarHeaders.file(out, "b", 0, 0);
        TarHeaders.end(out);
        assertThatThrownBy(() -> read(out.toByteArray(), 512)).isInstanceOfSatisfying(ContentException.class,
                e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.INVALID)).hasMessage("test tar: bad PAX header at byte 0");
    }

    /** Found by TarStreamFuzzTest: the PAX size went into the message as it was, newlines and all. */
    @Test
    void aBadPaxSizeIsShownOnOneLine() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(dev.modelreg.testkit.TarMutator.extension('x', "12 size=1\n2\n".getBytes(StandardCharsets.UTF_8)));
        TarHeaders.file(out, "b", 0, 0);
        TarHeaders.end(out);
        assertThatThrownBy(() -> read(out.toByteArray(), 512)).hasMessage("test tar: bad PAX size '1\\u000a2'");
    }

    @Test
    void truncatedOrCorruptTarsAreInvalid() throws IOException {
        byte[] tar = tar(TarArchiveOutputStream.LONGFILE_GNU, files());
        byte[] cut = java.util.Arrays.copyOf(tar, 1536 + 100);
        assertThatThrownBy(() -> read(cut, 512)).isInstanceOfSatisfying(ContentException.class,
                e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.INVALID)).hasMessageContaining("test tar: truncated tar");
        byte[] bad = tar.clone();
        int header = new String(tar, StandardCharsets.ISO_8859_1).indexOf("m/file-511");
        assertThat(header % 512).isZero();
        bad[header + 100] ^= 1; // a byte of that entry's header: its checksum no longer matches
        assertThatThrownBy(() -> read(bad, 512)).hasMessageContaining("bad tar header checksum at byte " + header);
    }
}
