package dev.modelreg.cli;

import dev.modelreg.content.Target;
import dev.modelreg.content.Targets;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Reference;
import java.io.IOException;
import java.util.Map;

/** The store a REF names, opened, and the manifest REF points at in it: what attach and discover start from. */
record Subject(Targets.Opened opened, Descriptor manifest) implements AutoCloseable {
    /** Opens the existing store of {@code ref} (which must name a tag or digest) and resolves {@code ref} in it. */
    static Subject open(String ref, RegistryFlags registry, Map<String, String> env) throws IOException {
        Reference r = BaseCommand.tagOrDigest(ref);
        Targets.Opened t = Targets.openExisting(r.withTag(null).withDigest(null), registry.options(env));
        try {
            return new Subject(t, t.target().resolve(r.reference()));
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e;
        }
    }

    Target target() {
        return opened.target();
    }

    @Override
    public void close() throws IOException {
        opened.close();
    }
}
