package dev.modelreg.spec;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which layer of a model-set manifest serves each file of its registry (spec/README.md 3.3 "Finding a file" and
 * 3.6): none for a key the manifest lists as external ({@link Annotations#EXTERNAL}, 3.14: it comes from its URL);
 * else the file layer titled with the key; else the last delta layer whose {@link Annotations#DELTA} lists the key;
 * else the tar layer of the key's group ({@link Annotations#GROUP} / {@link Annotations#GROUPS}). Shared by the
 * consumer (planning a pull) and the publisher (rebasing a push on a previous manifest).
 */
public final class LayerIndex {
    private final Set<String> external;
    private final Map<String, Descriptor> fileLayers = new HashMap<>();
    private final Map<String, Descriptor> deltaOf = new HashMap<>();
    private final Map<String, Descriptor> tarOfGroup = new HashMap<>();
    private final SortedMap<String, SortedSet<String>> groups;
    private final Map<String, String> groupOf = new HashMap<>();

    private LayerIndex(Manifest m, ModelsToml r) {
        external = Set.copyOf(externalKeys(m));
        for (Descriptor l : m.layers()) {
            if (MediaTypes.FILE_LAYER.equals(l.mediaType()) && l.title() != null) {
                fileLayers.put(l.title(), l);
            } else if (MediaTypes.TAR_LAYER.equals(l.mediaType())) {
                if (isDelta(l)) {
                    for (String k : deltaKeys(l)) deltaOf.put(k, l); // later layers win
                } else {
                    for (String g : groupsOf(l)) tarOfGroup.put(g, l);
                }
            }
        }
        groups = FileGroups.groups(r);
        groups.forEach((g, keys) -> keys.forEach(k -> groupOf.put(k, g)));
    }

    /** @throws IllegalArgumentException if a layer's group or delta annotation is not a JSON array of strings */
    public static LayerIndex of(Manifest m, ModelsToml r) {
        return new LayerIndex(m, r);
    }

    /** The layer that serves {@code key}, or null if none does (an external file, 3.14, is served by none). */
    public Descriptor layerOf(String key) {
        if (external.contains(key)) return null;
        Descriptor l = fileLayers.get(key);
        if (l != null) return l;
        l = deltaOf.get(key);
        if (l != null) return l;
        return tarOfGroup.get(groupOf.getOrDefault(key, ""));
    }

    /** True if the manifest lists {@code key} as stored outside the registry (3.14): it is fetched from its URL. */
    public boolean isExternal(String key) {
        return external.contains(key);
    }

    /** The keys the manifest lists as external (3.14), sorted. */
    public SortedSet<String> external() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(external));
    }

    /**
     * The keys a manifest lists in {@link Annotations#EXTERNAL} (none without it).
     *
     * @throws IllegalArgumentException if the annotation is not a JSON array of strings
     */
    public static List<String> externalKeys(Manifest m) {
        String v = m.annotations().get(Annotations.EXTERNAL);
        if (v == null) return List.of();
        Object parsed;
        try {
            parsed = Json.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the manifest has an invalid " + Annotations.EXTERNAL + " annotation: "
                    + e.getMessage());
        }
        if (!(parsed instanceof List<?> l) || !l.stream().allMatch(String.class::isInstance)) {
            throw new IllegalArgumentException("the manifest's " + Annotations.EXTERNAL + " must be a JSON array of strings");
        }
        return l.stream().map(String.class::cast).toList();
    }

    /** The file layer titled {@code key}, if any. */
    public Descriptor fileLayer(String key) {
        return fileLayers.get(key);
    }

    /** The group of {@code key} in this registry ("" if no model lists it). */
    public String groupOf(String key) {
        return groupOf.getOrDefault(key, "");
    }

    /** Every registry key of {@code group}, sorted. */
    public SortedSet<String> group(String group) {
        return groups.getOrDefault(group, Collections.emptySortedSet());
    }

    public static boolean isDelta(Descriptor layer) {
        return layer.annotation(Annotations.DELTA) != null;
    }

    /** The keys a delta layer lists. */
    public static List<String> deltaKeys(Descriptor delta) {
        return stringArray(delta, Annotations.DELTA);
    }

    /** The groups a (non-delta) tar layer holds: {@code dev.modelreg.group}, or the array {@code dev.modelreg.groups}. */
    public static List<String> groupsOf(Descriptor tar) {
        String one = tar.annotation(Annotations.GROUP);
        if (one != null) return List.of(one);
        if (tar.annotation(Annotations.GROUPS) == null) return List.of();
        return stringArray(tar, Annotations.GROUPS);
    }

    private static List<String> stringArray(Descriptor d, String key) {
        Object parsed;
        try {
            parsed = Json.parse(d.annotation(key));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("layer " + d.digest() + " has an invalid " + key + " annotation: "
                    + e.getMessage());
        }
        if (!(parsed instanceof List<?> l) || !l.stream().allMatch(String.class::isInstance)) {
            throw new IllegalArgumentException("layer " + d.digest() + ": " + key + " must be a JSON array of strings");
        }
        return l.stream().map(String.class::cast).toList();
    }
}
