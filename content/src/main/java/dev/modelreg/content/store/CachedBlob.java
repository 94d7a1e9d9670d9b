package dev.modelreg.content.store;

import dev.modelreg.spec.Digest;
import java.time.Instant;

/**
 * A blob of the cache as a listing or a prune sees it.
 *
 * @param size     its length in bytes
 * @param modified when it entered the cache (the file's modification time)
 * @param linked   true when the file has another name (a {@code pull --link} workspace file): removing it from the
 *                 cache frees no disk space while that name exists
 */
public record CachedBlob(Digest digest, long size, Instant modified, boolean linked) {}
