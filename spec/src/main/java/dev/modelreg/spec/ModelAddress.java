package dev.modelreg.spec;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A model address, as given on the command line. See spec/README.md, "Addressing".
 *
 * <ul>
 *   <li>{@code name/sub/path}: no '@'; {@link #source}, {@link #ref} and {@link #pin} are null and {@link #path}
 *       is the whole model name. The source is found later: the one whose name prefixes the model name.</li>
 *   <li>{@code source@ref/sub/path}: source is a bootstrap key or a source name; the ref may itself contain
 *       '/', so {@link #parse(String, Function)} takes the longest of the source's known refs that is followed
 *       by '/' (or ends the text), and falls back to the first segment when none matches or the refs are
 *       unknown. {@link #parse(String)} always takes the first segment.</li>
 *   <li>{@code source@sha256:<hex>/sub/path}: pinned by manifest (or registry file) digest.</li>
 * </ul>
 *
 * <p>In the qualified forms {@code path} is relative to the source's name (the model is named
 * {@code sourceName + "/" + path}) and may be empty to mean the whole ref. {@link #toString()} gives back the
 * text form, which parses to an equal address when the ref is known or has no '/'.
 */
public record ModelAddress(String source, String ref, Digest pin, String path) {
    public ModelAddress {
        Objects.requireNonNull(path, "path");
        if (source == null ? (ref != null || pin != null) : (ref == null) == (pin == null)) {
            throw new IllegalArgumentException("a model address has a source with exactly one of ref and pin, or none of the three");
        }
    }

    /** Parses an address, splitting a ref at its first '/'. */
    public static ModelAddress parse(String text) {
        return parse(text, source -> null);
    }

    /**
     * Parses an address. {@code knownRefsOfSource} gives the refs configured or cached for a source (key or name
     * as written in the address), or null when they are not known.
     *
     * @throws IllegalArgumentException with a one-line message naming the address
     */
    public static ModelAddress parse(String text, Function<String, List<String>> knownRefsOfSource) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("invalid model address '" + text + "': empty");
        }
        int at = text.indexOf('@');
        if (at < 0) {
            return new ModelAddress(null, null, null, checkPath(text, text, false));
        }
        String source = text.substring(0, at);
        String rest = text.substring(at + 1);
        checkPath(text, source, false);
        int slash = rest.indexOf('/');
        String first = slash < 0 ? rest : rest.substring(0, slash);
        if (first.isEmpty()) {
            throw bad(text, "missing ref or digest after '@'");
        }
        if (first.indexOf(':') >= 0) {
            Digest pin;
            try {
                pin = Digest.parse(first);
            } catch (IllegalArgumentException e) {
                throw bad(text, e.getMessage());
            }
            return new ModelAddress(source, null, pin, checkPath(text, slash < 0 ? "" : rest.substring(slash + 1), true));
        }
        String ref = longestKnownRef(rest, knownRefsOfSource.apply(source));
        if (ref == null) {
            ref = first;
        }
        checkRef(text, ref);
        String path = rest.length() == ref.length() ? "" : rest.substring(ref.length() + 1);
        return new ModelAddress(source, ref, null, checkPath(text, path, true));
    }

    private static String longestKnownRef(String rest, List<String> known) {
        String best = null;
        if (known == null) return null;
        for (String r : known) {
            if (r == null || r.isEmpty() || r.indexOf(':') >= 0) continue;
            boolean prefixes = rest.equals(r) || rest.startsWith(r + "/");
            if (prefixes && (best == null || r.length() > best.length())) best = r;
        }
        return best;
    }

    private static void checkRef(String text, String ref) {
        for (int i = 0; i < ref.length(); i++) {
            char c = ref.charAt(i);
            if (c <= ' ' || c == 0x7f) throw bad(text, "ref '" + ref + "' contains whitespace or a control character");
        }
    }

    /** Slash-separated segments, none empty, '.' or '..', no control characters; "" only where allowed. */
    private static String checkPath(String text, String path, boolean emptyOk) {
        if (path.isEmpty()) {
            if (emptyOk) return path;
            throw bad(text, "missing source or model name");
        }
        for (String seg : path.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                throw bad(text, "'" + path + "' has an empty, '.' or '..' segment");
            }
        }
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw bad(text, "contains a control character");
        }
        return path;
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("invalid model address '" + text + "': " + why
                + " (want NAME/PATH, SOURCE@REF/PATH or SOURCE@sha256:HEX/PATH)");
    }

    /** True for {@code source@ref/...} and {@code source@digest/...}. */
    public boolean qualified() {
        return source != null;
    }

    /** The full model name, given the name of the source this address resolved to. */
    public String modelName(String sourceName) {
        if (source == null) return path;
        return path.isEmpty() ? sourceName : sourceName + "/" + path;
    }

    /** The ref or pin as text ("develop", "sha256:..."), or null for an unqualified address. */
    public String refOrPin() {
        return pin != null ? pin.toString() : ref;
    }

    @Override
    public String toString() {
        if (source == null) return path;
        return source + "@" + refOrPin() + (path.isEmpty() ? "" : "/" + path);
    }
}
