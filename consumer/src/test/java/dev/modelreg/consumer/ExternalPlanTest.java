package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.ModelregException;
import dev.modelreg.spec.ModelsToml;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Planning a model set with files stored outside the registry (spec/README.md 3.14): from its URL, or refused. */
class ExternalPlanTest {
    static Digest sha(String s) {
        return Digest.sha256Of(s.getBytes(StandardCharsets.UTF_8));
    }

    static Plan plan(FileEntry external) throws ConsumerException {
        TreeMap<String, FileEntry> files = new TreeMap<>();
        files.put("a/mfsim.nam", FileEntry.ofHash(sha("nam")));
        files.put("a/big.bin", external);
        ModelsToml r = new ModelsToml("1.0", files, new TreeMap<>(Map.of("m/a", List.copyOf(files.keySet()))), new TreeMap<>());
        Descriptor tar = new Descriptor(MediaTypes.TAR_LAYER, sha("tar"), 3, Map.of(Annotations.GROUP, "m/a"));
        Manifest m = new Manifest(MediaTypes.ARTIFACT_TYPE, Descriptor.of(MediaTypes.CONFIG, sha("c"), 1), List.of(tar),
                Map.of(Annotations.EXTERNAL, "[\"a/big.bin\"]"));
        return new ModelSetFormat(m).plan(r, files.keySet(), null, d -> false, "x@v1");
    }

    @Test
    void anExternalFileIsPlannedFromItsUrlAndOneWithoutUrlOrHashIsRefused() throws ConsumerException {
        Plan p = plan(new FileEntry(sha("big"), "https://files.example/a/big.bin", null, 3L));
        assertThat(p.external()).containsExactly(Map.entry("a/big.bin", sha("big")));
        assertThat(p.layers()).singleElement().satisfies(f -> assertThat(f.files()).containsOnlyKeys("a/mfsim.nam"));

        assertThatThrownBy(() -> plan(new FileEntry(sha("big"), null, null, 3L)))
                .isInstanceOfSatisfying(ModelregException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("x@v1: file 'a/big.bin' is stored outside the registry but models.toml gives it no url"));
        assertThatThrownBy(() -> plan(new FileEntry(null, "https://files.example/a/big.bin", null, 3L)))
                .isInstanceOfSatisfying(ModelregException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("x@v1: file 'a/big.bin' has no hash in the registry"));
    }
}
