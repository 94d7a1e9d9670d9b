package dev.modelreg.consumer;

import dev.modelreg.content.store.CachedBlob;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code cache ls} and {@code cache prune} report ({@link CacheUsage#list}, {@link CacheUsage#prune}). */
public final class CacheReport {
    private CacheReport() {}

    /**
     * One cached ref: the blobs it references that the cache holds.
     *
     * @param files  the file entries of its models.toml
     * @param blobs  the cached blobs it references (manifest, config, layers, files, release zips)
     * @param bytes  their bytes
     * @param shared of {@code bytes}, those of blobs another cached ref references too
     */
    public record RefUsage(RefState state, int files, int blobs, long bytes, long shared) {
        public Map<String, Object> toJson() {
            Map<String, Object> m = state.describe();
            m.put("files", files);
            m.put("blobs", blobs);
            m.put("bytes", bytes);
            m.put("shared_bytes", shared);
            return m;
        }
    }

    /**
     * The cache as a whole: its refs, and every blob it holds ({@code blobs}, {@code bytes}), of which
     * {@code unreferenced} (no cached ref references them: what a prune removes) and {@code linked} (with another
     * name, a {@code pull --link} workspace file, so removing them frees nothing while that name exists).
     */
    public record Usage(List<RefUsage> refs, int blobs, long bytes, int unreferenced, long unreferencedBytes,
                        long linkedBytes) {
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("refs", refs.stream().map(RefUsage::toJson).toList());
            m.put("blobs", blobs);
            m.put("bytes", bytes);
            m.put("unreferenced_blobs", unreferenced);
            m.put("unreferenced_bytes", unreferencedBytes);
            m.put("linked_bytes", linkedBytes);
            return m;
        }
    }

    /**
     * What a prune removed (or, dry, would remove), and the unreferenced blobs it kept because a running process uses
     * them (a pull that has not recorded its ref yet).
     */
    public record Pruned(boolean dryRun, List<CachedBlob> removed, List<CachedBlob> inUse) {
        public long bytes() {
            return removed.stream().mapToLong(CachedBlob::size).sum();
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dry_run", dryRun);
            m.put("removed", removed.stream().map(b -> Map.of("digest", b.digest().toString(), "size", b.size())).toList());
            m.put("bytes", bytes());
            m.put("in_use", inUse.stream().map(b -> b.digest().toString()).toList());
            return m;
        }
    }
}
