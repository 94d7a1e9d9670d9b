package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.content.BlobSink;
import dev.modelreg.content.ContentException;
import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.FileGroups;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.Modelcar;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import dev.modelreg.testkit.TarMutator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model image's layers as hostile input: only what models.toml places in a layer, under the root, verified. */
class ImageLayersTest {
    @TempDir
    Path tmp;

    static final byte[] A = "a\n".getBytes(StandardCharsets.UTF_8);
    static final byte[] TOML = ("[files.\"m/a.txt\"]\nhash = \"" + Digest.sha256Of(A).hex() + "\"\n\n[models]\n\"x/m\" = [\n    \"m/a.txt\",\n]\n")
            .getBytes(StandardCharsets.UTF_8);
    static final ModelsToml REGISTRY = parse(TOML);

    static ModelsToml parse(byte[] toml) {
        try {
            return ModelsTomlCodec.read(toml, "models.toml");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] tar(byte[]... entries) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] e : entries) b.writeBytes(e);
        b.writeBytes(new byte[1024]);
        return b.toByteArray();
    }

    private static byte[] file(String name, byte[] data) {
        return TarMutator.entry(name, (byte) '0', data, "");
    }

    private static byte[] dir(String name) {
        return TarMutator.entry(name, (byte) '5', new byte[0], "");
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(data);
        }
        return b.toByteArray();
    }

    private static Descriptor layer(byte[] gz, Map<String, String> ann) {
        return new Descriptor(Modelcar.GZIP_LAYER, Digest.sha256Of(gz), gz.length, ann);
    }

    /** Feeds the model layer {@code content} (the image's second layer) through its sink, writing m/a.txt to {@code dest}. */
    private long read(byte[] content, Path dest) throws IOException {
        byte[] gz = gzip(content);
        Descriptor reg = layer(gzip(tar(dir("models/"), file("models/models.toml", TOML))),
                Map.of(Modelcar.REGISTRY, Digest.sha256Of(TOML).toString(), Annotations.GROUP, ""));
        Descriptor model = layer(gz, Map.of(Annotations.GROUP, "x/m"));
        Manifest m = new Manifest(null, Descriptor.of(Modelcar.IMAGE_CONFIG, Digest.sha256Of(new byte[1]), 1),
                List.of(reg, model), Map.of(Modelcar.ROOT, "/models", Modelcar.REGISTRY, Digest.sha256Of(TOML).toString()));
        Modelcar car = ImageLayers.modelcar(m, "image");
        Map<String, FileEntry> serves = ImageLayers.serves(REGISTRY, car, model, FileGroups.groups(REGISTRY));
        long[] written = {0};
        BlobSink sink = ImageLayers.sink(car, model, serves, Map.of("m/a.txt", dest), n -> written[0] = n, "layer L");
        sink.write(gz, 0, gz.length);
        sink.finish();
        return written[0];
    }

    @Test
    void anHonestLayerIsExtractedAndVerified() throws IOException {
        Path dest = tmp.resolve("a.txt");
        assertThat(read(tar(dir("models/"), dir("models/m/"), file("models/m/a.txt", A)), dest)).isEqualTo(2);
        assertThat(Files.readAllBytes(dest)).isEqualTo(A);
    }

    @Test
    void hostileEntriesFailTheLayer() {
        Path d = tmp.resolve("x");
        Map<String, byte[]> cases = Map.of(
                "which models.toml does not place in this layer", tar(file("models/m/a.txt", A), file("models/m/extra", A)),
                "outside the image root", tar(file("etc/passwd", A)),
                "not a plain path", tar(file("models/../etc/a", A)),
                "symbolic link", tar(TarMutator.entry("models/m/a.txt", (byte) '2', new byte[0], "/etc/shadow")),
                "occurs twice", tar(file("models/m/a.txt", A), file("models/m/a.txt", A)),
                "digest mismatch", tar(file("models/m/a.txt", "evil".getBytes(StandardCharsets.UTF_8))),
                "not the layer marked as holding it", tar(file("models/models.toml", TOML), file("models/m/a.txt", A)),
                "does not contain file 'm/a.txt'", tar(dir("models/")),
                "outside the image root ", tar(dir("srv/"), file("models/m/a.txt", A)));
        cases.forEach((why, content) -> assertThatThrownBy(() -> read(content, d)).as(why)
                .isInstanceOf(ContentException.class).hasMessageContaining("layer L").hasMessageContaining(why.strip()));
    }

    @Test
    void theRegistryLayerMustHoldTheModelsTomlTheManifestNames() throws IOException {
        byte[] ok = gzip(tar(dir("models/"), file("models/models.toml", TOML)));
        byte[] other = gzip(tar(file("models/models.toml", "[files]\n".getBytes(StandardCharsets.UTF_8))));
        for (byte[] gz : List.of(ok, other)) {
            Descriptor reg = layer(gz, Map.of(Modelcar.REGISTRY, Digest.sha256Of(TOML).toString()));
            Manifest m = new Manifest(null, Descriptor.of(Modelcar.IMAGE_CONFIG, Digest.sha256Of(new byte[1]), 1),
                    List.of(reg), Map.of(Modelcar.ROOT, "/models", Modelcar.REGISTRY, Digest.sha256Of(TOML).toString()));
            AtomicReference<byte[]> got = new AtomicReference<>();
            BlobSink s = ImageLayers.registrySink(ImageLayers.modelcar(m, "image"), got::set, "layer R");
            if (gz == ok) {
                s.write(gz, 0, gz.length);
                s.finish();
                assertThat(got.get()).isEqualTo(TOML);
            } else {
                assertThatThrownBy(() -> {
                    s.write(gz, 0, gz.length);
                    s.finish();
                }).hasMessageContaining("/models/models.toml in layer R: digest mismatch");
            }
        }
    }
}
