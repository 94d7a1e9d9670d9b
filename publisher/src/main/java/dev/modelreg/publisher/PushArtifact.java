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

/** The artifact half of a push: the model set (on a base in the destination, if any) copied with the one engine. */
final class PushArtifact {
    private PushArtifact() {}

    /**
     * Opens the destination, reads the base (a delta push) there, plans and stages the layers and copies them: blobs
     * the destination has are skipped, the manifest goes after its blobs, the tag last; an archive is written whole.
     */
    static Pushed run(PushInputs.Loaded loaded, PushDestination dest, String tag, Map<String, String> ann,
                      RegistryOptions ro, CopyOptions co, String baseRef, int maxLayers,
                      Consumer<String> progress) throws IOException {
        try (Targets.Opened opened = Targets.open(dest.target(), ro)) {
            DeltaPlanner.Base base = baseRef == null ? null : PushInputs.base(opened.target(), baseRef, progress);
            progress.accept("building layers for " + Text.count(loaded.registry().files().size(), "file"));
            try (ModelSet set = ModelSet.build(loaded.registry(), loaded.config(), loaded.sources(), ann, maxLayers,
                    LayerPlanner.LARGE_FILE_THRESHOLD, IndexOptions.defaultThreads(), base)) {
                co.tagCondition().precheck(opened.target(), tag, set.descriptor().digest()); // before any upload
                progress.accept("pushing " + set.plan().layers().size() + " layers to " + opened.target().name()
                        + (set.plan().baseLayers() > 0 ? " (" + set.plan().baseLayers() + " kept from the base)" : ""));
                CopyResult cr = Copy.copy(set.content(), set.descriptor(), opened.target(), tag, co);
                opened.commit(); // an oci-archive: file is written here
                String reference = dest.target().withTag(tag).withDigest(set.descriptor().digest()).toString();
                return new Pushed(set.descriptor(), set.manifest().layers().size(), cr, reference);
            }
        }
    }
}
