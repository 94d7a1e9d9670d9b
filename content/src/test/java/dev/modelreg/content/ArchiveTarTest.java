package dev.modelreg.content;

import static org.assertj.core.api.Assertions.assertThat;

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
}
