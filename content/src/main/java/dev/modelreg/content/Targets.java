package dev.modelreg.content;

import dev.modelreg.content.store.OciArchive;
import dev.modelreg.content.store.OciLayout;
import dev.modelreg.content.store.RegistryStore;
import dev.modelreg.spec.Reference;
import java.io.IOException;

/**
 * Opens a copy end from a parsed {@link Reference} (parsed once, where the text entered: the command line, a config
 * file; {@link #parse} for a library caller that holds text): {@code oci-layout:DIR} (an OCI image layout directory,
 * created if missing when written), {@code oci-archive:FILE} (a tar of an OCI image layout, as skopeo names it;
 * written by {@link Opened#commit()}) or {@code REGISTRY/REPOSITORY} (a registry repository).
 */
public final class Targets {
    private Targets() {}

    /**
     * The opened target and the reference it was opened from. A writer calls {@link #commit()} once everything is
     * copied and tagged (a {@link Committable} target, an {@code oci-archive:}, writes its file then; other targets are
     * written as they go) and closes it in every case (try-with-resources): closing drops what was not committed.
     */
    public record Opened(Target target, Reference ref) implements AutoCloseable {
        /** The tag or digest the reference named, or null. */
        public String reference() {
            return ref.reference();
        }

        public void commit() throws IOException {
            if (target instanceof Committable c) c.commit();
        }

        @Override
        public void close() throws IOException {
            if (target instanceof Committable c) c.close();
        }
    }

    /**
     * Parses {@code text} with the one reference grammar ({@link Reference#parse}) for a library caller that holds
     * text: a text that is none is INVALID, in one line naming it.
     */
    public static Reference parse(String text) throws ContentException {
        try {
            return Reference.parse(text);
        } catch (IllegalArgumentException e) {
            throw ContentException.invalid(e.getMessage());
        }
    }

    /** Opens {@code ref} to write to (and read from): a layout directory is created if missing, an archive at commit. */
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
