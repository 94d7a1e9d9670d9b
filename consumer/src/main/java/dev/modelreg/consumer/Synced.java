package dev.modelreg.consumer;

import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.SourceConfig;

/** A source and ref whose registry is in the cache: the parsed models.toml and what the sync resolved. */
public record Synced(SourceConfig source, String ref, RefState state, ModelsToml registry) {
    /** "source@ref", the way errors and listings name it. */
    public String label() {
        return source.name() + "@" + ref;
    }
}
