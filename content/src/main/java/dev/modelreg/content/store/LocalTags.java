package dev.modelreg.content.store;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.ReadOnlyStorage;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Reference;
import java.io.IOException;

/** What a layout and an archive check before they tag a manifest: a valid tag, and the manifest in the store. */
final class LocalTags {
    private LocalTags() {}

    static void checkTaggable(ReadOnlyStorage store, Descriptor manifest, String tag, String name) throws IOException {
        try {
            Reference.checkTag(tag, name);
        } catch (IllegalArgumentException e) {
            throw ContentException.invalid(e.getMessage());
        }
        if (!store.exists(manifest)) {
            throw ContentException.notFound("cannot tag '" + tag + "': manifest " + manifest.digest() + " not found in " + name);
        }
    }
}
