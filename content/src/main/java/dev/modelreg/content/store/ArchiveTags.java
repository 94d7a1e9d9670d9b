package dev.modelreg.content.store;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.TagCondition;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.ImageIndex;
import java.util.ArrayList;
import java.util.List;

/**
 * The tags an {@link OciArchive} writer set since it opened the archive, in order, each with the {@link TagCondition}
 * it was set under: checked when set, applied to the archive's index when it is written, and checked again at the
 * commit against the archive as it is then under its lock (so a tag another writer moved meanwhile is not overwritten).
 */
final class ArchiveTags {
    private record Pending(ImageIndex.Named ref, TagCondition condition) {}

    private final List<Pending> pending = new ArrayList<>();

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Adds {@code tag} for {@code repository} at {@code manifest} if {@code condition} holds in {@code current}. */
    void add(ImageIndex current, Descriptor manifest, String tag, String repository, TagCondition condition, String where)
            throws ContentException {
        condition.check(current.named(), tag, repository, manifest.digest(), where);
        pending.add(new Pending(new ImageIndex.Named(repository, tag, ImageIndex.plain(manifest)), condition));
    }

    /** {@code index} with these tags set (replacing entries of the same tag, appended), in the order they were set. */
    ImageIndex applyTo(ImageIndex index) {
        for (Pending p : pending) index = index.withTag(p.ref().tag(), p.ref().manifest(), p.ref().repository());
        return index;
    }

    /** Checks every condition again against {@code now} (null: no archive yet). */
    void check(ImageIndex now, String where) throws ContentException {
        List<ImageIndex.Named> refs = now == null ? List.of() : now.named();
        for (Pending p : pending) {
            p.condition().check(refs, p.ref().tag(), p.ref().repository(), p.ref().manifest().digest(), where);
        }
    }

    void clear() {
        pending.clear();
    }
}
