package dev.modelreg.content;

import java.io.IOException;
import java.util.List;

/**
 * Optional capability of a registry repository (oras-go's {@code registry.Repository}): a target whose refs all
 * belong to the one repository it names ({@link #name()}), and which lists its tag names cheaply (a page of names per
 * request), before any is resolved to a manifest.
 */
public interface Repository extends Target {
    /** Its tag names, bounded by {@link dev.modelreg.spec.Limits#MAX_TAGS}. */
    List<String> listTags() throws IOException;
}
