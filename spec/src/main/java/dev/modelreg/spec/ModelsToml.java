package dev.modelreg.spec;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The registry file of one ref: {@code [files]} (path -> entry), {@code [models]} (model name -> file keys),
 * {@code [examples]} (example name -> model names). Maps are sorted, so writing is deterministic.
 * {@code schemaVersion} is null when the file has none.
 */
public record ModelsToml(String schemaVersion,
                         SortedMap<String, FileEntry> files,
                         SortedMap<String, List<String>> models,
                         SortedMap<String, List<String>> examples) {
    public static final String SCHEMA_VERSION = "1.0";

    public ModelsToml {
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files == null ? Map.of() : files));
        TreeMap<String, List<String>> m = new TreeMap<>();
        if (models != null) models.forEach((k, v) -> m.put(k, List.copyOf(v)));
        models = Collections.unmodifiableSortedMap(m);
        TreeMap<String, List<String>> e = new TreeMap<>();
        if (examples != null) examples.forEach((k, v) -> e.put(k, List.copyOf(v)));
        examples = Collections.unmodifiableSortedMap(e);
    }

    /** The file keys of a model, or null if there is no such model. */
    public List<String> filesOf(String model) {
        return models.get(model);
    }
}
