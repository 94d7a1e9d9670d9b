package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Reference;
import java.io.IOException;

/**
 * {@code mirror SRC DST}: the one copy between two ends of the reference grammar, with the tag rules: the source
 * names a tag or a digest; the destination takes a tag (not a digest), else the source's tag; an archive is read by
 * tag, so a digest source into an archive needs a destination tag. The source is resolved before the destination
 * is opened (nothing is created for a source that does not resolve), and an archive is written whole at the end.
 */
public final class Mirror {
    private Mirror() {}

    /** What was copied: the two ends by name, the root, the tag set (or null) and the copy's counts. */
    public record Result(String source, String destination, Descriptor root, String tag, CopyResult copy) {}

    /**
     * Usage errors (a missing tag, a digest destination) are IllegalArgumentExceptions naming the text at fault; a text
     * that is not a reference is INVALID.
     */
    public static Result run(String source, String destination, RegistryOptions o, CopyOptions co) throws IOException {
        Reference src = parse(source);
        Reference dst = parse(destination);
        if (src.reference() == null) throw new IllegalArgumentException("source '" + source + "' needs a :TAG or @DIGEST");
        if (dst.digest() != null) throw new IllegalArgumentException("destination '" + destination + "' takes a tag, not a digest");
        String tag = dst.tag() != null ? dst.tag() : src.digest() == null ? src.tag() : null;
        if (tag == null && dst.kind() == Reference.Kind.ARCHIVE) {
            throw new IllegalArgumentException("destination '" + destination
                    + "' needs a :TAG (the source is a digest; an archive is read by tag)");
        }
        try (Targets.Opened in = Targets.openExisting(src, o)) {
            Descriptor root = in.target().resolve(src.reference());
            try (Targets.Opened out = Targets.open(dst, o)) {
                CopyResult r = Copy.copy(in.target(), root, out.target(), tag, co);
                out.commit();
                return new Result(in.target().name(), out.target().name(), root, tag, r);
            }
        }
    }

    private static Reference parse(String text) throws ContentException {
        try {
            return Reference.parse(text);
        } catch (IllegalArgumentException e) {
            throw ContentException.invalid(e.getMessage());
        }
    }

    /** {@code DST[:TAG]@DIGEST}: where the copy landed. */
    public static String landed(Result r) {
        return r.destination() + (r.tag() != null ? ":" + r.tag() : "") + "@" + r.root().digest();
    }
}
