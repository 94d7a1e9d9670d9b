package dev.modelreg.consumer;

import dev.modelreg.content.BlobSink;
import dev.modelreg.content.Copy;
import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.Target;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.ForeignArtifact;
import dev.modelreg.spec.ForeignArtifacts;
import dev.modelreg.spec.Packing;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * A foreign artifact read as a model set (spec/README.md 3.12): a CNCF ModelPack, a KitOps ModelKit, or an artifact
 * with titled layers (ORAS). Its models.toml is the one {@link ForeignArtifact#registry()} makes from the manifest and
 * config (cached under the digest of its own bytes), or, in a ModelPack modelreg wrote, the models.toml layer. A raw
 * layer is the blob of its one file (verified by its digest as any blob); a tar layer is unpacked by
 * {@link TreeLayers} (or, when models.toml lists its files with hashes, by {@link TarLayers}). Only the layers that
 * hold what was asked for are fetched: a raw file's layer, or the whole tar of a path.
 */
final class ForeignFormat implements ArtifactFormat {
    private final ForeignArtifact.Format format;
    private final Manifest manifest;
    private volatile ForeignArtifact artifact;

    ForeignFormat(ForeignArtifact.Format format, Manifest manifest) {
        this.format = format;
        this.manifest = manifest;
    }

    /**
     * The artifact, read from the manifest and (where the format has one to read) its config: from the cache, else,
     * when {@code t} is given, fetched into it (verified, at most {@link Limits#MAX_MANIFEST_BYTES}); null when
     * {@code t} is null and the config is not cached.
     */
    private ForeignArtifact artifact(Target t, Cache cache, CopyOptions o, String label) throws IOException {
        ForeignArtifact a = artifact;
        if (a != null) return a;
        byte[] config = null;
        if (ForeignArtifact.needsConfig(format)) {
            Descriptor c = manifest.config();
            String what = label + ": config " + c.digest();
            if (c.size() > Limits.MAX_MANIFEST_BYTES) {
                throw new ConsumerException(what + " is " + c.size() + " bytes, over the " + Limits.MAX_MANIFEST_BYTES + "-byte limit");
            }
            config = cache.blobs().read(c.digest(), Limits.MAX_MANIFEST_BYTES, what);
            if (config == null) {
                if (t == null) return null;
                Copy.blobs(t, List.of(c), cache.blobs(), o);
                config = cache.blobs().read(c.digest(), Limits.MAX_MANIFEST_BYTES, what);
                if (config == null) throw new ConsumerException(what + " did not reach the cache");
            }
        }
        a = ForeignArtifacts.read(format, manifest, config, label);
        artifact = a;
        return a;
    }

    private ForeignArtifact cached(Cache cache, String label) throws IOException {
        ForeignArtifact a = artifact(null, cache, null, label);
        if (a == null) {
            throw ConsumerException.notFound(label + ": config " + manifest.config().digest()
                    + " is not in the cache (run modelreg sync --force)");
        }
        return a;
    }

    @Override
    public byte[] registry(Target t, Cache cache, CopyOptions o, String label) throws IOException {
        ForeignArtifact a = artifact(t, cache, o, label);
        Descriptor layer = a.registryLayer();
        if (layer == null) return synthesized(a, cache);
        return cache.registry(t, layer, o, "models.toml layer", label);
    }

    /** The models.toml made from the artifact, stored in the cache under its own digest (so a pin or offline finds it). */
    private static byte[] synthesized(ForeignArtifact a, Cache cache) throws IOException {
        byte[] b = ModelsTomlCodec.write(a.registry());
        if (!cache.has(Digest.sha256Of(b))) cache.storeRegistry(b);
        return b;
    }

    @Override
    public byte[] cachedRegistry(Cache cache, String label) throws IOException {
        ForeignArtifact a = artifact(null, cache, null, label);
        if (a == null) return null;
        return a.registryLayer() != null ? cache.registry(a.registryLayer().digest(), label)
                : ModelsTomlCodec.write(a.registry());
    }

    /**
     * A file is served by the layer at its path. A raw layer's digest is the file's hash: a models.toml that says
     * otherwise (or another size) is refused before anything is fetched, and a cached blob of it is copied out. A tar
     * layer is fetched whole for any path it holds.
     */
    @Override
    public Plan plan(ModelsToml r, Collection<String> keys, Cache cache, java.util.function.Predicate<Digest> cached,
                     String label) throws IOException {
        ForeignArtifact a = cached(cache, label);
        Plan.Builder plan = new Plan.Builder(cached);
        for (String key : keys) {
            FileEntry e = r.files().get(key);
            if (e == null) throw ConsumerException.notFound(label + ": registry lists no file '" + key + "'");
            ForeignArtifact.Layer l = a.layerAt(key);
            if (l == null) throw new ConsumerException(label + ": no layer holds file '" + key + "'");
            Descriptor d = l.descriptor();
            Digest hash = d.digest();
            if (l.packing() == Packing.RAW) {
                if (e.hash() != null && !e.hash().equals(hash)) {
                    throw new ConsumerException(ConsumerException.Kind.DIGEST_MISMATCH, label + ": layer " + d.digest()
                            + " at '" + key + "' does not match the file's hash " + e.hash().hex());
                }
                if (e.size() != null && e.size() != d.size()) {
                    throw new ConsumerException(ConsumerException.Kind.SIZE_MISMATCH, label + ": layer " + d.digest()
                            + " at '" + key + "' is " + d.size() + " bytes, models.toml says " + e.size());
                }
                if (plan.fromCache(key, hash)) continue;
            } else if (e.hash() != null) {
                hash = e.hash();
            }
            Plan.Fetch f = plan.fromLayer(d, key, hash, HashMap::new);
            if (l.packing().isTar() && e.hash() != null) f.members().put(key, e);
        }
        return plan.build();
    }

    @Override
    public boolean unpacks(Plan.Fetch f) {
        return layerOf(f).packing().isTar();
    }

    private ForeignArtifact.Layer layerOf(Plan.Fetch f) {
        return artifact.layerAt(f.files().keySet().iterator().next());
    }

    @Override
    public BlobSink sink(Plan.Fetch f, Map<String, Path> to, LongConsumer written, String what) {
        BlobSink tar = f.members().isEmpty() ? TreeLayers.sink(to, written, what) : TarLayers.sink(f.members(), to, written, what);
        return TreeLayers.unpacked(layerOf(f), tar, what);
    }

    @Override
    public void unpack(Path layer, Plan.Fetch f, Map<String, Path> to, LongConsumer written, String what) throws IOException {
        ImageLayers.replay(layer, sink(f, to, written, what));
    }

    @Override
    public Inspection.Contents contents(Manifest m, ModelsToml r, Cache cache, String label) throws IOException {
        ForeignArtifact a = cached(cache, label);
        Map<Integer, ForeignArtifact.Layer> byIndex = new HashMap<>();
        for (ForeignArtifact.Layer l : a.layers()) byIndex.put(l.index(), l);
        List<Inspection.Layer> layers = new ArrayList<>();
        for (int i = 0; i < m.layers().size(); i++) {
            Descriptor d = m.layers().get(i);
            ForeignArtifact.Layer l = byIndex.get(i);
            if (l != null) {
                layers.add(new Inspection.Layer(d, l.kind().id(), List.of(), r.files().containsKey(l.path()) ? 1 : 0,
                        l.path(), l.packing().suffix() + (l.guessed() ? ", kind guessed" : "")));
            } else {
                boolean registry = d.equals(a.registryLayer());
                layers.add(new Inspection.Layer(d, registry ? "registry" : "skipped", List.of(), 0, null, null));
            }
        }
        List<Inspection.Model> models = new ArrayList<>();
        r.models().forEach((name, keys) -> {
            Set<Digest> seen = new LinkedHashSet<>();
            long bytes = 0;
            for (String k : keys) {
                ForeignArtifact.Layer l = a.layerAt(k);
                if (l != null && seen.add(l.descriptor().digest())) bytes += l.descriptor().size();
            }
            models.add(new Inspection.Model(name, keys.size(), bytes, seen.size()));
        });
        return new Inspection.Contents(format.id(), layers, models, a.about());
    }
}
