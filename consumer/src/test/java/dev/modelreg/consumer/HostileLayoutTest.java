package dev.modelreg.consumer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.modelreg.spec.BootstrapConfig;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.testkit.HostileRegistry;
import dev.modelreg.testkit.HostileRegistry.Tar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limits of section 14 on the other read paths: an OCI layout directory and an OCI archive someone handed us
 * are as hostile as a registry. Each case is crafted by hand (index.json, blobs) and pulled from both.
 */
@Timeout(30)
class HostileLayoutTest {
    @TempDir Path tmp;

    /** The entries of a layout: path -> bytes. */
    final Map<String, byte[]> layout = new LinkedHashMap<>();

    void blob(byte[] b) {
        layout.put("blobs/sha256/" + Digest.sha256Of(b).hex(), b);
    }

    /** index.json with one entry: tag v1 -> {@code d}. */
    void index(Descriptor d) {
        layout.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(UTF_8));
        layout.put("index.json", ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{"
                + "\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size()
                + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}]}").getBytes(UTF_8));
    }

    /** Writes the layout as a directory or an archive; returns the reference of tag v1. */
    String write(String kind) throws IOException {
        if (kind.equals("layout")) {
            Path dir = tmp.resolve("layout");
            for (Map.Entry<String, byte[]> e : layout.entrySet()) {
                Files.createDirectories(dir.resolve(e.getKey()).getParent());
                Files.write(dir.resolve(e.getKey()), e.getValue());
            }
            return "oci-layout:" + dir + ":v1";
        }
        Tar t = new Tar();
        layout.forEach(t::file);
        Path file = tmp.resolve("models.tar");
        Files.write(file, t.bytes());
        return "oci-archive:" + file + ":v1";
    }

    String pullFails(String ref) throws IOException {
        Path out = tmp.resolve("work/out");
        ModelReg reg = new ModelReg(new BootstrapConfig(Map.of()),
                Settings.from(Map.of("MODELREG_CACHE", tmp.resolve("cache").toString())));
        Throwable t = catchThrowable(() -> reg.pull(ref, out, null));
        assertThat(t).isInstanceOfAny(ConsumerException.class, IOException.class);
        assertThat(t.getMessage()).doesNotContain("\n");
        assertThat(out).doesNotExist();
        return t.getMessage();
    }

    static byte[] config() {
        return "[files.\"m/mfsim.nam\"]\nhash = \"".concat(Digest.sha256Of(new byte[0]).hex()).concat("\"\n").getBytes(UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"layout", "archive"})
    void aManifestDeclaredOverTheLimitIsRefusedBeforeItIsRead(String kind) throws IOException {
        byte[] m = HostileRegistry.manifestBytes(Descriptor.of(MediaTypes.CONFIG, Digest.sha256Of(config()), config().length), List.of());
        blob(m);
        Descriptor d = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256Of(m), 50L << 20);
        index(d);
        String ref = write(kind);
        assertThat(pullFails(ref)).isEqualTo(ref + ": manifest " + d.digest()
                + " is 52428800 bytes, more than the 4194304-byte limit for a manifest");
    }

    @ParameterizedTest
    @ValueSource(strings = {"layout", "archive"})
    void aManifestLongerThanDeclaredIsCut(String kind) throws IOException {
        byte[] big = new byte[5 << 20];
        java.util.Arrays.fill(big, (byte) ' ');
        blob(big);
        index(Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256Of(big), 1000));
        assertThat(pullFails(write(kind))).contains("manifest " + Digest.sha256Of(big)).contains("1000 bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"layout", "archive"})
    void tooManyLayersAreRefusedBeforeTheConfigIsRead(String kind) throws IOException {
        List<Descriptor> layers = new ArrayList<>();
        for (int i = 0; i <= Limits.MAX_LAYERS; i++) {
            layers.add(Descriptor.of(MediaTypes.TAR_LAYER, Digest.sha256Of(("l" + i).getBytes(UTF_8)), 1));
        }
        byte[] m = HostileRegistry.manifestBytes(Descriptor.of(MediaTypes.CONFIG, Digest.sha256Of(config()), 1), layers);
        blob(m);
        Descriptor d = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256Of(m), m.length);
        index(d);
        String ref = write(kind);
        assertThat(pullFails(ref)).isEqualTo(ref + ": manifest " + d.digest() + " lists 10001 layers, more than the limit of 10000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"layout", "archive"})
    void aConfigDeclaredOverTheLimitIsRefusedBeforeItIsRead(String kind) throws IOException {
        blob(config());
        Digest c = Digest.sha256Of(config());
        byte[] m = HostileRegistry.manifestBytes(Descriptor.of(MediaTypes.CONFIG, c, 200L << 20), List.of());
        blob(m);
        index(Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256Of(m), m.length));
        String ref = write(kind);
        assertThat(pullFails(ref)).isEqualTo(ref + ": config " + c
                + " is 209715200 bytes, more than the 16777216-byte limit for a models.toml");
    }

    @ParameterizedTest
    @ValueSource(strings = {"layout", "archive"})
    void aFileLayerWhoseSizeIsNotItsSizeInModelsTomlIsRefusedBeforeItIsRead(String kind) throws IOException {
        byte[] file = new byte[0];
        byte[] toml = "[files.\"m/mfsim.nam\"]\nhash = \"".concat(Digest.sha256Of(file).hex()).concat("\"\nsize = 0\n").getBytes(UTF_8);
        blob(toml);
        Descriptor layer = new Descriptor(MediaTypes.FILE_LAYER, Digest.sha256Of(file), 2L << 30,
                Map.of("org.opencontainers.image.title", "m/mfsim.nam")); // no blob: it must not be read
        byte[] m = HostileRegistry.manifestBytes(Descriptor.of(MediaTypes.CONFIG, Digest.sha256Of(toml), toml.length), List.of(layer));
        blob(m);
        index(Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256Of(m), m.length));
        String ref = write(kind);
        assertThat(pullFails(ref)).isEqualTo(ref.replace(":v1", "@v1") + ": layer " + layer.digest()
                + " titled 'm/mfsim.nam' is 2147483648 bytes, models.toml says 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"layout", "archive"})
    void anIndexJsonOverTheLimitIsRefused(String kind) throws IOException {
        index(Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256Of(new byte[0]), 0));
        byte[] json = layout.get("index.json");
        byte[] padded = new byte[Limits.MAX_MANIFEST_BYTES + 1];
        java.util.Arrays.fill(padded, (byte) ' ');
        System.arraycopy(json, 0, padded, 0, json.length);
        layout.put("index.json", padded);
        assertThat(pullFails(write(kind))).contains("index.json is 4194305 bytes, more than the 4194304-byte limit for a manifest");
    }
}
