package dev.modelreg.consumer;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import java.util.List;
import java.util.Map;

/**
 * Where the wanted files of an OCI artifact come from, planned from its manifest and registry alone: {@code blobs}
 * are files whose blob is cached (key -> hash); {@code external} are files stored outside the registry (spec/README.md
 * 3.14) to fetch from their URLs (key -> hash); every other file is in one of {@code layers}, cached or not.
 */
record Plan(Map<String, Digest> blobs, List<Fetch> layers, Map<String, Digest> external) {
    Plan(Map<String, Digest> blobs, List<Fetch> layers) {
        this(blobs, layers, Map.of());
    }

    /** Layers that must be downloaded. */
    List<Fetch> missing() {
        return layers.stream().filter(f -> !f.cached()).toList();
    }

    /**
     * A planned layer: the layer, whether it is already in the cache, the wanted files in it (key -> hash) and, for a
     * layer that is unpacked, the entry (hash, size) of every registry file it serves (each is checked before the layer
     * may enter the cache).
     */
    record Fetch(Descriptor layer, boolean cached, Map<String, Digest> files, Map<String, FileEntry> members) {}
}
