package dev.modelreg.spec;

import java.util.function.Predicate;

/**
 * A ref of a configured source, {@code SOURCE@REF}: a git ref (branch, tag, commit) or a digest pin
 * ({@code sha256:HEX}, spec/README.md section 6). {@code source} is the source's key or name as written.
 *
 * @param source the bootstrap key or the name of the source
 * @param ref    the git ref or the pin's text
 */
public record SourceRef(String source, String ref) implements RefSpec {
    public SourceRef {
        if (source == null || source.isEmpty()) throw new IllegalArgumentException("a source ref needs a source");
        if (ref == null || ref.isEmpty()) throw new IllegalArgumentException("'" + Text.printable(source) + "@': missing ref");
    }

    /** True if the ref is a digest pin rather than a git ref. */
    public boolean isPin() {
        return Digest.isDigest(ref);
    }

    /**
     * {@code SOURCE@REF} when the text before the first {@code @} names a configured source ({@code isSource}) and the
     * text is not a local {@code oci-layout:}/{@code oci-archive:} reference; else null.
     */
    static SourceRef parseIfSource(String text, Predicate<String> isSource) {
        if (text.startsWith(Reference.LAYOUT_PREFIX) || text.startsWith(Reference.ARCHIVE_PREFIX)) return null;
        int at = text.indexOf('@');
        if (at <= 0 || at == text.length() - 1) return null;
        String source = text.substring(0, at);
        return isSource.test(source) ? new SourceRef(source, text.substring(at + 1)) : null;
    }

    @Override
    public String toString() {
        return source + "@" + ref;
    }
}
