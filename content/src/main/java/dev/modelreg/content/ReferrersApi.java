package dev.modelreg.content;

import dev.modelreg.spec.Digest;
import java.io.IOException;

/** Optional capability of a registry store: the OCI referrers API ({@code GET /v2/NAME/referrers/DIGEST}, distribution spec 1.1). */
public interface ReferrersApi {
    /**
     * The image index of the manifests whose {@code subject} is {@code subject} (within the manifest limit), or null
     * when the registry answers 404: it does not support the API (a registry that does answers 200, an empty index
     * included).
     */
    byte[] referrersIndex(Digest subject) throws IOException;
}
