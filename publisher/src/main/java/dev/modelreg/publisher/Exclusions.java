package dev.modelreg.publisher;

import java.util.List;
import java.util.Locale;

/**
 * Which files never enter a registry, the same rules as modflow-devtools' make_registry: a file name containing
 * {@code .DS_Store} or {@code compare}, and simulation outputs by extension.
 */
public final class Exclusions {
    private Exclusions() {}

    /** A file whose name contains one of these is left out. */
    public static final List<String> NAME_PATTERNS = List.of(".DS_Store", "compare");
    /** Simulation outputs: a file with one of these extensions (any case) is left out. */
    public static final List<String> OUTPUT_EXTENSIONS =
            List.of(".lst", ".hds", ".hed", ".cbb", ".cbc", ".bud", ".ddn", ".ucn", ".glo");

    /** True if a file with this name (the last path element) is left out of the registry. */
    public static boolean excluded(String fileName) {
        for (String p : NAME_PATTERNS) {
            if (fileName.contains(p)) return true;
        }
        int dot = fileName.lastIndexOf('.');
        // Python's Path.suffix: a leading dot alone (".hds") is not a suffix.
        if (dot <= 0) return false;
        return OUTPUT_EXTENSIONS.contains(fileName.substring(dot).toLowerCase(Locale.ROOT));
    }
}
