package dev.modelreg.consumer;

import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.ModelsToml;

/** What every plan checks first about a wanted file. */
final class Plans {
    private Plans() {}

    /** The registry hash of {@code key}: not listed is NOT_FOUND, listed without a hash INVALID. */
    static Digest hashOf(ModelsToml r, String key, String label) throws ConsumerException {
        FileEntry e = r.files().get(key);
        if (e == null) throw ConsumerException.notFound(label + ": registry lists no file '" + key + "'");
        if (e.hash() == null) throw new ConsumerException(label + ": file '" + key + "' has no hash in the registry");
        return e.hash();
    }
}
