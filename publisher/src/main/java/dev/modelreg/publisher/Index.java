package dev.modelreg.publisher;

import dev.modelreg.spec.ModelsToml;
import java.nio.file.Path;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The result of indexing a directory: the registry, and for each file key where its bytes are and how many there
 * are (measured in the same pass that hashed them).
 *
 * @param root     the indexed directory
 * @param registry the models.toml written for it
 * @param paths    file key to the file
 * @param sizes    file key to its size in bytes
 */
public record Index(Path root, ModelsToml registry, SortedMap<String, Path> paths, SortedMap<String, Long> sizes) {
    /** Copies the maps, unmodifiable. */
    public Index {
        paths = Collections.unmodifiableSortedMap(new TreeMap<>(paths));
        sizes = Collections.unmodifiableSortedMap(new TreeMap<>(sizes));
    }

    /** The size of all files together. */
    public long totalBytes() {
        long t = 0;
        for (long s : sizes.values()) t += s;
        return t;
    }
}
