package dev.modelreg.publisher;

import dev.modelreg.spec.Modelcar;
import java.nio.file.Path;

/**
 * What makes a push a model image (spec/README.md 3.11) instead of an artifact.
 *
 * @param root      the directory of the model files in the image (null: {@code /models})
 * @param baseImage the base image, a docker-archive tar ({@code docker save}); null: none (scratch)
 * @param toTar     also (or, without a destination, only) write the image as a tar that {@code docker load} reads;
 *                  null: none
 */
public record ImageOptions(String root, Path baseImage, Path toTar) {
    /** Checks the root: an absolute path other than {@code /}, with no empty, {@code .} or {@code ..} segment. */
    public ImageOptions {
        root = Modelcar.checkRoot(root == null ? Modelcar.DEFAULT_ROOT : root, "--image-root");
    }
}
