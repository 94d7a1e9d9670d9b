package dev.modelreg.consumer;

import dev.modelreg.content.BlobSink;
import dev.modelreg.content.Copy;
import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.Target;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.Modelcar;
import dev.modelreg.spec.ModelsToml;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * A model image (spec/README.md 3.11): models.toml is a file of one layer, named by the manifest's registry
 * annotation; every layer is a tar (plain or gzip) of the model files of its groups, unpacked by {@link ImageLayers}.
 */
final class ModelImageFormat implements ArtifactFormat {
    private final Modelcar car;

    ModelImageFormat(Modelcar car) {
        this.car = car;
    }

    @Override
    public byte[] cachedRegistry(Cache cache, String label) throws IOException {
        return cache.registry(car.registry(), label);
    }

    @Override
    public Inspection.Contents contents(Manifest m, ModelsToml r, Cache cache, String label) throws ConsumerException {
        return Inspection.modelSet("model image", m, r, label);
    }

    /**
     * From the cache by its digest, else read out of the layer marked as holding it, which enters the cache only when
     * models.toml matches the manifest's digest and every other file of the layer matches models.toml; then
     * models.toml is cached under its digest too.
     */
    @Override
    public byte[] registry(Target t, Cache cache, CopyOptions o, String label) throws IOException {
        byte[] cached = cache.registry(car.registry(), label);
        if (cached != null) return cached;
        AtomicReference<byte[]> got = new AtomicReference<>();
        Descriptor layer = car.registryLayer();
        String what = "layer " + layer.digest() + " (models.toml) of " + label;
        Copy.blobs(t, List.of(layer), cache.blobs(), o.withSinks(d -> d.equals(layer.digest())
                ? ImageLayers.registrySink(car, got::set, what) : null));
        byte[] bytes = got.get();
        if (bytes == null) throw new ConsumerException(what + ": models.toml was not read");
        cache.storeRegistry(bytes);
        return bytes;
    }

    @Override
    public Plan plan(ModelsToml r, Collection<String> keys, Cache cache, Predicate<Digest> cached, String label)
            throws ConsumerException {
        return ImageLayers.plan(r, car, keys, cached, label);
    }

    @Override
    public boolean unpacks(Plan.Fetch f) {
        return true; // every layer of an image is a tar
    }

    @Override
    public BlobSink sink(Plan.Fetch f, Map<String, Path> to, LongConsumer written, String what) {
        return ImageLayers.sink(car, f.layer(), f.members(), to, written, what);
    }

    @Override
    public void unpack(Path layer, Plan.Fetch f, Map<String, Path> to, LongConsumer written, String what) throws IOException {
        ImageLayers.replay(layer, sink(f, to, written, what));
    }
}
