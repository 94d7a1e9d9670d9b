package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import java.io.IOException;

/** Optional capability of a registry store: link a blob from another repository of the same registry (no upload). */
public interface Mounter {
    /** The registry host (and port) this store belongs to. */
    String registry();

    /** The repository of this store. */
    String repository();

    /** True if {@code d} was mounted from {@code fromRepository}; false if the registry would not (then upload). */
    boolean mount(Descriptor d, String fromRepository) throws IOException;
}
