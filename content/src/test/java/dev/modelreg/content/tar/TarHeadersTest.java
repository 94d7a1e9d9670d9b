package dev.modelreg.content.tar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TarHeadersTest {
    private static final String LONG_SPLITTABLE = "a".repeat(90) + "/" + "b".repeat(60) + "/" + "c".repeat(90) + ".dat";
    private static final String LONG_UNSPLITTABLE = "d/" + "e".repeat(120) + ".nam";

    @Test
    void ustarSplitRules() {
        assertThat(TarHeaders.ustarSplit("short/name".getBytes(StandardCharsets.UTF_8))).isZero();
        int s = TarHeaders.ustarSplit(LONG_SPLITTABLE.getBytes(StandardCharsets.UTF_8));
        assertThat(s).isPositive().isLessThanOrEqualTo(155);
        assertThat(LONG_SPLITTABLE.length() - s - 1).isLessThanOrEqualTo(100);
        assertThat(TarHeaders.ustarSplit(LONG_UNSPLITTABLE.getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
    }

    @Test
    void headersAreFixedFieldUstarOrGnuLongLink() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarHeaders.file(out, "m/a.nam", 3, 0);
        byte[] h = out.toByteArray();
        assertThat(h).hasSize(TarHeaders.BLOCK);
        assertThat(new String(h, 257, 6, StandardCharsets.US_ASCII)).isEqualTo("ustar\0");
        assertThat(new String(h, 100, 7, StandardCharsets.US_ASCII)).isEqualTo("0000644");
        assertThat(h[156]).isEqualTo((byte) '0');

        out.reset();
        TarHeaders.file(out, LONG_UNSPLITTABLE, 3, 0);
        byte[] two = out.toByteArray();
        assertThat(two.length).as("long-link header, its name block, the entry header").isEqualTo(3 * TarHeaders.BLOCK);
        assertThat(new String(two, 0, 13, StandardCharsets.US_ASCII)).isEqualTo("././@LongLink");
        assertThat(two[156]).isEqualTo((byte) 'L');

        out.reset();
        TarHeaders.directory(out, "blobs/", 0);
        assertThat(out.toByteArray()[156]).isEqualTo((byte) '5');
        assertThat(new String(out.toByteArray(), 100, 7, StandardCharsets.US_ASCII)).isEqualTo("0000755");
    }
}
