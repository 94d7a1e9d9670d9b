package dev.modelreg.publisher;

import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.FileGroups;
import dev.modelreg.spec.ModelsToml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Plans the layers of a model set (the rule spec/README.md documents):
 * <ol>
 *   <li>a file of {@link #LARGE_FILE_THRESHOLD} bytes or more is a layer of its own (raw bytes, so the layer digest
 *       is its models.toml hash and identical files are shared across refs and repositories);</li>
 *   <li>every other file goes into the tar of its group ({@link FileGroups}: the deepest model listing it, "" for
 *       files no model lists), one tar per group;</li>
 *   <li>while there are more layers than {@code maxLayers}: (a) the smallest large file (by size, then key) whose
 *       group already has a tar moves into that tar; else (b) the two tars with the fewest bytes (then by title)
 *       are merged into one; else (c) the smallest large file moves into a new tar of its group;</li>
 *   <li>layers are ordered by title.</li>
 * </ol>
 * Moving a large file into its group's tar costs nothing when pulling: whoever needs one file of a group needs
 * the whole group (every model listing a file lists its whole group). Merging tars is the last resort.
 */
final class LayerPlanner {
    private LayerPlanner() {}

    /** 1 MiB: files this big or bigger get a layer of their own. */
    static final long LARGE_FILE_THRESHOLD = 1024 * 1024;
    /** The default layer limit (Amazon ECR's; other registries allow more). */
    static final int DEFAULT_MAX_LAYERS = 500;
    static final String ROOT_GROUP_TITLE = "_root";

    /** A layer limit consumers read: 1 to {@link Limits#MAX_LAYERS}. */
    static void checkMaxLayers(int maxLayers) throws PublishException {
        if (maxLayers < 1 || maxLayers > Limits.MAX_LAYERS) {
            throw PublishException.invalid("--max-layers must be 1 to " + Limits.MAX_LAYERS + " (what consumers read), got "
                    + maxLayers);
        }
    }

    static LayerPlan plan(ModelsToml registry, Map<String, Path> paths, Map<String, Long> sizes,
                                 Map<String, Digest> digests, long threshold, int maxLayers) throws PublishException {
        return plan(registry, paths, sizes, digests, threshold, maxLayers, Set.of());
    }

    /** As above, leaving out the {@code external} keys (spec/README.md 3.14: no layer serves them); groups stay those of the whole registry. */
    static LayerPlan plan(ModelsToml registry, Map<String, Path> paths, Map<String, Long> sizes,
                          Map<String, Digest> digests, long threshold, int maxLayers, Set<String> external)
            throws PublishException {
        checkMaxLayers(maxLayers);
        SortedMap<String, SortedSet<String>> groups = FileGroups.groups(registry);
        Map<String, String> groupOf = new HashMap<>();
        groups.forEach((g, keys) -> keys.forEach(k -> groupOf.put(k, g)));

        Comparator<String> bySize = Comparator.<String>comparingLong(sizes::get).thenComparing(Comparator.naturalOrder());
        TreeSet<String> large = new TreeSet<>(bySize);
        Map<String, Tar> tarOfGroup = new HashMap<>();
        for (Map.Entry<String, SortedSet<String>> g : groups.entrySet()) {
            for (String k : g.getValue()) {
                if (external.contains(k)) continue;
                if (sizes.get(k) >= threshold) large.add(k);
                else tarOfGroup.computeIfAbsent(g.getKey(), Tar::new).add(k, sizes.get(k));
            }
        }
        Comparator<Tar> smallest = Comparator.comparingLong((Tar t) -> t.bytes).thenComparing(Tar::firstGroup);
        PriorityQueue<Tar> tars = new PriorityQueue<>(smallest);
        tars.addAll(tarOfGroup.values());

        while (large.size() + tars.size() > maxLayers) {
            String demote = null;
            for (String k : large) {
                if (tarOfGroup.containsKey(groupOf.get(k))) {
                    demote = k;
                    break;
                }
            }
            if (demote != null) {
                large.remove(demote);
                Tar t = tarOfGroup.get(groupOf.get(demote));
                tars.remove(t);
                t.add(demote, sizes.get(demote));
                tars.add(t);
            } else if (tars.size() >= 2) {
                Tar a = tars.poll();
                Tar b = tars.poll();
                a.absorb(b);
                for (String g : b.groups) tarOfGroup.put(g, a);
                tars.add(a);
            } else {
                String k = large.first();
                large.remove(k);
                Tar t = tarOfGroup.computeIfAbsent(groupOf.get(k), Tar::new);
                tars.remove(t);
                t.add(k, sizes.get(k));
                tars.add(t);
            }
        }

        List<LayerPlan.Layer> layers = new ArrayList<>();
        for (String k : large) layers.add(new LayerPlan.FileLayer(k, paths.get(k), sizes.get(k), digests.get(k)));
        Set<String> titles = new HashSet<>(large);
        List<Tar> orderedTars = new ArrayList<>(tars);
        orderedTars.sort(Comparator.comparing(Tar::firstGroup));
        for (Tar t : orderedTars) {
            String base = safe(t.firstGroup()) + (t.groups.size() > 1 ? "+" + (t.groups.size() - 1) : "");
            String title = base + ".tar";
            for (int i = 2; !titles.add(title); i++) title = base + "~" + i + ".tar";
            layers.add(new LayerPlan.TarLayer(title, t.groups, t.keys, t.bytes));
        }
        layers.sort(Comparator.comparing(LayerPlan.Layer::title));
        return new LayerPlan(layers);
    }

    /** A filesystem-safe tar name for a group: '/' and anything outside [A-Za-z0-9._-] become '_'. */
    static String safe(String group) {
        if (group.isEmpty()) return ROOT_GROUP_TITLE;
        StringBuilder sb = new StringBuilder(group.length());
        for (int i = 0; i < group.length(); i++) {
            char c = group.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
            sb.append(ok ? c : '_');
        }
        if (sb.charAt(0) == '.') sb.setCharAt(0, '_');
        return sb.toString();
    }

    private static final class Tar {
        final TreeSet<String> groups = new TreeSet<>();
        final TreeSet<String> keys = new TreeSet<>();
        long bytes;

        Tar(String group) {
            groups.add(group);
        }

        void add(String key, long size) {
            keys.add(key);
            bytes += size;
        }

        void absorb(Tar other) {
            groups.addAll(other.groups);
            keys.addAll(other.keys);
            bytes += other.bytes;
        }

        String firstGroup() {
            return groups.first();
        }
    }
}
