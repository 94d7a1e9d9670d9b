package dev.modelreg.publisher;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.LayerIndex;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.ModelsToml;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rebases a full layer plan on a base manifest (a previous ref in the destination; spec/README.md 3.6): the base's
 * tar layers are kept, and the small files that changed since the base (or that no kept layer serves) go into one
 * new delta layer, listed in its {@code dev.modelreg.delta} annotation. A ref that changes a few files spread over
 * many groups then uploads about those files, not every group's tar, and a consumer that has the base cached
 * downloads about those files too.
 *
 * <p>The full plan is kept instead when rebasing cannot apply or would not pay: a merged tar in either plan, a chain
 * of {@link #MAX_DELTAS} delta layers already, more layers than the limit, or no base layer left to reuse.
 */
final class DeltaPlanner {
    private DeltaPlanner() {}

    /** A longer chain of delta layers is compacted: the next push with a base writes full tars again. */
    static final int MAX_DELTAS = 4;

    /** The base: a previous manifest of the destination and its registry (config). */
    record Base(Manifest manifest, ModelsToml registry) {}

    static LayerPlan rebase(LayerPlan full, ModelsToml registry, Map<String, Digest> digests, Map<String, Long> sizes,
                            Base base, int maxLayers) {
        if (full.layers().stream().anyMatch(l -> l instanceof LayerPlan.TarLayer t && t.groups().size() > 1)) return full;
        List<Descriptor> baseTars = new ArrayList<>();
        List<Descriptor> baseDeltas = new ArrayList<>();
        for (Descriptor l : base.manifest().layers()) {
            if (!MediaTypes.TAR_LAYER.equals(l.mediaType())) continue;
            if (LayerIndex.isDelta(l)) {
                baseDeltas.add(l);
            } else {
                if (LayerIndex.groupsOf(l).size() != 1) return full;
                baseTars.add(l);
            }
        }
        if (baseDeltas.size() >= MAX_DELTAS) return full;
        LayerIndex baseIndex = LayerIndex.of(base.manifest(), base.registry());
        Map<String, Descriptor> baseTarOfGroup = new HashMap<>();
        for (Descriptor t : baseTars) baseTarOfGroup.put(LayerIndex.groupsOf(t).get(0), t);

        // candidate layers: file layers as planned, the base tar of each planned group (or the planned tar of a new
        // group), every base delta in its order; then each small key either keeps its base layer or goes to the delta
        List<LayerPlan.Layer> plain = new ArrayList<>();
        List<Descriptor> candidates = new ArrayList<>();
        List<String> small = new ArrayList<>();
        for (LayerPlan.Layer l : full.layers()) {
            if (l instanceof LayerPlan.TarLayer t) {
                Descriptor baseTar = baseTarOfGroup.get(t.groups().first());
                if (baseTar != null) {
                    candidates.add(baseTar);
                    small.addAll(t.keys());
                } else {
                    plain.add(t); // a new group: its full tar
                }
            } else {
                plain.add(l);
            }
        }
        candidates.addAll(baseDeltas);
        // which kept layer the finding rule picks for a key of the new registry (no file layers among them)
        LayerIndex kept = LayerIndex.of(new Manifest(base.manifest().artifactType(), base.manifest().config(),
                candidates, Map.of()), registry);

        TreeSet<String> changed = new TreeSet<>();
        Set<Descriptor> used = new LinkedHashSet<>();
        for (String k : small) {
            Descriptor served = kept.layerOf(k);
            Descriptor before = baseIndex.layerOf(k);
            FileEntry was = base.registry().files().get(k);
            boolean same = was != null && digests.get(k).equals(was.hash());
            if (served != null && served.equals(before) && same) {
                used.add(served);
            } else {
                changed.add(k);
            }
        }
        // keys of new groups' full tars must not be shadowed by a kept base delta that lists them
        for (LayerPlan.Layer l : plain) {
            if (l instanceof LayerPlan.TarLayer t) {
                for (String k : t.keys()) if (kept.layerOf(k) != null) changed.add(k);
            }
        }
        if (used.isEmpty()) return full;

        List<LayerPlan.Layer> layers = new ArrayList<>(plain);
        for (Descriptor t : baseTars) if (used.contains(t)) layers.add(new LayerPlan.BaseLayer(t));
        layers.sort(Comparator.comparing(LayerPlan.Layer::title));
        int deltas = 0;
        for (Descriptor d : baseDeltas) {
            if (used.contains(d)) {
                layers.add(new LayerPlan.BaseLayer(d));
                deltas++;
            }
        }
        if (!changed.isEmpty()) {
            long bytes = changed.stream().mapToLong(sizes::get).sum();
            layers.add(new LayerPlan.DeltaLayer("_delta-" + (baseDeltas.size() + 1) + ".tar", changed, bytes));
            deltas++;
        }
        if (layers.size() > maxLayers || deltas > MAX_DELTAS) return full;
        return new LayerPlan(layers);
    }
}
