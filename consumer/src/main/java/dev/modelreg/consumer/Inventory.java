package dev.modelreg.consumer;

import dev.modelreg.consumer.Results.ClearResult;
import dev.modelreg.consumer.Results.Listing;
import dev.modelreg.consumer.Results.SourceInfo;
import dev.modelreg.spec.BootstrapConfig;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.Metadata;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.SourceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the cache holds for the configured sources: {@code info}, {@code list}, {@code clear}. */
final class Inventory {
    private final BootstrapConfig config;
    private final Cache cache;

    Inventory(BootstrapConfig config, Cache cache) {
        this.config = config;
        this.cache = cache;
    }

    List<SourceInfo> info() throws IOException {
        List<RefState> states = cache.states();
        List<SourceInfo> out = new ArrayList<>();
        for (SourceConfig s : config.sources().values()) {
            List<RefState> cached = states.stream().filter(x -> x.source().equals(s.key())).toList();
            List<String> missing = s.refs().stream().filter(r -> cached.stream().noneMatch(c -> c.ref().equals(r))).toList();
            out.add(new SourceInfo(s.key(), s.name(), s.repo(), s.oci() == null ? null : s.oci().location(), s.refs(), cached, missing));
        }
        return out;
    }

    /** Cached registries (optionally of one source, by key or name, and/or one ref) with their models. */
    List<Listing> list(String source, String ref) throws IOException {
        List<Listing> out = new ArrayList<>();
        for (RefState st : selected(source, ref)) {
            byte[] b = cache.registryBytes(st);
            if (b == null) continue;
            ModelsToml r = Registries.parse(b, st.label());
            out.add(new Listing(st, List.copyOf(r.models().keySet()), List.copyOf(r.examples().keySet()), metadataOf(st)));
        }
        // nothing cached for a source that is not configured either: a misspelt name, not an empty listing
        if (out.isEmpty() && source != null) ModelLookup.source(config, source);
        return out;
    }

    /**
     * The metadata ({@link Metadata#of}) of a cached OCI ref's manifest, which the cache keeps in {@code blobs/} beside
     * the config; empty for GitHub mode or a manifest no longer (or not validly) cached.
     */
    private Map<String, String> metadataOf(RefState st) {
        if (!st.isOci()) return Map.of();
        try {
            byte[] b = cache.manifest(st.digest(), st.label());
            return b == null ? Map.of() : Metadata.of(Manifest.parse(b, "manifest " + st.digest()).annotations());
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /**
     * Removes cached registries: one ref, one source, or (neither given) every ref; then the blobs no remaining ref
     * references and no running process uses (a prune, spec/README.md 9.3). Clearing every ref clears the ingest
     * directory too, partial downloads included, except what a running process writes.
     */
    ClearResult clear(String source, String ref) throws IOException {
        List<String> removed = new ArrayList<>();
        for (RefState st : selected(source, ref)) {
            if (cache.removeRef(st.source(), st.ref())) removed.add(st.label());
        }
        if (source == null && ref == null) cache.removeAllRefs();
        if (!Files.isDirectory(cache.root().resolve("blobs"))) return new ClearResult(removed);
        CacheReport.Pruned p = new CacheUsage(cache, m -> {}).prune(null, false);
        if (source == null && ref == null) cache.store().clearIngest();
        return new ClearResult(removed, p.removed().size(), p.bytes());
    }

    /** The cached states of {@code source} (key or name; null: any) and {@code ref} (null: any). */
    private List<RefState> selected(String source, String ref) throws IOException {
        List<RefState> out = new ArrayList<>();
        for (RefState st : cache.states()) {
            if (source != null && !source.equals(st.source()) && !source.equals(st.name())) continue;
            if (ref != null && !ref.equals(st.ref())) continue;
            out.add(st);
        }
        return out;
    }
}
