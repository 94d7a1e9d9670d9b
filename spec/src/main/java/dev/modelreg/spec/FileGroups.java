package dev.modelreg.spec;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Assigns every file of a registry to exactly one group, the unit of a tar layer. See spec/README.md, "File
 * groups".
 *
 * <p>A parent model's list includes its nested models' files, so a file may be listed by several models. Its
 * group is the deepest of them: the model with the fewest files among those whose list contains the key, ties
 * broken by the lexicographically smallest model name. A file that no model lists is in group "" (empty).
 */
public final class FileGroups {
    private FileGroups() {}

    /** The group of {@code fileKey}: the deepest model listing it, or "" if no model lists it. */
    public static String groupOf(ModelsToml r, String fileKey) {
        String best = "";
        int bestSize = Integer.MAX_VALUE;
        for (Map.Entry<String, List<String>> m : r.models().entrySet()) {
            int size = m.getValue().size();
            // models() is sorted, so on a tie the first (smallest) name seen is kept
            if (size < bestSize && m.getValue().contains(fileKey)) {
                best = m.getKey();
                bestSize = size;
            }
        }
        return best;
    }

    /**
     * Every key of {@code [files]} by group (the same rule as {@link #groupOf}). Keys that models list but
     * {@code [files]} lacks are not grouped. Groups with no files do not appear.
     */
    public static SortedMap<String, SortedSet<String>> groups(ModelsToml r) {
        Map<String, String> owner = new HashMap<>();
        Map<String, Integer> ownerSize = new HashMap<>();
        for (Map.Entry<String, List<String>> m : r.models().entrySet()) {
            int size = m.getValue().size();
            for (String key : m.getValue()) {
                Integer current = ownerSize.get(key);
                if (current == null || size < current) {
                    owner.put(key, m.getKey());
                    ownerSize.put(key, size);
                }
            }
        }
        TreeMap<String, SortedSet<String>> out = new TreeMap<>();
        for (String key : r.files().keySet()) {
            out.computeIfAbsent(owner.getOrDefault(key, ""), g -> new TreeSet<>()).add(key);
        }
        out.replaceAll((g, keys) -> Collections.unmodifiableSortedSet(keys));
        return Collections.unmodifiableSortedMap(out);
    }
}
