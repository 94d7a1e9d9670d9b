package dev.modelreg.consumer;

/**
 * What resolving a ref of a source gave: the state to record (state.json) and the exact registry bytes it names.
 *
 * @param status {@code synced} (new or changed), {@code unchanged} (the source still serves the cached state) or
 *               {@code skipped} (served from the cache without asking the source)
 */
record Resolution(RefState state, byte[] registry, String status) {
    static final String SYNCED = "synced";
    static final String UNCHANGED = "unchanged";
    static final String SKIPPED = "skipped";

    /** The cache already holds this resolution: nothing to save. */
    boolean cached() {
        return !SYNCED.equals(status);
    }
}
