package dev.modelreg.consumer;

import dev.modelreg.consumer.CacheReport.Pruned;
import dev.modelreg.consumer.CacheReport.RefUsage;
import dev.modelreg.consumer.CacheReport.Usage;
import dev.modelreg.content.store.BlobCache;
import dev.modelreg.content.store.CachedBlob;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.ModelsToml;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What the cached refs reference and what the blob store holds: {@code cache ls}, {@code cache prune}, and the prune
 * after {@code clear}. A ref references its manifest, config (models.toml) and layers, the blobs of its files and its
 * release zips (spec/README.md 9.3). Safe while other processes pull into the cache.
 */
public final class CacheUsage {
    private final Cache cache;
    private final Consumer<String> waiting;

    /** {@code waiting} hears, once, that a prune waits for another one to finish. */
    CacheUsage(Cache cache, Consumer<String> waiting) {
        this.cache = cache;
        this.waiting = waiting;
    }

    /** Per cached ref: files, the bytes of the blobs it references, of which shared with other refs; blob totals. */
    public Usage list() throws IOException {
        try (BlobCache.Use u = cache.use()) {
            Map<Digest, CachedBlob> held = new LinkedHashMap<>();
            for (CachedBlob b : cache.store().list()) held.put(b.digest(), b);
            Map<RefState, Refs> refs = new LinkedHashMap<>();
            Map<Digest, Integer> count = new HashMap<>();
            for (RefState st : cache.states()) {
                Refs r = referenced(st);
                refs.put(st, r);
                for (Digest d : r.digests) count.merge(d, 1, Integer::sum);
            }
            List<RefUsage> out = new ArrayList<>();
            for (var e : refs.entrySet()) {
                int blobs = 0;
                long bytes = 0;
                long shared = 0;
                for (Digest d : e.getValue().digests) {
                    CachedBlob b = held.get(d);
                    if (b == null) continue;
                    blobs++;
                    bytes += b.size();
                    if (count.get(d) > 1) shared += b.size();
                }
                out.add(new RefUsage(e.getKey(), e.getValue().files, blobs, bytes, shared));
            }
            int unreferenced = 0;
            long unreferencedBytes = 0;
            long total = 0;
            long linked = 0;
            for (CachedBlob b : held.values()) {
                total += b.size();
                if (b.linked()) linked += b.size();
                if (!count.containsKey(b.digest())) {
                    unreferenced++;
                    unreferencedBytes += b.size();
                }
            }
            return new Usage(out, held.size(), total, unreferenced, unreferencedBytes, linked);
        }
    }

    /**
     * Removes the blobs no cached ref references and no running process uses, of those that entered the cache more
     * than {@code olderThan} ago (null: any); {@code dryRun} says what and how much without removing.
     */
    public Pruned prune(Duration olderThan, boolean dryRun) throws IOException {
        Instant cutoff = olderThan == null ? null : Instant.now().minus(olderThan);
        Predicate<CachedBlob> eligible = b -> cutoff == null || b.modified().isBefore(cutoff);
        BlobCache.Pruned p = cache.store().prune(this::allReferenced, eligible, dryRun, waiting);
        return new Pruned(dryRun, p.removed(), p.inUse());
    }

    private Set<Digest> allReferenced() throws IOException {
        Set<Digest> out = new HashSet<>();
        for (RefState st : cache.states()) out.addAll(referenced(st).digests);
        return out;
    }

    private record Refs(Set<Digest> digests, int files) {}

    /** What {@code st} references; a manifest or models.toml the cache no longer holds references nothing more. */
    private Refs referenced(RefState st) throws IOException {
        Set<Digest> out = new HashSet<>();
        out.add(st.digest());
        out.add(st.config());
        for (String z : st.zips().values()) {
            try {
                out.add(Digest.parse(z));
            } catch (IllegalArgumentException e) {
                // an edited state: it references nothing there
            }
        }
        int files = 0;
        byte[] registry = cache.registryBytes(st);
        if (registry != null) {
            ModelsToml r = Registries.parse(registry, st.label());
            files = r.files().size();
            for (FileEntry f : r.files().values()) if (f.hash() != null) out.add(f.hash());
        }
        if (st.isOci()) {
            byte[] m = cache.manifest(st.digest(), st.label());
            if (m != null) {
                Manifest man = Manifest.parse(m, "manifest " + st.digest() + " of " + st.label());
                out.add(man.config().digest());
                for (Descriptor l : man.layers()) out.add(l.digest()); // its models.toml is st.config() (any format)
            }
        }
        return new Refs(out, files);
    }
}
