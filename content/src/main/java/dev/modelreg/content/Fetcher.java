package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import java.io.IOException;
import java.io.InputStream;

/** Reads a blob (a manifest is a blob too) by its descriptor. Missing content throws {@link ContentException.Kind#NOT_FOUND}. */
public interface Fetcher {
    /**
     * Opens the content of {@code d}. The stream is NOT verified: callers that use the bytes read them through
     * {@link VerifiedRead} (or store them through {@link Ingest}) so that what they use matches {@code d}.
     */
    InputStream fetch(Descriptor d) throws IOException;
}
