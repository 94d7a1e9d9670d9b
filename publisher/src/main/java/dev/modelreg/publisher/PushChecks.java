package dev.modelreg.publisher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;

/** What a push request must be before anything is indexed or created (the first step of {@link Push#run}). */
final class PushChecks {
    private PushChecks() {}

    /**
     * DIR is a directory; an artifact's layer limit is valid; only an artifact is rebased ({@code --base}); a ModelPack
     * is neither an image nor rebased.
     */
    static void check(Push.Request r) throws IOException {
        if (!Files.isDirectory(r.dir())) {
            throw new NoSuchFileException(r.dir().toString(), null, Files.exists(r.dir())
                    ? "not a directory (push indexes a directory of models)" : "no such directory");
        }
        if (r.image() == null) LayerPlanner.checkMaxLayers(r.maxLayers());
        if (r.image() != null && r.base() != null) {
            throw PublishException.invalid("--base rebases an artifact on delta layers; an image has none (its base image is --base-image FILE.tar)");
        }
        if (r.modelPack() != null && (r.image() != null || r.base() != null)) {
            throw PublishException.invalid("a ModelPack is neither an image nor rebased on delta layers: drop --image or --base");
        }
    }
}
