package dev.modelreg.cli;

import picocli.CommandLine.Option;

/**
 * How a model repository is indexed, said the same way by every command that indexes one ({@code make-registry}, and
 * {@code push} without {@code --registry-file}): which directories are models.
 */
public final class IndexFlags {
    @Option(names = {"-n", "--namefile"}, paramLabel = "GLOB", defaultValue = "mfsim.nam",
            description = "A model is a directory holding a file matching this glob (default: ${DEFAULT-VALUE}).")
    String namefile;
}
