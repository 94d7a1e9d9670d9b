package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import java.io.IOException;

/** Resolves a tag or a digest string to the descriptor of a manifest. */
public interface Resolver {
    Descriptor resolve(String reference) throws IOException;
}
