package dev.modelreg.content;

import dev.modelreg.spec.Digest;
import java.io.IOException;

/**
 * Optional capability of a store (oras-go's {@code registry.ReferrerLister}): the manifests whose {@code subject} is
 * a manifest, found its own way: a registry through the referrers API, else the referrers tag scheme; a layout or
 * archive through its referrers tag and its index.json's untagged entries ({@link Referrers#inIndex}). A store without
 * it is asked for the referrers tag alone ({@link Referrers#of}).
 */
public interface ReferrerLister {
    /** The referrers of {@code subject}, bounded ({@link dev.modelreg.spec.Limits#MAX_REFERRERS}). */
    Referrers.Found referrers(Digest subject) throws IOException;
}
