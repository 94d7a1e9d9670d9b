package dev.modelreg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The manifest annotations of a model image: coherent, or refused in one line before any layer is fetched. */
class ModelcarTest {
    static final Digest REG = Digest.sha256Of("models.toml".getBytes());
    static final Descriptor CONFIG = Descriptor.of(Modelcar.IMAGE_CONFIG, Digest.sha256Of(new byte[0]), 0);

    private static Descriptor layer(int n, String type, Map<String, String> ann) {
        return new Descriptor(type, Digest.sha256Of(new byte[] {(byte) n}), 10 + n, ann);
    }

    private static Descriptor registry() {
        return layer(1, Modelcar.GZIP_LAYER, Map.of(Modelcar.REGISTRY, REG.toString(), Annotations.GROUP, ""));
    }

    private static Manifest image(Map<String, String> ann, Descriptor... layers) {
        return new Manifest(null, CONFIG, List.of(layers), ann);
    }

    private static final Map<String, String> ANN = Map.of(Modelcar.ROOT, "/models", Modelcar.REGISTRY, REG.toString());

    @Test
    void mapsGroupsToLayersAndSkipsBaseLayers() {
        Descriptor base = layer(0, Modelcar.GZIP_LAYER, Map.of());
        Descriptor a = layer(2, Modelcar.GZIP_LAYER, Map.of(Annotations.GROUP, "x/a"));
        Descriptor bc = layer(3, Modelcar.GZIP_LAYER, Map.of(Annotations.GROUPS, "[\"x/b\",\"x/c\"]"));
        Manifest m = image(ANN, base, registry(), a, bc);
        assertThat(Modelcar.isImage(m)).isTrue();
        Modelcar car = Modelcar.of(m, "img");
        assertThat(car.registry()).isEqualTo(REG);
        assertThat(car.entryPrefix()).isEqualTo("models/");
        assertThat(car.layerOf("")).isEqualTo(registry());
        assertThat(car.layerOf("x/a")).isEqualTo(a);
        assertThat(car.layerOf("x/c")).isEqualTo(bc);
        assertThat(car.layerOf("x/d")).isNull();
    }

    @Test
    void refusesMissingOrContradictoryAnnotations() {
        Descriptor a = layer(2, Modelcar.GZIP_LAYER, Map.of(Annotations.GROUP, "x/a"));
        Map<String, Manifest> bad = new java.util.LinkedHashMap<>();
        bad.put("is not a modelreg model image", image(Map.of(Modelcar.ROOT, "/models"), registry()));
        bad.put("is not a digest", image(Map.of(Modelcar.ROOT, "/models", Modelcar.REGISTRY, "md5:x"), registry()));
        bad.put("is not an absolute directory", image(Map.of(Modelcar.ROOT, "/models/../etc", Modelcar.REGISTRY, REG.toString()), registry()));
        bad.put("no layer is marked", image(ANN, a));
        bad.put("two layers claim to hold models.toml", image(ANN, registry(), layer(4, Modelcar.GZIP_LAYER,
                Map.of(Modelcar.REGISTRY, REG.toString()))));
        bad.put("is claimed by layers", image(ANN, registry(), a, layer(5, Modelcar.GZIP_LAYER, Map.of(Annotations.GROUP, "x/a"))));
        bad.put("has media type", image(ANN, registry(), layer(6, "application/vnd.evil\u001b[31m", Map.of(Annotations.GROUP, "x/z"))));
        bad.put("names models.toml", image(ANN, layer(7, Modelcar.GZIP_LAYER, Map.of(Modelcar.REGISTRY, Digest.sha256Of(new byte[2]).toString()))));
        bad.put("must be in the models.toml layer", image(ANN, layer(1, Modelcar.GZIP_LAYER, Map.of(Modelcar.REGISTRY, REG.toString())),
                layer(8, Modelcar.GZIP_LAYER, Map.of(Annotations.GROUP, ""))));
        bad.forEach((why, m) -> assertThatThrownBy(() -> Modelcar.of(m, "img")).as(why)
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("img: ").hasMessageContaining(why)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\u001b")));
    }
}
