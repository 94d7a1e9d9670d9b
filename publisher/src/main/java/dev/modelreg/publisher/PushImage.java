package dev.modelreg.publisher;

import dev.modelreg.content.Copy;
import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.CopyResult;
import dev.modelreg.content.Targets;
import dev.modelreg.spec.Reference;
import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;

/** The image half of a push: a model image built by jib and copied with the one engine. */
final class PushImage {
    private PushImage() {}

    /**
     * Builds the model image with jib ({@link ModelImage}), then copies it with the one engine to the destination (if
     * any) and writes the docker-archive tar (if asked). Without a destination the result names the tar.
     */
    static Push.Result run(PushInputs.Loaded loaded, PushDestination dest, String tag, String ref,
                           Map<String, String> ann, Push.Request r, Consumer<String> progress) throws IOException {
        ImageOptions io = r.image();
        progress.accept("building the image of " + loaded.registry().files().size() + " files under " + io.root());
        try (ModelImage image = ModelImage.build(loaded.registry(), loaded.config(), loaded.sources(), ann, io, r.maxLayers())) {
            CopyResult cr = null;
            String reference;
            if (dest != null) {
                try (Targets.Opened opened = Targets.open(dest.target(), r.registry())) {
                    progress.accept("pushing " + image.manifest().layers().size() + " layers to " + opened.target().name());
                    CopyOptions co = CopyOptions.of(r.registry()).withListener(r.listener());
                    if (r.mountFrom() != null) co = co.withMountFrom(r.mountFrom());
                    cr = Copy.copy(image, image.descriptor(), opened.target(), tag, co);
                    opened.commit();
                }
                reference = dest.target().withTag(tag).withDigest(image.descriptor().digest()).toString();
            } else {
                reference = io.toTar().toString();
            }
            if (io.toTar() != null) {
                String name = dest != null && dest.target().kind() == Reference.Kind.REGISTRY
                        ? dest.target().withTag(tag).toString() : "modelreg/models:" + tag;
                progress.accept("writing the docker-archive tar " + io.toTar() + " (" + name + ")");
                image.writeDockerTar(io.toTar(), name);
            }
            return new Push.Result(image.descriptor().digest(), tag, ref, reference, loaded.registry().files().size(),
                    image.manifest().layers().size(), cr == null ? 0 : cr.bytesCopied(), cr == null ? 0 : cr.bytesSkipped(),
                    cr == null ? 0 : cr.blobsCopied(), cr == null ? 0 : cr.blobsSkipped(), cr == null ? 0 : cr.blobsMounted(),
                    (int) image.descriptor().size());
        }
    }
}
