package dev.modelreg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The finding rule of spec/README.md 3.3 and 3.6: file layer, else the last delta listing the key, else the group's tar. */
class LayerIndexTest {
    static Descriptor layer(String mediaType, String seed, Map<String, String> ann) {
        return new Descriptor(mediaType, Digest.sha256Of(seed.getBytes(StandardCharsets.UTF_8)), 1, ann);
    }

    @Test
    void fileLayerThenLastDeltaThenGroupTar() {
        TreeMap<String, FileEntry> files = new TreeMap<>();
        for (String k : List.of("a/mfsim.nam", "a/big.bin", "a/x.dis", "b/mfsim.nam", "loose.txt")) {
            files.put(k, FileEntry.ofHash(Digest.sha256Of(k.getBytes(StandardCharsets.UTF_8))));
        }
        ModelsToml r = new ModelsToml("1.0", files, new TreeMap<>(Map.of(
                "m/a", List.of("a/mfsim.nam", "a/big.bin", "a/x.dis"), "m/b", List.of("b/mfsim.nam"))), new TreeMap<>());
        Descriptor big = layer(MediaTypes.FILE_LAYER, "big", Map.of(Annotations.TITLE, "a/big.bin"));
        Descriptor tarA = layer(MediaTypes.TAR_LAYER, "a", Map.of(Annotations.GROUP, "m/a"));
        Descriptor merged = layer(MediaTypes.TAR_LAYER, "merged", Map.of(Annotations.GROUPS, "[\"\",\"m/b\"]"));
        Descriptor d1 = layer(MediaTypes.TAR_LAYER, "d1", Map.of(Annotations.DELTA, "[\"a/x.dis\",\"b/mfsim.nam\",\"a/big.bin\"]"));
        Descriptor d2 = layer(MediaTypes.TAR_LAYER, "d2", Map.of(Annotations.DELTA, "[\"a/x.dis\"]"));
        Manifest m = new Manifest(MediaTypes.ARTIFACT_TYPE, layer(MediaTypes.CONFIG, "c", Map.of()),
                List.of(big, merged, tarA, d1, d2), Map.of());
        LayerIndex idx = LayerIndex.of(m, r);
        assertThat(idx.layerOf("a/big.bin")).isEqualTo(big);      // a file layer beats any delta
        assertThat(idx.layerOf("a/x.dis")).isEqualTo(d2);         // the last delta listing it
        assertThat(idx.layerOf("b/mfsim.nam")).isEqualTo(d1);
        assertThat(idx.layerOf("a/mfsim.nam")).isEqualTo(tarA);   // else its group's tar
        assertThat(idx.layerOf("loose.txt")).isEqualTo(merged);   // group "" in a merged tar
        assertThat(LayerIndex.isDelta(d1)).isTrue();
        assertThat(LayerIndex.isDelta(tarA)).isFalse();
    }

    @Test
    void aBadArrayAnnotationIsNamed() {
        Descriptor bad = layer(MediaTypes.TAR_LAYER, "bad", Map.of(Annotations.DELTA, "{\"a\":1}"));
        Manifest m = new Manifest(MediaTypes.ARTIFACT_TYPE, layer(MediaTypes.CONFIG, "c", Map.of()), List.of(bad), Map.of());
        ModelsToml r = new ModelsToml("1.0", new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
        assertThatThrownBy(() -> LayerIndex.of(m, r))
                .hasMessage("layer " + bad.digest() + ": " + Annotations.DELTA + " must be a JSON array of strings");
    }

    @Test
    void anExternalKeyIsServedByNoLayerWhateverTheLayersHold() {
        TreeMap<String, FileEntry> files = new TreeMap<>();
        for (String k : List.of("a/mfsim.nam", "a/big.bin", "a/w.bin")) {
            files.put(k, FileEntry.ofHash(Digest.sha256Of(k.getBytes(StandardCharsets.UTF_8))));
        }
        ModelsToml r = new ModelsToml("1.0", files, new TreeMap<>(Map.of("m/a", List.copyOf(files.keySet()))), new TreeMap<>());
        Descriptor big = layer(MediaTypes.FILE_LAYER, "big", Map.of(Annotations.TITLE, "a/big.bin"));
        Descriptor tarA = layer(MediaTypes.TAR_LAYER, "a", Map.of(Annotations.GROUP, "m/a"));
        Manifest m = new Manifest(MediaTypes.ARTIFACT_TYPE, layer(MediaTypes.CONFIG, "c", Map.of()), List.of(big, tarA),
                Map.of(Annotations.EXTERNAL, "[\"a/big.bin\",\"a/w.bin\"]"));
        LayerIndex idx = LayerIndex.of(m, r);
        assertThat(idx.layerOf("a/big.bin")).isNull();           // listed as external: its URL, not the file layer
        assertThat(idx.layerOf("a/w.bin")).isNull();             // nor its group's tar
        assertThat(idx.layerOf("a/mfsim.nam")).isEqualTo(tarA);
        assertThat(idx.isExternal("a/w.bin")).isTrue();
        assertThat(idx.external()).containsExactly("a/big.bin", "a/w.bin");

        Manifest bad = new Manifest(MediaTypes.ARTIFACT_TYPE, m.config(), List.of(tarA), Map.of(Annotations.EXTERNAL, "\"a/w.bin\""));
        assertThatThrownBy(() -> LayerIndex.of(bad, r))
                .hasMessage("the manifest's " + Annotations.EXTERNAL + " must be a JSON array of strings");
    }
}
