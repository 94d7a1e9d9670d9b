package dev.modelreg.publisher;

import dev.modelreg.spec.KindRules;
import java.util.List;

/**
 * What makes a push a CNCF ModelPack artifact (spec/README.md 3.12) instead of a modelreg model set: the fields of the
 * ModelPack config it writes (null: left out; the name is the push's model name prefix, the other descriptor fields
 * come from the manifest annotations a metadata file gives) and the rules that give each file its kind.
 *
 * @param version     {@code descriptor.version} (null: the {@code org.opencontainers.image.version} annotation)
 * @param family      {@code descriptor.family}
 * @param modelFormat {@code config.format} ({@code safetensors}, {@code gguf}, ...)
 * @param paramSize   {@code config.paramSize} ({@code 8b}, {@code 100m}, ...)
 * @param kindRules   {@code GLOB=KIND} rules tried before the defaults ({@link KindRules})
 */
public record ModelPackOptions(String version, String family, String modelFormat, String paramSize, List<String> kindRules) {
    /** Checks the kind rules. */
    public ModelPackOptions {
        kindRules = kindRules == null ? List.of() : List.copyOf(kindRules);
        KindRules.of(kindRules, "--kind-rule");
        if (paramSize != null && !paramSize.matches("[0-9]+(\\.[0-9])?[QqTtBbMmKk]")) {
            throw new IllegalArgumentException("--param-size: '" + paramSize + "' is not COUNT and a scale letter"
                    + " (e.g. 8b, 6.7B, 100m: ModelPack config.paramSize)");
        }
    }

    /** No fields, the default kind rules. */
    public static ModelPackOptions defaults() {
        return new ModelPackOptions(null, null, null, null, List.of());
    }

    KindRules rules() {
        return KindRules.of(kindRules, "--kind-rule");
    }
}
