package dev.modelreg.consumer;

import dev.modelreg.content.BlobSink;
import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.Target;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.ModelsToml;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * How one kind of OCI artifact holds a model set: where its models.toml is, and which layer holds each file and how
 * it is read. One implementation per format (a modelreg artifact, spec/README.md section 3; a model image, 3.11; a
 * foreign artifact read as a model set, 3.12), picked from the manifest by {@link Formats#of}; {@link OciSource} runs
 * any of them the same way.
 */
interface ArtifactFormat {
    /**
     * Reads the artifact's models.toml from {@code t} into the cache (verified before it is stored) unless it is
     * cached, and returns its bytes; for a foreign artifact, the models.toml it is read as (3.12), cached under the
     * digest of its own bytes.
     */
    byte[] registry(Target t, Cache cache, CopyOptions o, String label) throws IOException;

    /** The artifact's models.toml if the cache holds it (and what it is made of), verified; else null. No request. */
    byte[] cachedRegistry(Cache cache, String label) throws IOException;

    /** What {@code inspect} shows of the layers and models, from the manifest, the config and {@code r} alone. */
    Inspection.Contents contents(Manifest m, ModelsToml r, Cache cache, String label) throws IOException;

    /**
     * Plans a copy of {@code keys} into a cache that holds the blobs {@code cached} says it has (what the format reads
     * of the artifact comes from {@code cache}): cached file blobs, cached layers, downloads.
     */
    Plan plan(ModelsToml r, Collection<String> keys, Cache cache, Predicate<Digest> cached, String label) throws IOException;

    /** True if the layer of {@code f} is unpacked into its files; false if it is the blob of the file(s) it serves. */
    boolean unpacks(Plan.Fetch f);

    /**
     * The sink that unpacks the layer of {@code f} while it downloads, writing the files of {@code to} and checking
     * every member against the registry; {@code written} gets the bytes written at its end.
     */
    BlobSink sink(Plan.Fetch f, Map<String, Path> to, LongConsumer written, String what);

    /** Unpacks the cached layer of {@code f} ({@code layer}) as {@link #sink} would. */
    void unpack(Path layer, Plan.Fetch f, Map<String, Path> to, LongConsumer written, String what) throws IOException;
}
