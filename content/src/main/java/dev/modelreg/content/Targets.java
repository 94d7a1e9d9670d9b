package dev.modelreg.content;

import dev.modelreg.spec.Digest;
import dev.modelreg.spec.OciReference;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens a copy end from its text form: {@code oci-layout:DIR[:TAG|@DIGEST]} (an OCI image layout directory,
 * created if missing), {@code oci-archive:FILE[:TAG|@DIGEST]} (a tar of an OCI image layout, as skopeo names it;
 * written by {@link Opened#commit()}) or {@code REGISTRY/REPOSITORY[:TAG|@DIGEST]} (a registry repository).
 */
public final class Targets {
    public static final String LAYOUT_PREFIX = "oci-layout:";
    public static final String ARCHIVE_PREFIX = OciArchive.PREFIX;

    private Targets() {}

    /**
     * The opened target and the tag or digest the text named (null if none). A writer calls {@link #commit()} once
     * everything is copied and tagged (an {@code oci-archive:} writes its file then; other targets are written as
     * they go) and closes it in every case (try-with-resources): closing drops what was not committed.
     */
    public record Opened(Target target, String reference) implements AutoCloseable {
        public void commit() throws IOException {
            if (target instanceof OciArchive a) a.commit();
        }

        @Override
        public void close() throws IOException {
            if (target instanceof OciArchive a) a.close();
        }
    }

    public static Opened open(String reference, RegistryOptions o) throws IOException {
        if (reference == null || reference.isBlank()) {
            throw new ContentException(ContentException.Kind.INVALID, "empty target: want oci-layout:DIR[:TAG|@DIGEST], "
                    + "oci-archive:FILE[:TAG|@DIGEST] or REGISTRY/REPOSITORY[:TAG|@DIGEST]");
        }
        if (reference.startsWith(LAYOUT_PREFIX)) {
            PathRef p = splitPath(reference, LAYOUT_PREFIX, "directory");
            return new Opened(OciLayout.open(p.path()), p.ref());
        }
        if (reference.startsWith(ARCHIVE_PREFIX)) {
            PathRef p = splitPath(reference, ARCHIVE_PREFIX, "file");
            return new Opened(OciArchive.open(p.path()), p.ref());
        }
        OciReference ref;
        try {
            ref = OciReference.parse(reference);
        } catch (IllegalArgumentException e) {
            throw new ContentException(ContentException.Kind.INVALID,
                    e.getMessage() + " (or use oci-layout:DIR[:TAG] for a directory, oci-archive:FILE[:TAG] for a tar)");
        }
        return new Opened(RegistryStore.connect(ref, o), ref.reference());
    }

    /** A local path and the tag or digest after it (null if none). */
    public record PathRef(Path path, String ref) {}

    /**
     * Splits {@code PREFIX PATH[:TAG|@DIGEST]}: a colon after the last path separator starts a tag (except at index 1:
     * a Windows drive "C:"), {@code @sha256:...} at the end is a digest.
     */
    public static PathRef splitPath(String text, String prefix, String what) throws ContentException {
        String rest = text.substring(prefix.length());
        String ref = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0 && Digest.isDigest(rest.substring(at + 1))) {
            ref = rest.substring(at + 1);
            rest = rest.substring(0, at);
        } else {
            int colon = rest.lastIndexOf(':');
            int sep = Math.max(rest.lastIndexOf('/'), rest.lastIndexOf('\\'));
            if (colon > sep && colon != 1) {
                ref = rest.substring(colon + 1);
                rest = rest.substring(0, colon);
                if (!OciReference.isTag(ref)) {
                    throw new ContentException(ContentException.Kind.INVALID, "invalid tag '" + ref + "' in '" + text
                            + "' (want [A-Za-z0-9_][A-Za-z0-9._-]{0,127})");
                }
            }
        }
        if (rest.isEmpty()) {
            String upper = what.equals("file") ? "FILE" : "DIR";
            throw new ContentException(ContentException.Kind.INVALID, "no " + what + " in '" + text + "': want "
                    + prefix + upper + "[:TAG|@DIGEST]");
        }
        return new PathRef(Path.of(rest), ref);
    }
}
