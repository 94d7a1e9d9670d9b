package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import java.io.IOException;

/** A store that can be read and asked what it has. */
public interface ReadOnlyStorage extends Fetcher {
    boolean exists(Descriptor d) throws IOException;
}
