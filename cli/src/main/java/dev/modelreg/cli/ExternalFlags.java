package dev.modelreg.cli;

import dev.modelreg.publisher.ExternalFiles;
import java.util.List;
import picocli.CommandLine.Option;

/** push's files stored outside the registry (spec/README.md 3.14): which, and the URL of those whose entry gives none. */
public final class ExternalFlags {
    @Option(names = "--external", paramLabel = "GLOB",
            description = {"Keep the files matching GLOB (file keys; * within a segment, ** across) out of the layers: consumers fetch them from their models.toml url and verify them against its hash (repeatable; spec/README.md 3.14)."})
    List<String> globs;

    @Option(names = "--external-url-base", paramLabel = "URL",
            description = "With --external: the url of an external file whose entry has none is URL/KEY.")
    String urlBase;

    /** What push keeps out of the layers. */
    ExternalFiles files() throws dev.modelreg.publisher.PublishException {
        return ExternalFiles.of(globs, urlBase);
    }
}
