package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import java.io.IOException;

/** A layout or archive: tags a manifest and records the repository ({@code HOST/REPOSITORY}, or null) it came from. */
public interface NamedTagger extends Tagger {
    void tag(Descriptor manifest, String tag, String repository) throws IOException;

    /** A tag that records no repository. */
    @Override
    default void tag(Descriptor manifest, String tag) throws IOException {
        tag(manifest, tag, null);
    }
}
