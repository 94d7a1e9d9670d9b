package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.content.BlobSink;
import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A downloading blob written to its first workspace file in the download's pass: retries, shared blobs, empty blobs. */
class TeeSinksTest {
    @TempDir Path tmp;

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRetryStartsTheFileOverAndOnlyAFinishedSinkCounts() throws IOException {
        byte[] blob = utf8("BEGIN options\nEND options\n");
        Digest d = Digest.sha256Of(blob);
        Path dest = tmp.resolve("mfsim.nam");
        AtomicLong bytes = new AtomicLong();
        TeeSinks tee = new TeeSinks(Map.of("m/mfsim.nam", d), Map.of("m/mfsim.nam", dest), bytes);

        BlobSink cut = tee.sink(d); // the first attempt is cut off after 10 bytes: never finished
        cut.write(blob, 0, 10);
        cut.write(utf8("garbage-from-a-bad-mirror"), 0, 7);
        assertThat(tee.wrote(d, dest)).isFalse();
        assertThat(bytes).hasValue(0);

        BlobSink retry = tee.sink(d); // the retry sees the blob from its first byte again
        retry.write(blob, 0, 5);
        retry.write(blob, 5, blob.length - 5);
        retry.finish();
        assertThat(dest).hasBinaryContent(blob);
        assertThat(tee.wrote(d, dest)).isTrue();
        assertThat(bytes).hasValue(blob.length);
    }

    @Test
    void aBlobListedTwiceIsWrittenToItsFirstFileOnlyAndAnEmptyBlobMakesAnEmptyFile() throws IOException {
        byte[] blob = utf8("same bytes under two names");
        Digest d = Digest.sha256Of(blob);
        Digest empty = Digest.sha256Of(new byte[0]);
        Map<String, Digest> files = new LinkedHashMap<>();
        files.put("m/a.dat", d);
        files.put("m/b.dat", d);
        files.put("m/empty.dat", empty);
        Map<String, Path> dests = Map.of("m/a.dat", tmp.resolve("a.dat"), "m/b.dat", tmp.resolve("b.dat"),
                "m/empty.dat", tmp.resolve("empty.dat"), "m/cached.dat", tmp.resolve("cached.dat"));
        TeeSinks tee = new TeeSinks(files, dests, new AtomicLong());

        BlobSink s = tee.sink(d);
        s.write(blob, 0, blob.length);
        s.finish();
        tee.sink(empty).finish();

        assertThat(tmp.resolve("a.dat")).hasBinaryContent(blob);
        assertThat(tee.wrote(d, tmp.resolve("a.dat"))).isTrue();
        assertThat(tmp.resolve("b.dat")).as("left to the copy out of the cache").doesNotExist();
        assertThat(tee.wrote(d, tmp.resolve("b.dat"))).isFalse();
        assertThat(tmp.resolve("empty.dat")).exists().isEmptyFile();
        assertThat(tee.sink(Digest.sha256Of(utf8("not downloading")))).as("a blob with no file here").isNull();
    }
}
