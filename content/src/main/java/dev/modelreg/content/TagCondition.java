package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.ImageIndex;
import dev.modelreg.spec.ModelregException;
import java.io.IOException;
import java.util.List;

/**
 * What a tag must point at, read just before it is written, for a move of it to go ahead (a guarded promotion):
 * anything ({@link #ANY}, the default), nothing ({@link #absent()}: the tag must not exist), one manifest
 * ({@link #at}), or nothing else ({@link #noClobber()}: absent, or already the manifest it is to point at). A tag
 * that fails its condition is not written: the failure is a {@link ModelregException.Kind#CONFLICT}.
 *
 * <p>How close the read is to the write depends on the store: a layout checks under its index lock and an archive
 * under its lock at commit ({@link ConditionalTagger}), so no other writer can come between; a registry offers no
 * conditional manifest PUT, so the tag is read ({@code HEAD}) just before the {@code PUT} and a writer in between
 * those two requests can still be overwritten.
 */
public final class TagCondition {
    private enum Mode { ANY, ABSENT, AT, NO_CLOBBER }

    /** No condition: the tag is written whatever it points at. */
    public static final TagCondition ANY = new TagCondition(Mode.ANY, null);

    private final Mode mode;
    private final Digest expected;

    private TagCondition(Mode mode, Digest expected) {
        this.mode = mode;
        this.expected = expected;
    }

    /** The tag must not exist yet. */
    public static TagCondition absent() {
        return new TagCondition(Mode.ABSENT, null);
    }

    /** The tag must point at {@code digest} now. */
    public static TagCondition at(Digest digest) {
        return new TagCondition(Mode.AT, java.util.Objects.requireNonNull(digest, "digest"));
    }

    /** The tag must not exist, or already point at the manifest it is to point at (so it never moves). */
    public static TagCondition noClobber() {
        return new TagCondition(Mode.NO_CLOBBER, null);
    }

    /**
     * {@code none} ({@link #absent()}) or a digest ({@link #at}), as a user writes the expected state of a tag.
     *
     * @throws IllegalArgumentException anything else, in one line naming it
     */
    public static TagCondition parseExpected(String text) {
        if ("none".equals(text)) return absent();
        if (text == null || !Digest.isDigest(text)) {
            throw new IllegalArgumentException("'" + dev.modelreg.spec.Text.printable(String.valueOf(text))
                    + "' is neither a digest (sha256:<64 hex>) nor 'none'");
        }
        return at(Digest.parse(text));
    }

    public boolean isAny() {
        return mode == Mode.ANY;
    }

    /**
     * Refuses a move of {@code tag} in {@code where} to {@code target} when what it points at now ({@code current},
     * null when it does not exist) is not what this condition wants.
     *
     * @throws ContentException CONFLICT, in one line naming the tag, the store, what it points at and what was expected
     */
    public void check(String tag, Digest current, Digest target, String where) throws ContentException {
        boolean ok = switch (mode) {
            case ANY -> true;
            case ABSENT -> current == null;
            case AT -> expected.equals(current);
            case NO_CLOBBER -> current == null || current.equals(target);
        };
        if (ok) return;
        String now = current == null ? "does not exist" : "points at " + current;
        String wanted = switch (mode) {
            case ABSENT -> "expected not to exist";
            case AT -> "expected at " + expected;
            default -> "not moved: it exists and is not to be overwritten (no-clobber)";
        };
        throw new ContentException(ModelregException.Kind.CONFLICT, "tag '" + tag + "' in " + where + " " + now + ", "
                + wanted + (mode == Mode.NO_CLOBBER ? "" : "; not moved (read it again and retry)"));
    }

    /**
     * {@link #check} against the entries of a layout's or archive's index ({@code refs}) for a write of {@code tag}
     * for {@code repository} (what it would replace: {@link #current(List, String, String)}).
     */
    public void check(List<ImageIndex.Named> refs, String tag, String repository, Digest target, String where)
            throws ContentException {
        if (!isAny()) check(tag, current(refs, tag, repository), target, where);
    }

    /**
     * Checks the tag's current state in {@code t} (one read) without writing: used before a push uploads anything, so
     * a promotion from a stale view is refused before any blob moves. {@link #tag} checks again just before the write.
     */
    public void precheck(ReadOnlyTarget t, String tag, Digest target) throws IOException {
        if (!isAny()) check(tag, current(t, tag), target, t.name());
    }

    /**
     * Points {@code tag} of {@code t} at {@code manifest} if the condition holds: a {@link ConditionalTagger} checks
     * it atomically with the write; any other store is read just before the write. Without a condition: a plain tag.
     */
    public void tag(Target t, Descriptor manifest, String tag) throws IOException {
        if (isAny()) {
            t.tag(manifest, tag);
        } else if (t instanceof ConditionalTagger c) {
            c.tag(manifest, tag, null, this);
        } else {
            Digest now = current(t, tag);
            check(tag, now, manifest.digest(), t.name());
            if (!manifest.digest().equals(now)) t.tag(manifest, tag);
        }
    }

    /** What {@code tag} points at in {@code t} (one resolve), or null when it does not exist. */
    static Digest current(Resolver t, String tag) throws IOException {
        try {
            return t.resolve(tag).digest();
        } catch (ContentException e) {
            if (e.kind() == ModelregException.Kind.NOT_FOUND) return null;
            throw e;
        }
    }

    /**
     * What a layout or archive tag that a write of {@code tag} for {@code repository} would replace points at (the
     * entries {@link ImageIndex#withTag} removes: the tag's entries of that repository or of none; every entry of the
     * tag without a repository), the last of them in index order; null when there is none.
     */
    static Digest current(List<ImageIndex.Named> refs, String tag, String repository) {
        Digest found = null;
        for (ImageIndex.Named n : refs) {
            if (!n.tag().equals(tag)) continue;
            if (repository == null || n.repository() == null || n.repository().equals(repository)) found = n.manifest().digest();
        }
        return found;
    }

    @Override
    public String toString() {
        return switch (mode) {
            case ANY -> "any";
            case ABSENT -> "none";
            case AT -> expected.toString();
            case NO_CLOBBER -> "no-clobber";
        };
    }
}
