package dev.modelreg.consumer;

import dev.modelreg.content.Copy;
import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.Fetcher;
import dev.modelreg.content.Manifests;
import dev.modelreg.content.Mirror;
import dev.modelreg.content.ReadOnlyStorage;
import dev.modelreg.content.ReadOnlyTarget;
import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.LayerIndex;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code mirror --internalize} and {@code export --internalize} (spec/README.md 3.14): a model set whose manifest lists
 * files stored outside the registry is copied as a new manifest whose layers carry them. Each external file is fetched
 * from its URL into the cache ({@link ExternalFetch}: verified against its hash and size before it is stored) and
 * becomes a file layer titled with its key; the new manifest drops {@link Annotations#EXTERNAL} and says in
 * {@link Annotations#INTERNALIZED} which manifest it came from. The config (models.toml) is unchanged. Any other
 * manifest is copied as it is.
 */
final class Internalize implements Mirror.Rewrite {
    private final Settings settings;
    private final Cache cache;
    private final CopyOptions options;
    private final AtomicLong requests = new AtomicLong();

    Internalize(Settings settings, Cache cache, CopyOptions options) {
        this.settings = settings;
        this.cache = cache;
        this.options = options;
    }

    /** Requests made to external URLs so far. */
    long requests() {
        return requests.get();
    }

    @Override
    public Mirror.Rewritten apply(ReadOnlyTarget src, Descriptor root) throws IOException {
        if (!MediaTypes.OCI_MANIFEST.equals(root.mediaType())) return new Mirror.Rewritten(src, root);
        String label = src.name() + "@" + root.digest();
        byte[] bytes = Manifests.read(src, root, "manifest of " + label);
        Manifest m;
        List<String> external;
        try {
            m = Manifest.parse(bytes, "manifest of " + label);
            external = LayerIndex.externalKeys(m);
        } catch (IllegalArgumentException e) {
            throw new ConsumerException(ConsumerException.Kind.INVALID, label + ": " + e.getMessage(), e);
        }
        if (external.isEmpty() || !MediaTypes.ARTIFACT_TYPE.equals(m.artifactType())) return new Mirror.Rewritten(src, root);
        ModelsToml r = registry(src, m.config(), label);
        Map<String, Digest> missing = new LinkedHashMap<>();
        Map<String, Digest> hashes = new TreeMap<>();
        for (String key : external) {
            Digest hash = Plans.hashOf(r, key, label);
            hashes.put(key, hash);
            if (!cache.has(hash)) missing.put(key, hash);
        }
        ExternalFetch.run(settings, r, missing, cache.blobs(), options, label, requests);
        List<Descriptor> layers = new ArrayList<>(m.layers());
        Map<Digest, Descriptor> added = new LinkedHashMap<>();
        for (Map.Entry<String, Digest> e : hashes.entrySet()) {
            long size = Files.size(cache.blob(e.getValue()));
            Descriptor l = new Descriptor(MediaTypes.FILE_LAYER, e.getValue(), size, Map.of(Annotations.TITLE, e.getKey()));
            layers.add(l);
            added.putIfAbsent(l.digest(), l);
        }
        if (layers.size() > Limits.MAX_LAYERS) {
            throw new ConsumerException(ConsumerException.Kind.INVALID, label + ": internalized, its manifest would have "
                    + layers.size() + " layers, over the limit of " + Limits.MAX_LAYERS);
        }
        Map<String, String> ann = new TreeMap<>(m.annotations());
        ann.remove(Annotations.EXTERNAL);
        ann.put(Annotations.INTERNALIZED, root.digest().toString());
        Manifest out = new Manifest(m.artifactType(), m.config(), layers, ann);
        byte[] outBytes = out.toBytes();
        Manifests.checkSize(outBytes.length, "the internalized manifest of " + label);
        Descriptor outRoot = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256Of(outBytes), outBytes.length);
        return new Mirror.Rewritten(new Overlay(src, outRoot, outBytes, added.keySet()), outRoot);
    }

    /** The verified models.toml of a manifest's config, through the cache. */
    private ModelsToml registry(ReadOnlyTarget src, Descriptor config, String label) throws IOException {
        try {
            Limits.checkRegistrySize(config.size(), label + ": config " + config.digest());
        } catch (IllegalArgumentException e) {
            throw new ConsumerException(e.getMessage(), e);
        }
        byte[] b = cache.registry(config.digest(), label);
        if (b == null) {
            Copy.blobs(src, List.of(config), cache.blobs(), options);
            b = cache.registry(config.digest(), label);
        }
        if (b == null) throw new ConsumerException(label + ": config " + config.digest() + " did not reach the cache");
        return ModelsTomlCodec.read(b, "models.toml of " + label);
    }

    /** The source, with the new manifest and the external files (from the cache) added. */
    private final class Overlay implements ReadOnlyStorage {
        private final ReadOnlyStorage src;
        private final Descriptor root;
        private final byte[] manifest;
        private final java.util.Set<Digest> files;

        Overlay(ReadOnlyStorage src, Descriptor root, byte[] manifest, java.util.Set<Digest> files) {
            this.src = src;
            this.root = root;
            this.manifest = manifest;
            this.files = files;
        }

        @Override
        public InputStream fetch(Descriptor d) throws IOException {
            if (d.digest().equals(root.digest())) return new ByteArrayInputStream(manifest);
            if (files.contains(d.digest())) return ((Fetcher) cache.blobs()).fetch(d);
            return src.fetch(d);
        }

        @Override
        public boolean exists(Descriptor d) throws IOException {
            if (d.digest().equals(root.digest()) || files.contains(d.digest())) return true;
            return src.exists(d);
        }
    }
}
