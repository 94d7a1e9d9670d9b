package dev.modelreg.cli;

import dev.modelreg.publisher.ImageOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** push's model-image flags: whether to build a model image (modelcar) instead of an artifact, and how. */
public final class ImageFlags {
    static final String DEFAULT_ROOT = "/models";

    @Option(names = "--image", description = "Push a model image (modelcar) instead of an artifact: a reproducible OCI image built by jib with the "
            + "files under --image-root and models.toml beside them, one layer per model (KServe modelcars, Kubernetes image volumes).")
    boolean image;

    @Option(names = "--image-root", paramLabel = "DIR", defaultValue = DEFAULT_ROOT,
            description = "With --image: the directory of the model files in the image (default: ${DEFAULT-VALUE}).")
    String root;

    @Option(names = "--base-image", paramLabel = "FILE.tar",
            description = "With --image: the base image, a docker-archive tar (docker save, skopeo copy ... docker-archive:FILE); default: none (scratch).")
    Path baseImage;

    @Option(names = "--to-tar", paramLabel = "FILE",
            description = "With --image: also (or only, without DESTINATION) write the image as a tar that docker load accepts.")
    Path toTar;

    /** True when no destination is needed: the image only goes to a tar. */
    boolean tarOnly() {
        return image && toTar != null;
    }

    /** The image options, or null for an artifact; the image-only flags without --image are a usage error. */
    ImageOptions options() {
        if (!image) {
            if (baseImage != null || toTar != null || !DEFAULT_ROOT.equals(root)) {
                throw new ExitException(ExitCodes.USAGE, "--image-root, --base-image and --to-tar need --image");
            }
            return null;
        }
        return new ImageOptions(root, baseImage, toTar);
    }
}
