package dev.modelreg.content;

import dev.modelreg.content.http.HttpOptions;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Options of {@link Copy}, immutable (withers return copies).
 *
 * @param concurrency blobs moved at once
 * @param mountFrom   a repository on the destination's registry to mount blobs from (null: none, though a copy
 *                    between two repositories of one registry mounts from the source anyway)
 * @param layerFilter which layers of a manifest to copy (null: all; the manifest and config are always copied)
 * @param sinks       per blob digest, a {@link BlobSink} that sees its bytes in the transfer's pass (null, or returning
 *                    null: none); called again for each retry
 * @param listener    the copy's hooks (progress, logging)
 * @param retries     how often a blob transfer that failed transiently is tried again (resuming where it can)
 * @param ranges      when a big blob from a registry is fetched over several ranged connections at once
 * @param tagCondition what the tag must point at, read just before the copy writes it ({@link TagCondition#ANY}: anything)
 */
public record CopyOptions(int concurrency, String mountFrom, Predicate<Descriptor> layerFilter,
                          Function<Digest, BlobSink> sinks, CopyListener listener, int retries,
                          RangeOptions ranges, TagCondition tagCondition) {
    public CopyOptions {
        if (concurrency < 1) throw new IllegalArgumentException("copy concurrency must be >= 1, got " + concurrency);
        if (retries < 0) throw new IllegalArgumentException("copy retries must be >= 0, got " + retries);
        if (listener == null) listener = CopyListener.NONE;
        if (ranges == null) ranges = RangeOptions.DEFAULTS;
        if (tagCondition == null) tagCondition = TagCondition.ANY;
    }

    public static CopyOptions defaults() {
        return new CopyOptions(RegistryOptions.DEFAULT_CONCURRENCY, null, null, null, CopyListener.NONE,
                HttpOptions.DEFAULT_RETRIES, RangeOptions.DEFAULTS, TagCondition.ANY);
    }

    /** Concurrency, retries and ranged downloads of {@code o}. */
    public static CopyOptions of(RegistryOptions o) {
        return defaults().withConcurrency(o.concurrency()).withRetries(o.http().retries()).withRanges(o.ranges());
    }

    public CopyOptions withConcurrency(int n) {
        return new CopyOptions(n, mountFrom, layerFilter, sinks, listener, retries, ranges, tagCondition);
    }

    public CopyOptions withMountFrom(String repository) {
        return new CopyOptions(concurrency, repository, layerFilter, sinks, listener, retries, ranges, tagCondition);
    }

    public CopyOptions withLayerFilter(Predicate<Descriptor> filter) {
        return new CopyOptions(concurrency, mountFrom, filter, sinks, listener, retries, ranges, tagCondition);
    }

    public CopyOptions withSinks(Function<Digest, BlobSink> s) {
        return new CopyOptions(concurrency, mountFrom, layerFilter, s, listener, retries, ranges, tagCondition);
    }

    public CopyOptions withListener(CopyListener l) {
        return new CopyOptions(concurrency, mountFrom, layerFilter, sinks, l, retries, ranges, tagCondition);
    }

    public CopyOptions withRetries(int n) {
        return new CopyOptions(concurrency, mountFrom, layerFilter, sinks, listener, n, ranges, tagCondition);
    }

    public CopyOptions withRanges(RangeOptions r) {
        return new CopyOptions(concurrency, mountFrom, layerFilter, sinks, listener, retries, r, tagCondition);
    }

    public CopyOptions withTagCondition(TagCondition c) {
        return new CopyOptions(concurrency, mountFrom, layerFilter, sinks, listener, retries, ranges, c);
    }
}
