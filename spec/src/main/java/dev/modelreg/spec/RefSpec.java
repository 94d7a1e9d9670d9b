package dev.modelreg.spec;

import java.util.function.Predicate;

/**
 * What {@code pull}, {@code inspect}, {@code copy --from} and {@code verify --from} read: a ref of a configured
 * source ({@link SourceRef}, {@code SOURCE@REF}) or an artifact named by the one reference grammar
 * ({@link Reference}: a registry repository, an {@code oci-layout:} directory or an {@code oci-archive:} file).
 * Parsed once, where the text enters; passed as a value below.
 */
public sealed interface RefSpec permits SourceRef, Reference {
    /**
     * Parses {@code text}: {@code SOURCE@REF} when SOURCE is a configured source ({@code isSource}: a key or name),
     * else a {@link Reference}. Errors are one line naming the text.
     *
     * @throws IllegalArgumentException for text that is neither
     */
    static RefSpec parse(String text, Predicate<String> isSource) {
        if (text == null || text.isBlank()) return Reference.parse(text);
        SourceRef s = SourceRef.parseIfSource(text, isSource);
        return s != null ? s : Reference.parse(text);
    }
}
