package dev.modelreg.spec;

import java.io.File;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The one reference grammar (spec/README.md, section 6), parsed here and nowhere else:
 * <pre>
 * REGISTRY[:PORT]/REPOSITORY[:TAG][@DIGEST]     a registry repository ({@link OciReference})
 * oci-layout:DIR[:TAG][@DIGEST]                 an OCI image layout directory
 * oci-archive:FILE[:TAG][@DIGEST]               a tar of an OCI image layout
 * </pre>
 * For the two local forms, {@code @ALGORITHM:HEX} at the end is a digest (a path may hold other {@code @}s), and a
 * {@code :} after the last path separator starts a tag (on Windows, {@code X:} at the start is a drive, not a tag).
 * A tag must match {@code [A-Za-z0-9_][A-Za-z0-9._-]{0,127}}; with both a tag and a digest, the digest is what is
 * resolved. Errors are one line naming the text.
 */
public record Reference(Kind kind, OciReference registry, Path path, String pathText, String tag, Digest digest)
        implements RefSpec {
    public static final String LAYOUT_PREFIX = "oci-layout:";
    public static final String ARCHIVE_PREFIX = "oci-archive:";
    private static final String FORMS = "REGISTRY/REPOSITORY[:TAG|@DIGEST], oci-layout:DIR[:TAG|@DIGEST] or "
            + "oci-archive:FILE[:TAG|@DIGEST]";

    public enum Kind {
        REGISTRY,
        LAYOUT,
        ARCHIVE
    }

    public Reference {
        if (tag != null && !OciReference.isTag(tag)) throw new IllegalArgumentException(invalidTag(tag, String.valueOf(pathText)));
    }

    /** Parses any of the three forms. */
    public static Reference parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("empty reference: want " + FORMS);
        if (text.startsWith(LAYOUT_PREFIX)) return local(Kind.LAYOUT, LAYOUT_PREFIX, text);
        if (text.startsWith(ARCHIVE_PREFIX)) return local(Kind.ARCHIVE, ARCHIVE_PREFIX, text);
        OciReference r;
        try {
            r = OciReference.parse(text);
        } catch (IllegalArgumentException e) {
            boolean pathLike = text.startsWith("/") || text.startsWith(".") || text.startsWith("~") || text.contains("\\");
            throw new IllegalArgumentException(e.getMessage() + (pathLike
                    ? " (a directory is oci-layout:DIR[:TAG], a tar file oci-archive:FILE[:TAG])" : ""), e);
        }
        return new Reference(Kind.REGISTRY, r.withTag(null).withDigest(null), null, null, r.tag(), r.digest());
    }

    /** Parses a repository without tag or digest: a source's {@code oci} field, a mirror prefix. */
    public static Reference parseRepository(String text) {
        Reference r = parse(text);
        if (r.tag != null || r.digest != null) {
            throw new IllegalArgumentException("'" + text + "' names a tag or digest; want only the repository: "
                    + "REGISTRY/REPOSITORY, oci-layout:DIR or oci-archive:FILE");
        }
        return r;
    }

    /** The one tag check: one line naming the tag and where it was found. */
    public static void checkTag(String tag, String where) {
        if (!OciReference.isTag(tag)) throw new IllegalArgumentException(invalidTag(tag, where));
    }

    private static String invalidTag(String tag, String where) {
        return "invalid tag '" + Text.printable(tag) + "' in '" + Text.printable(where)
                + "' (want [A-Za-z0-9_][A-Za-z0-9._-]{0,127}; a git ref such as feature/x is given with --ref)";
    }

    private static Reference local(Kind kind, String prefix, String text) {
        String rest = text.substring(prefix.length());
        Digest digest = null;
        String tag = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String after = rest.substring(at + 1);
            if (after.startsWith(Digest.SHA256 + ":") || after.startsWith(Digest.SHA512 + ":")) {
                try {
                    digest = Digest.parse(after);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("invalid reference '" + Text.printable(text) + "': " + e.getMessage());
                }
                rest = rest.substring(0, at);
            }
        }
        int sep = Math.max(rest.lastIndexOf('/'), rest.lastIndexOf('\\'));
        int colon = rest.lastIndexOf(':');
        boolean drive = File.separatorChar == '\\' && colon == 1 && Character.isLetter(rest.charAt(0));
        if (colon > sep && !drive) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            checkTag(tag, text);
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("no " + (kind == Kind.LAYOUT ? "directory" : "file") + " in '"
                    + Text.printable(text) + "': want " + prefix + (kind == Kind.LAYOUT ? "DIR" : "FILE") + "[:TAG|@DIGEST]");
        }
        try {
            return new Reference(kind, null, Path.of(rest), rest, tag, digest);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("invalid path in '" + Text.printable(text) + "': " + e.getReason());
        }
    }

    public boolean isLocal() {
        return kind != Kind.REGISTRY;
    }

    /** What to resolve in the store: the digest if there is one, else the tag, else null. */
    public String reference() {
        return digest != null ? digest.toString() : tag;
    }

    /** The store without tag or digest: {@code REGISTRY/REPOSITORY}, {@code oci-layout:DIR} or {@code oci-archive:FILE}. */
    public String location() {
        return switch (kind) {
            case REGISTRY -> registry.name();
            case LAYOUT -> LAYOUT_PREFIX + pathText;
            case ARCHIVE -> ARCHIVE_PREFIX + pathText;
        };
    }

    public Reference withTag(String newTag) {
        return new Reference(kind, registry, path, pathText, newTag, digest);
    }

    public Reference withDigest(Digest newDigest) {
        return new Reference(kind, registry, path, pathText, tag, newDigest);
    }

    /** The text form, parseable again: {@link #location()} plus {@code :TAG} and {@code @DIGEST}. */
    @Override
    public String toString() {
        return location() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
