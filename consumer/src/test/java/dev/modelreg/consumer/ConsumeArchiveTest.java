package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.Reference;
import dev.modelreg.content.store.OciArchive;
import dev.modelreg.publisher.Push;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pull and copy --from read an oci-archive: tar in place, every file verified; a tampered tar writes nothing. */
class ConsumeArchiveTest {
    @TempDir Path tmp;

    private Path publish(Path tar) throws java.io.IOException {
        Push.run(Push.Request.builder(ConsumePublishedTest.examples(), Reference.parse("oci-archive:" + tar + ":main"))
                .name("example").ref("main").build());
        return tar;
    }

    private ModelReg consumer(String cache) throws java.io.IOException {
        return new ModelReg(ModelReg.loadConfig(null, Map.of()),
                Settings.from(Map.of("MODELREG_CACHE", tmp.resolve(cache).toString())));
    }

    @Test
    void pullsAndCopiesFromAnArchive() throws java.io.IOException {
        Path tar = publish(tmp.resolve("models.tar"));
        String ref = "oci-archive:" + tar + ":main";
        ModelsToml registry = ModelsTomlCodec.read(Files.readAllBytes(
                ConsumePublishedTest.examples().resolve(".registry/models.toml")), "examples registry");

        ModelReg reg = consumer("cache");
        var pulled = reg.pull(ref, tmp.resolve("pulled"), java.util.List.of());
        assertThat(pulled.files()).hasSize(registry.files().size());
        for (String key : registry.files().keySet()) {
            assertThat(Files.readAllBytes(tmp.resolve("pulled").resolve(key)))
                    .as(key).isEqualTo(Files.readAllBytes(ConsumePublishedTest.examples().resolve(key)));
        }
        String model = registry.models().keySet().iterator().next();
        var copied = reg.copyFrom(ref, model, tmp.resolve("ws"), false);
        assertThat(copied.files()).hasSize(registry.models().get(model).size());
        assertThat(reg.verifyFrom(ref, model, tmp.resolve("ws")).ok()).isTrue();
        // by digest too
        String digest = OciArchive.open(tar).resolve("main").digest().toString();
        assertThat(consumer("cache2").pull("oci-archive:" + tar + "@" + digest, tmp.resolve("bydigest"), java.util.List.of())
                .digest().toString()).isEqualTo(digest);
    }

    @Test
    void aSourceCanBeAnArchive() throws java.io.IOException {
        Path tar = publish(tmp.resolve("models.tar"));
        Path boot = tmp.resolve("sources.toml");
        Files.writeString(boot, "[sources.ex]\nname = \"example\"\noci = \"oci-archive:" + tar + "\"\nrefs = [\"main\"]\n");
        ModelReg reg = new ModelReg(ModelReg.loadConfig(boot, Map.of()),
                Settings.from(Map.of("MODELREG_CACHE", tmp.resolve("cache").toString())));
        assertThat(reg.sync("ex", null, false)).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo("synced");
            assertThat(r.digest()).isEqualTo(OciArchive.open(tar).resolve("main").digest());
        });
        var copied = reg.copy("example/ex-gwf-bcf2ss", tmp.resolve("ws"), false);
        assertThat(copied.files()).isNotEmpty();
        assertThat(reg.verify("example/ex-gwf-bcf2ss", tmp.resolve("ws")).ok()).isTrue();
    }

    @Test
    void aTamperedArchiveIsRefusedAndNothingIsWritten() throws java.io.IOException {
        Path tar = publish(tmp.resolve("models.tar"));
        OciArchive a = OciArchive.open(tar);
        Descriptor root = a.resolve("main");
        Manifest m;
        try (InputStream in = a.fetch(root)) {
            m = Manifest.parse(in.readAllBytes(), "manifest");
        }
        Descriptor layer = m.layers().stream().filter(l -> MediaTypes.TAR_LAYER.equals(l.mediaType())).findFirst().orElseThrow();
        byte[] bytes = Files.readAllBytes(tar);
        int at = indexOf(bytes, layer, a);
        bytes[at + 700] ^= 1;
        Files.write(tar, bytes);

        Path out = tmp.resolve("pulled");
        assertThatThrownBy(() -> consumer("cache").pull("oci-archive:" + tar + ":main", out, java.util.List.of()))
                .hasMessageContaining(layer.digest().toString());
        assertThat(out).doesNotExist();
        assertThatThrownBy(() -> consumer("cache").pull("oci-archive:" + tmp.resolve("missing.tar") + ":main", out, java.util.List.of()))
                .hasMessage("no OCI archive at " + tmp.resolve("missing.tar"));
    }

    /** Where the layer's bytes start in the tar: found by content, so the test does not trust our tar reader. */
    private static int indexOf(byte[] tar, Descriptor layer, OciArchive a) throws java.io.IOException {
        byte[] want;
        try (InputStream in = a.fetch(layer)) {
            want = in.readNBytes(1024);
        }
        outer:
        for (int i = 0; i + want.length <= tar.length; i += 512) {
            for (int j = 0; j < want.length; j++) if (tar[i + j] != want[j]) continue outer;
            return i;
        }
        throw new AssertionError("layer " + layer.digest() + " not found in the tar");
    }
}
