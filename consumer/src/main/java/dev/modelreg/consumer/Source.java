package dev.modelreg.consumer;

import dev.modelreg.content.CopyListener;
import dev.modelreg.spec.SourceConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * One kind of place that the refs of a source come from: an OCI repository (a registry, a layout directory, an
 * archive, through the {@code [mirrors]} rules) or GitHub (release assets, raw files). Each is one implementation;
 * {@link ModelReg} only picks one ({@link Sources}) and runs it. A source resolves a ref to a pinned state, writes
 * the files a request needs (planned from the registry, verified before they are used) and describes a cached ref.
 */
interface Source {
    /** True if this source wrote {@code state} (its transport), so that it can serve it. */
    boolean serves(RefState state);

    /**
     * Syncs {@code ref} of {@code s}: resolves it to a state and its registry bytes with the least work
     * {@code previous} allows (an unchanged tag costs one request, a cached pin none; offline, from the cache only) and
     * records a new one in the cache (registry, then state.json, atomically).
     */
    Resolution resolve(SourceConfig s, String ref, RefState previous, boolean force) throws IOException;

    /**
     * Writes each key of {@code dests} to its file (which must not exist; its directory must) with content verified
     * against the registry, from the cache or fetched, put there as {@code out} says: with its scratch directory
     * ({@code --no-cache}) what is fetched does not enter the cache; linking ({@code --link}), what is fetched enters
     * the cache alone and every file is linked to its blob. Returns the bytes of the files.
     */
    long materialize(Synced s, Map<String, Path> dests, Placer out) throws IOException;

    /**
     * Where a pull of every file of the ref would take them from, into a cache that holds the blobs {@code cached} says
     * it has, planned from the manifest and registry alone ({@code diff}): cached blobs, layers, and files fetched from
     * their URLs ({@link Plan#external()}: in GitHub mode, every file not cached).
     */
    Plan plan(Synced s, java.util.function.Predicate<dev.modelreg.spec.Digest> cached) throws IOException;

    /** The ref ready to be copied elsewhere (export, {@code mirror --source}). */
    Exportable exportable(Synced s) throws IOException;

    /** A description of the ref's artifact from its manifest and config alone ({@code inspect}). */
    Inspection inspect(Synced s, String text) throws IOException;

    /** The hooks of every blob transfer (progress). */
    void listener(CopyListener listener);

    /** HTTP requests made so far. */
    long requestCount();
}
