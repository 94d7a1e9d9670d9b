package dev.modelreg.cli;

import picocli.CommandLine.Option;

/** Where a command that names a MODEL ({@code copy}, {@code verify}) looks it up: the configured sources, or one ref. */
public final class ModelLookupFlags {
    @Option(names = "--from", paramLabel = "REF",
            description = "Look MODEL up in this ref instead of the configured sources: REGISTRY/REPO:TAG|@DIGEST, oci-layout:DIR[:TAG], oci-archive:FILE[:TAG], source@ref.")
    String from;
}
