package dev.modelreg.testkit.conformance;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.ImageIndex;
import java.io.IOException;
import java.util.List;

/**
 * A store with tags under test ({@link TargetConformance}): a registry repository, an OCI layout or archive (oras-go's
 * {@code Target}: storage plus tag and resolve, and a tag list).
 */
public interface ConformanceTarget extends ConformanceStore {
    /** Points {@code tag} at {@code manifest}, which the store holds (content's {@code Tagger}). */
    void tag(Descriptor manifest, String tag) throws IOException;

    /** The descriptor of the manifest a tag or a digest names (content's {@code Resolver}). */
    Descriptor resolve(String reference) throws IOException;

    /** Every tag with its manifest (content's {@code TagLister}). */
    List<ImageIndex.Named> refs() throws IOException;
}
