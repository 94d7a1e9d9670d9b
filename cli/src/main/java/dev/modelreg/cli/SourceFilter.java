package dev.modelreg.cli;

import picocli.CommandLine.Option;

/** {@code --source}/{@code --ref}: which cached registries a local command (list, clear) looks at. */
public final class SourceFilter {
    @Option(names = {"--source", "-s"}, description = "Only this source (key or name).")
    String source;

    @Option(names = {"--ref", "-r"}, description = "Only this ref.")
    String ref;
}
