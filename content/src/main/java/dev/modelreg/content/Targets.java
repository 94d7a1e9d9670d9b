package dev.modelreg.content;

import dev.modelreg.spec.Digest;
import dev.modelreg.spec.OciReference;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens a copy end from its text form: {@code oci-layout:DIR[:TAG|@DIGEST]} (an OCI image layout directory,
 * created if missing) or {@code REGISTRY/REPOSITORY[:TAG|@DIGEST]} (a registry repository).
 */
public final class Targets {
    public static final String LAYOUT_PREFIX = "oci-layout:";

    private Targets() {}

    /** The opened target and the tag or digest the text named (null if none). */
    public record Opened(Target target, String reference) {}

    public static Opened open(String reference, RegistryOptions o) throws IOException {
        if (reference == null || reference.isBlank()) {
            throw new ContentException(ContentException.Kind.INVALID,
                    "empty target: want oci-layout:DIR[:TAG|@DIGEST] or REGISTRY/REPOSITORY[:TAG|@DIGEST]");
        }
        if (reference.startsWith(LAYOUT_PREFIX)) {
            return openLayout(reference);
        }
        OciReference ref;
        try {
            ref = OciReference.parse(reference);
        } catch (IllegalArgumentException e) {
            throw new ContentException(ContentException.Kind.INVALID,
                    e.getMessage() + " (or use oci-layout:DIR[:TAG] for a directory)");
        }
        return new Opened(RegistryStore.connect(ref, o), ref.reference());
    }

    private static Opened openLayout(String text) throws IOException {
        String rest = text.substring(LAYOUT_PREFIX.length());
        String ref = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0 && Digest.isDigest(rest.substring(at + 1))) {
            ref = rest.substring(at + 1);
            rest = rest.substring(0, at);
        } else {
            int colon = rest.lastIndexOf(':');
            int sep = Math.max(rest.lastIndexOf('/'), rest.lastIndexOf('\\'));
            // A colon after the last path separator starts a tag (a Windows drive "C:" is followed by a separator).
            if (colon > sep && colon > 1) {
                ref = rest.substring(colon + 1);
                rest = rest.substring(0, colon);
                if (!OciReference.isTag(ref)) {
                    throw new ContentException(ContentException.Kind.INVALID, "invalid tag '" + ref + "' in '" + text
                            + "' (want [A-Za-z0-9_][A-Za-z0-9._-]{0,127})");
                }
            }
        }
        if (rest.isEmpty()) {
            throw new ContentException(ContentException.Kind.INVALID, "no directory in '" + text + "': want oci-layout:DIR[:TAG|@DIGEST]");
        }
        return new Opened(OciLayout.open(Path.of(rest)), ref);
    }
}
