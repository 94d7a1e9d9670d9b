package dev.modelreg.content;

import dev.modelreg.content.tar.GunzipSink;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The push-style gunzip of compressed image layers: any chunking, CRC and length checked, bounded, strict about junk. */
class GunzipSinkTest {
    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(data);
        }
        return b.toByteArray();
    }

    /** Feeds {@code gz} in chunks of {@code chunk} bytes; returns what came out. */
    private static byte[] gunzip(byte[] gz, int chunk, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean[] finished = {false};
        GunzipSink s = new GunzipSink(new BlobSink() {
            @Override
            public void write(byte[] b, int off, int len) {
                out.write(b, off, len);
            }

            @Override
            public void finish() {
                finished[0] = true;
            }
        }, max, "layer x");
        for (int i = 0; i < gz.length; i += chunk) s.write(gz, i, Math.min(chunk, gz.length - i));
        s.finish();
        assertThat(finished[0]).isTrue();
        return out.toByteArray();
    }

    @Test
    void roundTripsInAnyChunkingAndAcrossMembers() throws IOException {
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        Arrays.fill(data, 100_000, 200_000, (byte) 'a');
        byte[] gz = gzip(data);
        for (int chunk : new int[] {1, 7, 512, 65536, gz.length}) assertThat(gunzip(gz, chunk, Long.MAX_VALUE)).isEqualTo(data);
        byte[] two = concat(gzip("one ".getBytes()), gzip("two".getBytes()));
        assertThat(new String(gunzip(two, 3, 100))).isEqualTo("one two");
    }

    @Test
    void refusesDamageTruncationJunkAndExpansionPastTheBound() throws IOException {
        byte[] gz = gzip(new byte[100_000]);
        byte[] crc = gz.clone();
        crc[crc.length - 6] ^= 1;
        assertThatThrownBy(() -> gunzip(crc, 100, Long.MAX_VALUE)).hasMessageContaining("layer x: gzip CRC-32");
        assertThatThrownBy(() -> gunzip(Arrays.copyOf(gz, gz.length - 3), 100, Long.MAX_VALUE)).hasMessageContaining("truncated");
        assertThatThrownBy(() -> gunzip(concat(gz, new byte[] {0, 0}), 100, Long.MAX_VALUE)).hasMessageContaining("after the last gzip member");
        assertThatThrownBy(() -> gunzip("plain tar".getBytes(), 100, Long.MAX_VALUE)).hasMessageContaining("not gzip data");
        assertThatThrownBy(() -> gunzip(gz, 100, 99_999)).hasMessageContaining("expands past 99999 bytes");
        assertThatThrownBy(() -> gunzip(new byte[0], 1, 10)).isInstanceOf(ContentException.class).hasMessageContaining("no gzip data");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
