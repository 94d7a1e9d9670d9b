package dev.modelreg.content;

import dev.modelreg.content.tar.ArchiveTar;
import dev.modelreg.content.tar.TarHeaders;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.testkit.TarMutator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tar headers we write for huge blobs (GNU base-256 size) are read back, by us and by GNU tar. */
class ArchiveTarTest {
    @TempDir Path tmp;

    @Test
    void aBlobOfNineGibibytesKeepsItsSize() throws Exception {
        long size = 9L << 30; // over the 8 GiB octal limit of ustar
        Path tar = tmp.resolve("big.tar");
        try (OutputStream out = Files.newOutputStream(tar)) {
            TarHeaders.file(out, "blobs/sha256/" + "a".repeat(64), size, 0);
        }
        // the data as a hole (a sparse file: no 9 GiB written), then a small entry and the end blocks
        try (RandomAccessFile f = new RandomAccessFile(tar.toFile(), "rw")) {
            f.seek(TarHeaders.BLOCK + size);
            java.io.ByteArrayOutputStream header = new java.io.ByteArrayOutputStream();
            TarHeaders.file(header, "index.json", 2, 0);
            f.write(header.toByteArray());
            f.write(new byte[] {'{', '}'});
            f.write(new byte[TarHeaders.BLOCK - 2]);
            f.write(new byte[2 * TarHeaders.BLOCK]);
        }
        Map<String, ArchiveTar.Entry> index = ArchiveTar.index(tar, "big");
        assertThat(index.get("blobs/sha256/" + "a".repeat(64))).isEqualTo(new ArchiveTar.Entry("blobs/sha256/" + "a".repeat(64), 512, size));
        assertThat(index.get("index.json").offset()).isEqualTo(TarHeaders.BLOCK + size + TarHeaders.BLOCK);

        Process p = new ProcessBuilder("tar", "-tvf", tar.toString()).redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(listing).isZero();
        assertThat(listing).contains(String.valueOf(size)).contains("index.json");
    }

    /** Found by OciArchiveFuzzTest: a size near Long.MAX_VALUE overflowed the "past the end" check (a negative position). */
    @Test
    void aSizeThatOverflowsTheOffsetIsTruncatedNotANegativePosition() throws Exception {
        for (byte[] entry : new byte[][] {
                TarMutator.entry("blobs/x", (byte) '0', new byte[0], ""),
                TarMutator.extension('x', "28 size=9223372036854775552\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))}) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            out.writeBytes(entry);
            if (entry[156] == 'x') {
                out.writeBytes(TarMutator.entry("blobs/x", (byte) '0', new byte[0], ""));
            } else { // base-256: 0x80, then 0x7fffffffffffff00 in the last 8 bytes
                byte[] h = out.toByteArray();
                java.util.Arrays.fill(h, 124, 136, (byte) 0);
                h[124] = (byte) 0x80;
                h[128] = 0x7f;
                java.util.Arrays.fill(h, 129, 135, (byte) 0xff);
                TarMutator.checksum(h, 0);
                out.reset();
                out.writeBytes(h);
            }
            out.writeBytes(new byte[2 * TarHeaders.BLOCK]);
            Path tar = tmp.resolve("overflow.tar");
            Files.write(tar, out.toByteArray());
            int at = entry[156] == 'x' ? entry.length : 0;
            assertThatThrownBy(() -> ArchiveTar.index(tar, "t")).isInstanceOf(ContentException.class)
                    .hasMessage("t: truncated (an entry at byte " + at + " claims " + (Long.MAX_VALUE - 0xff) + " bytes)");
        }
    }

    /** Found by OciArchiveFuzzTest: an entry's name went into the message as it was, newlines and all. */
    @Test
    void entryNamesInMessagesAreOneLineAndPrintable() throws Exception {
        Path tar = tmp.resolve("names.tar");
        byte[] e = TarMutator.entry("a\nb", (byte) '0', new byte[0], "");
        Files.write(tar, concat(e, e, new byte[2 * TarHeaders.BLOCK]));
        assertThatThrownBy(() -> ArchiveTar.index(tar, "t")).hasMessage("t: duplicate entry 'a\\u000ab'");
        Files.write(tar, concat(TarMutator.entry("/x\u001b[2J", (byte) '0', new byte[0], ""), new byte[2 * TarHeaders.BLOCK]));
        assertThatThrownBy(() -> ArchiveTar.index(tar, "t")).hasMessage("t: entry '/x\\u001b[2J' has an absolute path");
        Files.write(tar, concat(TarMutator.entry("l\rnk", (byte) '2', new byte[0], "/etc"), new byte[2 * TarHeaders.BLOCK]));
        assertThatThrownBy(() -> ArchiveTar.index(tar, "t")).hasMessageStartingWith("t: entry 'l\\u000dnk' is a symbolic link");
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
