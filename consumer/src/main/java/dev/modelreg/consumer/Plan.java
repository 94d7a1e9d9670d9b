package dev.modelreg.consumer;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

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

    /** A plan being made by an {@link ArtifactFormat}: each wanted file goes from the cache, from a URL or from a layer. */
    static final class Builder {
        private final Predicate<Digest> cached;
        private final Map<String, Digest> blobs = new LinkedHashMap<>();
        private final Map<String, Digest> external = new LinkedHashMap<>();
        private final Map<Digest, Fetch> layers = new LinkedHashMap<>();

        Builder(Predicate<Digest> cached) {
            this.cached = cached;
        }

        /** True, with the file planned from the cache, when the cache holds the blob {@code hash}. */
        boolean fromCache(String key, Digest hash) {
            if (!cached.test(hash)) return false;
            blobs.put(key, hash);
            return true;
        }

        /** The file comes from its URL (spec/README.md 3.14). */
        void fromUrl(String key, Digest hash) {
            external.put(key, hash);
        }

        /** The file comes from {@code layer}: the layer's one fetch (made with {@code members} the first time). */
        Fetch fromLayer(Descriptor layer, String key, Digest hash, Supplier<Map<String, FileEntry>> members) {
            Fetch f = layers.computeIfAbsent(layer.digest(), d -> new Fetch(layer, cached.test(d), new LinkedHashMap<>(),
                    members.get()));
            f.files().put(key, hash);
            return f;
        }

        Collection<Fetch> fetches() {
            return layers.values();
        }

        Plan build() {
            return new Plan(blobs, new ArrayList<>(layers.values()), external);
        }
    }
}
