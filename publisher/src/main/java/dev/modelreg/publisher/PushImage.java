package dev.modelreg.publisher;

import dev.modelreg.content.Copy;
import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.CopyResult;
import dev.modelreg.content.RegistryOptions;
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
    static Pushed run(PushInputs.Loaded loaded, PushDestination dest, String tag, Map<String, String> ann,
                      ImageOptions io, int maxLayers, RegistryOptions ro, CopyOptions co, Consumer<String> progress)
            throws IOException {
        progress.accept("building the image of " + loaded.registry().files().size() + " files under " + io.root());
        try (ModelImage image = ModelImage.build(loaded.registry(), loaded.config(), loaded.sources(), ann, io, maxLayers)) {
            CopyResult cr = null;
            String reference;
            if (dest != null) {
                try (Targets.Opened opened = Targets.open(dest.target(), ro)) {
                    co.tagCondition().precheck(opened.target(), tag, image.descriptor().digest()); // before any upload
                    progress.accept("pushing " + image.manifest().layers().size() + " layers to " + opened.target().name());
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
            return new Pushed(image.descriptor(), image.manifest().layers().size(), cr, reference);
        }
    }
}
