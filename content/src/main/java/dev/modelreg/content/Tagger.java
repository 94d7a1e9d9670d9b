package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import java.io.IOException;

/** Points a tag at a manifest that the store already holds. */
public interface Tagger {
    void tag(Descriptor manifest, String tag) throws IOException;
}
