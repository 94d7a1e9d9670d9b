package dev.modelreg.cli;

import dev.modelreg.publisher.Push;
import picocli.CommandLine.Option;

/** push's layering flags: which layers an artifact gets (a delta on a previous push, a cap) and where blobs come from. */
public final class LayerFlags {
    @Option(names = "--mount-from", paramLabel = "REPOSITORY",
            description = "Mount blobs the registry has in this other repository instead of uploading them.")
    String mountFrom;

    @Option(names = "--base", paramLabel = "TAG|REF|sha256:DIGEST",
            description = {"Rebase on a previous push in DESTINATION: its tar layers are kept and the small files that changed go into one delta layer, so a few changed files upload (and download) as a few files.",
                    "A git ref names its tag (feature/x: feature_2fx). Not found there: a full push. A chain of 4 delta layers is compacted (full tars again)."})
    String base;

    @Option(names = "--max-layers", paramLabel = "N", defaultValue = "" + Push.DEFAULT_MAX_LAYERS,
            description = "At most N layers (default: ${DEFAULT-VALUE}, the ECR limit).")
    int maxLayers;

    /** Sets the request's base, layer cap and mount source. */
    Push.Request.Builder applyTo(Push.Request.Builder request) {
        return request.base(base).maxLayers(maxLayers).mountFrom(mountFrom);
    }
}
