package dev.modelreg.content;

import dev.modelreg.content.store.RegistryStore;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.ImageIndex;
import dev.modelreg.spec.Reference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Adds or moves tags of a manifest a store already holds, without moving a blob: a registry gets the manifest's exact
 * bytes PUT under each new tag ({@link RegistryStore#tag}), a layout's index.json is rewritten under its lock, an
 * archive's entries are re-pointed (the caller commits it: one atomic rewrite that keeps every blob).
 */
public final class Retag {
    private Retag() {}

    /** One tag: where it pointed before ({@code old}, null when new) and where it points now. */
    public record Moved(String tag, Digest old, Digest digest) {
        /** {@code new}, {@code moved} or {@code unchanged}. */
        public String status() {
            return old == null ? "new" : old.equals(digest) ? "unchanged" : "moved";
        }
    }

    /**
     * Points every tag of {@code tags} at the manifest {@code reference} (a tag or a digest) resolves to in {@code t}.
     * Every tag is checked before anything is written; a tag given twice counts once. In a layout or archive, a new
     * entry records the repository of the entry {@code reference} named (if any).
     */
    public static List<Moved> run(Target t, String reference, List<String> tags) throws IOException {
        return run(t, reference, tags, TagCondition.ANY);
    }

    /**
     * As {@link #run(Target, String, List)}, moving the tags only if each meets {@code condition}: every tag is checked
     * before any is written (a CONFLICT leaves them all as they were), then again just before its own write (under
     * the lock of a layout, at the commit of an archive, with a {@code HEAD} before the {@code PUT} in a registry).
     */
    public static List<Moved> run(Target t, String reference, List<String> tags, TagCondition condition) throws IOException {
        LinkedHashSet<String> wanted = new LinkedHashSet<>();
        for (String tag : tags) {
            if (Digest.isDigest(tag)) throw ContentException.invalid("'" + tag + "' is a digest, not a tag: give tag names to point at " + reference);
            try {
                Reference.checkTag(tag, t.name());
            } catch (IllegalArgumentException e) {
                throw ContentException.invalid(e.getMessage());
            }
            wanted.add(tag);
        }
        Descriptor manifest = t.resolve(reference);
        String repository = null;
        // a layout or archive knows its tags from index.json (a registry would list and HEAD every tag: ask per tag)
        List<ImageIndex.Named> refs = t instanceof NamedTagger && t instanceof TagLister l ? l.refs() : null;
        if (refs != null) {
            for (ImageIndex.Named n : refs) {
                if (n.manifest().digest().equals(manifest.digest()) && n.repository() != null
                        && (repository == null || reference.equals(n.tag()))) {
                    repository = n.repository();
                }
            }
        }
        List<Moved> out = new ArrayList<>();
        for (String tag : wanted) {
            Digest old = refs != null ? TagCondition.current(refs, tag, repository) : TagCondition.current(t, tag);
            condition.check(tag, old, manifest.digest(), t.name());
            out.add(new Moved(tag, old, manifest.digest()));
        }
        for (Moved m : out) {
            if (manifest.digest().equals(m.old())) continue;
            if (t instanceof ConditionalTagger c) c.tag(manifest, m.tag(), repository, condition); // a layout, an archive
            else condition.tag(t, manifest, m.tag());
        }
        return out;
    }
}
