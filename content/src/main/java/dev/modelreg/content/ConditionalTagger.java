package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import java.io.IOException;

/**
 * A store that checks a {@link TagCondition} atomically with the write of the tag: a layout under its index lock, an
 * archive under its lock when it is committed. {@code repository} as for {@link NamedTagger} (null: none).
 */
public interface ConditionalTagger {
    void tag(Descriptor manifest, String tag, String repository, TagCondition condition) throws IOException;
}
