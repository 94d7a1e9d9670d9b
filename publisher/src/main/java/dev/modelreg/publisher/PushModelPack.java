package dev.modelreg.publisher;

import dev.modelreg.content.Copy;
import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.CopyResult;
import dev.modelreg.content.RegistryOptions;
import dev.modelreg.content.Targets;
import dev.modelreg.spec.Text;
import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;

/** The ModelPack half of a push: the files as a CNCF ModelPack artifact ({@link ModelPackArtifact}), copied with the one engine. */
final class PushModelPack {
    private PushModelPack() {}

    static Pushed run(PushInputs.Loaded loaded, PushDestination dest, String tag, String name, Map<String, String> ann,
                      ModelPackOptions options, int maxLayers, RegistryOptions ro, CopyOptions co,
                      Consumer<String> progress) throws IOException {
        // built first: what is refused leaves no destination behind
        try (ModelPackArtifact a = ModelPackArtifact.build(loaded.registry(), loaded.sources(), name, ann, options, maxLayers);
             Targets.Opened opened = Targets.open(dest.target(), ro)) {
            progress.accept("pushing a ModelPack of " + Text.count(loaded.registry().files().size(), "file") + " to "
                    + opened.target().name());
            CopyResult cr = Copy.copy(a.content(), a.descriptor(), opened.target(), tag, co);
            opened.commit();
            String reference = dest.target().withTag(tag).withDigest(a.descriptor().digest()).toString();
            return new Pushed(a.descriptor(), a.manifest().layers().size(), cr, reference);
        }
    }
}
