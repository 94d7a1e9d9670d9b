package dev.modelreg.content;

import dev.modelreg.spec.ImageIndex;
import java.io.IOException;
import java.util.List;

/**
 * A store that lists its tags with their manifests: a registry repository (its tag list, bounded by
 * {@link dev.modelreg.spec.Limits#MAX_TAGS}), an OCI layout or archive (index.json, with the repository each ref came
 * from when it names one).
 */
public interface TagLister {
    List<ImageIndex.Named> refs() throws IOException;
}
