package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.RegistryHttp;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 1 GiB file pushes from a child JVM limited to a 128 MiB heap: streaming, flat memory. */
class PublishLargeFileTest {
    static final long SIZE = 1L << 30;

    @TempDir
    Path tmp;

    @Test
    void oneGibFilePushesWithA128MibHeap() throws Exception {
        Path dir = tmp.resolve("repo");
        Path model = Files.createDirectories(dir.resolve("big-model/data"));
        Files.writeString(dir.resolve("big-model/mfsim.nam"), "BEGIN options\nEND options\n");
        try (RandomAccessFile f = new RandomAccessFile(model.resolve("huge.bin").toFile(), "rw")) {
            f.setLength(SIZE); // zeros, sparse: quick to make
        }
        MessageDigest md = Digest.newSha256();
        byte[] zeros = new byte[1 << 20];
        for (long n = 0; n < SIZE; n += zeros.length) md.update(zeros);
        Digest want = Digest.sha256(HexFormat.of().formatHex(md.digest()));

        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("reg"))) {
            Modelreg.Run r = Modelreg.run(tmp, List.of("-Xmx128m", "-XX:+UseSerialGC"), Map.of(),
                    "push", dir.toString(), reg.host() + "/models/big:v1", "--name", "big", "--json");
            assertThat(r.code()).as(r.err()).isZero();
            Map<String, Object> j = r.json();
            System.out.printf("1 GiB push with -Xmx128m: %d ms, %s%n", r.millis(), j);
            assertThat((Long) j.get("bytesUploaded")).isGreaterThan(SIZE);
            assertThat(j.get("layers")).isEqualTo(2L);

            Manifest m = Manifest.parse(new RegistryHttp(reg).getManifest("models/big", "v1", MediaTypes.OCI_MANIFEST), "m");
            var layer = m.layers().stream().filter(l -> "big-model/data/huge.bin".equals(l.title())).findFirst().orElseThrow();
            assertThat(layer.mediaType()).isEqualTo(MediaTypes.FILE_LAYER);
            assertThat(layer.size()).isEqualTo(SIZE);
            assertThat(layer.digest()).isEqualTo(want);
            Path stored = reg.storageDir().resolve("docker/registry/v2/blobs/sha256/" + want.hex().substring(0, 2) + "/" + want.hex() + "/data");
            assertThat(Files.size(stored)).isEqualTo(SIZE);
        }
    }
}
