package dev.modelreg.publisher;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** How a registry's files are laid out in layers; see {@link LayerPlanner} for the rule. */
record LayerPlan(List<Layer> layers) {
    public LayerPlan {
        layers = List.copyOf(layers);
    }

    public sealed interface Layer permits FileLayer, TarLayer, BaseLayer, DeltaLayer {
        String title();
    }

    /** A layer of the base manifest, kept as it is (its blob is already in the destination). */
    public record BaseLayer(Descriptor descriptor) implements Layer {
        @Override
        public String title() {
            return descriptor.title();
        }
    }

    /** A reproducible tar of the small files that changed since the base, listed in {@code dev.modelreg.delta}. */
    public record DeltaLayer(String title, SortedSet<String> keys, long bytes) implements Layer {
        public DeltaLayer {
            keys = Collections.unmodifiableSortedSet(new TreeSet<>(keys));
        }
    }

    /** One file, its raw bytes: the layer digest is the file's hash. */
    public record FileLayer(String key, Path file, long size, Digest digest) implements Layer {
        @Override
        public String title() {
            return key;
        }
    }

    /** A reproducible tar of the small files of one group (or of several groups, merged to fit the layer limit). */
    public record TarLayer(String title, SortedSet<String> groups, SortedSet<String> keys, long bytes) implements Layer {
        public TarLayer {
            groups = Collections.unmodifiableSortedSet(new TreeSet<>(groups));
            keys = Collections.unmodifiableSortedSet(new TreeSet<>(keys));
        }
    }

    public long fileLayers() {
        return layers.stream().filter(l -> l instanceof FileLayer).count();
    }

    public long tarLayers() {
        return layers.stream().filter(l -> l instanceof TarLayer).count();
    }

    /** Layers kept from the base manifest (0 without a base). */
    public long baseLayers() {
        return layers.stream().filter(l -> l instanceof BaseLayer).count();
    }
}
