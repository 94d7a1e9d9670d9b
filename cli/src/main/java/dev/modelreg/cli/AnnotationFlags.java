package dev.modelreg.cli;

import dev.modelreg.spec.Metadata;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/** The manifest annotations a command sets ({@code push}, {@code annotate}): a metadata file, then single annotations. */
public final class AnnotationFlags {
    @Option(names = "--metadata", paramLabel = "FILE",
            description = "Descriptive metadata, a flat TOML or JSON file (title, description, version, authors, license, "
                    + "vendor, url, documentation, source, and free keys), stored as manifest annotations (spec/README.md 3.8).")
    Path metadata;

    @Option(names = "--annotation", paramLabel = "KEY=VALUE", description = "A manifest annotation (repeatable; overrides --metadata).")
    Map<String, String> annotations = new TreeMap<>();

    /** True when neither flag was given. */
    boolean isEmpty() {
        return metadata == null && annotations.isEmpty();
    }

    /** The annotations: the metadata file's (checked, spec/README.md 3.8), then {@code --annotation}'s over them. */
    Map<String, String> read() throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (metadata != null) out.putAll(Metadata.read(metadata));
        out.putAll(annotations);
        return out;
    }
}
