package dev.modelreg.content;

import dev.modelreg.spec.Reference;
import java.io.IOException;

/**
 * Opens a copy end from a parsed {@link Reference}: {@code oci-layout:DIR} (an OCI image layout directory, created
 * if missing when written), {@code oci-archive:FILE} (a tar of an OCI image layout, as skopeo names it; written by
 * {@link Opened#commit()}) or {@code REGISTRY/REPOSITORY} (a registry repository).
 */
public final class Targets {
    private Targets() {}

    /**
     * The opened target and the reference it was opened from. A writer calls {@link #commit()} once everything is
     * copied and tagged (an {@code oci-archive:} writes its file then; other targets are written as they go) and
     * closes it in every case (try-with-resources): closing drops what was not committed.
     */
    public record Opened(Target target, Reference ref) implements AutoCloseable {
        /** The tag or digest the reference named, or null. */
        public String reference() {
            return ref.reference();
        }

        public void commit() throws IOException {
            if (target instanceof OciArchive a) a.commit();
        }

        @Override
        public void close() throws IOException {
            if (target instanceof OciArchive a) a.close();
        }
    }

    /** Parses {@code text} with the one reference grammar and opens it (a layout directory is created if missing). */
    public static Opened open(String text, RegistryOptions o) throws IOException {
        Reference ref;
        try {
            ref = Reference.parse(text);
        } catch (IllegalArgumentException e) {
            throw ContentException.invalid(e.getMessage());
        }
        return open(ref, o);
    }

    public static Opened open(Reference ref, RegistryOptions o) throws IOException {
        return switch (ref.kind()) {
            case LAYOUT -> new Opened(OciLayout.open(ref.path()), ref);
            case ARCHIVE -> new Opened(OciArchive.open(ref.path()), ref);
            case REGISTRY -> new Opened(RegistryStore.connect(ref, o), ref);
        };
    }

    /** Opens {@code ref} to read from: a layout or archive that does not exist is NOT_FOUND, not created. */
    public static Opened openExisting(Reference ref, RegistryOptions o) throws IOException {
        return switch (ref.kind()) {
            case LAYOUT -> new Opened(OciLayout.openExisting(ref.path()), ref);
            case ARCHIVE -> {
                if (!java.nio.file.Files.isRegularFile(ref.path())) throw ContentException.notFound("no OCI archive at " + ref.path());
                yield new Opened(OciArchive.open(ref.path()), ref);
            }
            case REGISTRY -> new Opened(RegistryStore.connect(ref, o), ref);
        };
    }
}
