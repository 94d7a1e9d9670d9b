package dev.modelreg.cli;

import dev.modelreg.publisher.ModelPackOptions;
import java.util.List;
import picocli.CommandLine.Option;

/** push's artifact format: a modelreg model set (the default) or a CNCF ModelPack, and the ModelPack's descriptors. */
public final class ModelPackFlags {
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "modelset",
            description = "modelset (default: a modelreg model set), or modelpack: a CNCF ModelPack artifact, each file a raw "
                    + "layer of its kind, models.toml beside them (README \"ModelPack\").")
    String format;

    @Option(names = "--model-version", paramLabel = "VERSION", description = "With --format modelpack: the model's version (default: the ref).")
    String modelVersion;

    @Option(names = "--family", paramLabel = "FAMILY", description = "With --format modelpack: the model family (llama3, qwen2, ...).")
    String family;

    @Option(names = "--model-format", paramLabel = "FORMAT", description = "With --format modelpack: the weights' format (safetensors, gguf, onnx, pt, ...).")
    String modelFormat;

    @Option(names = "--param-size", paramLabel = "SIZE", description = "With --format modelpack: the parameter count (8b, 6.7B, 100m).")
    String paramSize;

    @Option(names = "--kind-rule", paramLabel = "GLOB=KIND", description = "With --format modelpack: files matching GLOB are of "
            + "KIND (weight, config, doc, code, dataset), before the default rules (repeatable).")
    List<String> kindRules;

    /** The ModelPack options, or null for a model set; the ModelPack-only flags without --format modelpack are a usage error. */
    ModelPackOptions options() {
        boolean any = modelVersion != null || family != null || modelFormat != null || paramSize != null || kindRules != null;
        if (format.equals("modelset")) {
            if (any) throw new ExitException(ExitCodes.USAGE, "--model-version, --family, --model-format, --param-size and --kind-rule need --format modelpack");
            return null;
        }
        if (!format.equals("modelpack")) throw new ExitException(ExitCodes.USAGE, "--format: '" + format + "' is not modelset or modelpack");
        try {
            return new ModelPackOptions(modelVersion, family, modelFormat, paramSize, kindRules);
        } catch (IllegalArgumentException e) {
            throw new ExitException(ExitCodes.USAGE, e.getMessage());
        }
    }
}
