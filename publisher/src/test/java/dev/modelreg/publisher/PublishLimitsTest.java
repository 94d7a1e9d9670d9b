package dev.modelreg.publisher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import dev.modelreg.spec.RegistryFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a consumer refuses (spec section 14) is not published: the checks run before anything is staged or pushed. */
class PublishLimitsTest {
    @TempDir Path tmp;

    static ModelSet.Sources sources(Path file, String key) {
        return new ModelSet.Sources(Map.of(key, file), Map.of(key, 1L), Map.of(key, Digest.sha256Of(new byte[] {'x'})));
    }

    @Test
    void aKeyOverTheLimitsIsNotPublished() throws Exception {
        Path f = Files.write(tmp.resolve("f"), new byte[] {'x'});
        String key = "m/" + "s".repeat(Limits.MAX_KEY_SEGMENT_BYTES + 1);
        TreeMap<String, FileEntry> files = new TreeMap<>(Map.of(key, FileEntry.ofHash(Digest.sha256Of(new byte[] {'x'}))));
        ModelsToml r = new ModelsToml("1.0", files, new TreeMap<>(Map.of("m", List.of(key))), new TreeMap<>());
        assertThatThrownBy(() -> ModelSet.build(r, ModelsTomlCodec.write(r), sources(f, key), Map.of(), 500, 1 << 20, 1))
                .isInstanceOf(RegistryFormatException.class)
                .hasMessageEndingWith("has a 256-byte segment, more than the limit of 255");
    }

    @Test
    void aRegistryFileOverTheSizeLimitIsNotPublished() throws Exception {
        Path f = Files.write(tmp.resolve("f"), new byte[] {'x'});
        ModelsToml r = new ModelsToml("1.0", new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
        byte[] config = new byte[Limits.MAX_REGISTRY_BYTES + 1];
        assertThatThrownBy(() -> ModelSet.build(r, config, sources(f, "k"), Map.of(), 500, 1 << 20, 1))
                .hasMessage("the registry file (models.toml) is 16777217 bytes, more than the 16777216-byte limit for a"
                        + " models.toml");
    }

    @Test
    void maxLayersIsAtMostWhatConsumersRead() throws java.io.IOException {
        ModelsToml r = ModelsTomlCodec.read("[files.a]\n".getBytes(UTF_8), "m");
        assertThatThrownBy(() -> LayerPlanner.plan(r, Map.of(), Map.of(), Map.of(), 1 << 20, Limits.MAX_LAYERS + 1))
                .hasMessage("--max-layers must be 1 to 10000 (what consumers read), got 10001");
    }
}
