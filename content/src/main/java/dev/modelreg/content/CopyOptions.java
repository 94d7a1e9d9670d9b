package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import java.util.function.Predicate;

/**
 * Options of {@link Copy}: how many blobs move at once; a repository on the destination's registry to mount blobs
 * from (null = none, though a registry-to-registry copy on one registry mounts from the source repository anyway);
 * which layers to copy (null = all; the manifest and config are always copied).
 */
public record CopyOptions(int concurrency, String mountFrom, Predicate<Descriptor> layerFilter) {
    public CopyOptions {
        if (concurrency < 1) throw new IllegalArgumentException("copy concurrency must be >= 1, got " + concurrency);
    }

    public static CopyOptions defaults() {
        return new CopyOptions(RegistryOptions.DEFAULT_CONCURRENCY, null, null);
    }

    public CopyOptions withConcurrency(int n) {
        return new CopyOptions(n, mountFrom, layerFilter);
    }

    public CopyOptions withMountFrom(String repository) {
        return new CopyOptions(concurrency, repository, layerFilter);
    }

    public CopyOptions withLayerFilter(Predicate<Descriptor> filter) {
        return new CopyOptions(concurrency, mountFrom, filter);
    }
}
