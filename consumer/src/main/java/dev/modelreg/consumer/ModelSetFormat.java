package dev.modelreg.consumer;

import dev.modelreg.content.BlobSink;
import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.Target;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.LayerIndex;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.Text;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * A modelreg artifact (spec/README.md section 3): the config is the models.toml, byte for byte; a file is in the
 * FILE_LAYER titled with its key, else in the last delta layer listing it, else in the TAR_LAYER of its group
 * ({@link LayerIndex}). Single-file layers are the file's blob; tar layers are unpacked ({@link TarLayers}).
 */
final class ModelSetFormat implements ArtifactFormat {
    private final Manifest manifest;

    ModelSetFormat(Manifest manifest) {
        this.manifest = manifest;
    }

    @Override
    public byte[] cachedRegistry(Cache cache, String label) throws IOException {
        return cache.registry(manifest.config().digest(), label);
    }

    @Override
    public Inspection.Contents contents(Manifest m, ModelsToml r, Cache cache, String label) throws ConsumerException {
        return Inspection.modelSet("modelreg", m, r, label);
    }

    @Override
    public byte[] registry(Target t, Cache cache, CopyOptions o, String label) throws IOException {
        Descriptor config = manifest.config();
        try {
            Limits.checkRegistrySize(config.size(), label + ": config " + config.digest());
        } catch (IllegalArgumentException e) {
            throw new ConsumerException(e.getMessage(), e);
        }
        return cache.registry(t, config, o, "config", label);
    }

    /**
     * Plans by the rule of {@link LayerIndex}; a file layer whose size is not the one models.toml gives is refused before
     * it is fetched. For a tar layer, {@code members} are the keys it serves: it may also hold
     * files it no longer serves (older versions a later delta layer replaces), which are neither checked nor used. A
     * file the manifest lists as external (3.14) comes from its URL, which its entry must give.
     */
    @Override
    public Plan plan(ModelsToml r, Collection<String> keys, Cache cache, Predicate<Digest> cached, String label)
            throws ConsumerException {
        LayerIndex index;
        try {
            index = LayerIndex.of(manifest, r);
        } catch (IllegalArgumentException e) {
            throw new ConsumerException(label + ": " + e.getMessage(), e);
        }
        Plan.Builder plan = new Plan.Builder(cached);
        for (String key : keys) {
            Digest hash = Plans.hashOf(r, key, label);
            if (plan.fromCache(key, hash)) continue;
            if (index.isExternal(key)) {
                String url = r.files().get(key).url();
                if (url == null || url.isBlank()) {
                    throw new ConsumerException(label + ": file '" + Text.printable(key) + "' is stored outside the"
                            + " registry but models.toml gives it no url");
                }
                plan.fromUrl(key, hash);
                continue;
            }
            Descriptor l = index.layerOf(key);
            if (l == null) throw new ConsumerException(label + ": no layer holds file '" + key + "'");
            if (MediaTypes.FILE_LAYER.equals(l.mediaType()) && !l.digest().equals(hash)) {
                throw new ConsumerException(label + ": layer " + l.digest() + " titled '" + key
                        + "' does not match the file's hash " + hash.hex());
            }
            Long size = r.files().get(key).size();
            if (MediaTypes.FILE_LAYER.equals(l.mediaType()) && size != null && l.size() != size) {
                throw new ConsumerException(ConsumerException.Kind.SIZE_MISMATCH, label + ": layer " + l.digest()
                        + " titled '" + key + "' is " + l.size() + " bytes, models.toml says " + size);
            }
            plan.fromLayer(l, key, hash, HashMap::new);
        }
        for (Plan.Fetch f : plan.fetches()) {
            if (!isTar(f)) continue;
            List<String> candidates = LayerIndex.isDelta(f.layer()) ? LayerIndex.deltaKeys(f.layer())
                    : LayerIndex.groupsOf(f.layer()).stream().flatMap(g -> index.group(g).stream()).toList();
            for (String k : candidates) {
                FileEntry e = r.files().get(k);
                if (e != null && e.hash() != null && f.layer().equals(index.layerOf(k))) f.members().put(k, e);
            }
        }
        return plan.build();
    }

    @Override
    public boolean unpacks(Plan.Fetch f) {
        return isTar(f);
    }

    private static boolean isTar(Plan.Fetch f) {
        return MediaTypes.TAR_LAYER.equals(f.layer().mediaType());
    }

    @Override
    public BlobSink sink(Plan.Fetch f, Map<String, Path> to, LongConsumer written, String what) {
        return TarLayers.sink(f.members(), to, written, what);
    }

    @Override
    public void unpack(Path layer, Plan.Fetch f, Map<String, Path> to, LongConsumer written, String what) throws IOException {
        written.accept(TarLayers.extract(layer, f.members(), to, what));
    }
}
