package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Reference;
import dev.modelreg.publisher.Push;
import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the layer limit forces the publisher to merge groups, a tar carries {@code dev.modelreg.groups} (a JSON array)
 * instead of {@code dev.modelreg.group}; every model must still be copyable and verify.
 */
class ConsumeMergedTarsTest {
    @TempDir Path tmp;

    @Test
    void everyModelCopiesOutOfMergedTars() throws Exception {
        Path layout = tmp.resolve("layout");
        String ref = "oci-layout:" + layout + ":merged";
        Push.run(Push.Request.builder(ConsumePublishedTest.examples(), Reference.parse(ref)).name("example")
                .namefile("mfsim.nam").ref("main").maxLayers(2).build());
        Manifest m = Manifest.parse(Files.readAllBytes(layout.resolve("blobs/sha256/"
                + dev.modelreg.content.store.OciLayout.open(layout).resolve("merged").digest().hex())), "manifest");
        assertThat(m.layers()).hasSizeLessThanOrEqualTo(2);
        assertThat(m.layers()).as("the limit forced a merged tar")
                .anySatisfy(l -> assertThat(l.annotation(Annotations.GROUPS)).isNotNull());

        ModelReg reg = new ModelReg(ModelReg.loadConfig(null, Map.of()),
                Settings.from(Map.of("MODELREG_CACHE", tmp.resolve("cache").toString())));
        ModelsToml registry = ModelsTomlCodec.read(Files.readAllBytes(
                ConsumePublishedTest.examples().resolve(".registry/models.toml")), "examples registry");
        int i = 0;
        for (String model : registry.models().keySet()) {
            Path ws = tmp.resolve("ws" + (++i));
            var copied = reg.copyFrom(ref, model, ws, false);
            assertThat(copied.files()).as(model).hasSize(registry.models().get(model).size());
            assertThat(reg.verifyFrom(ref, model, ws).ok()).as(model).isTrue();
        }
    }
}
