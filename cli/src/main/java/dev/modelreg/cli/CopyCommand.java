package dev.modelreg.cli;

import dev.modelreg.consumer.Placement;
import dev.modelreg.consumer.Results.CopyResult;
import dev.modelreg.consumer.Selection;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modelreg copy|cp MODEL WORKSPACE}: a model's files, verified, into a workspace swapped in whole. */
@Command(name = "copy", aliases = "cp")
public final class CopyCommand extends RegistryConsumerCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "name/sub/path, source@ref/sub/path or source@sha256:<hex>/sub/path.")
    String model;

    @Parameters(index = "1", paramLabel = "WORKSPACE", description = "Directory to create (refused if it exists and is not empty, unless --overwrite).")
    Path workspace;

    @Option(names = "--overwrite", description = "Replace an existing workspace (only once every file is verified).")
    boolean overwrite;

    @Option(names = "--no-cache", description = "Write each downloaded byte once, into WORKSPACE only: nothing downloaded is kept in the "
            + "cache (files it holds already are copied from it). For big models on a slow disk; WORKSPACE stays independent of the cache.")
    boolean noCache;

    @Option(names = "--link", description = "Make each file a read-only hard link to its blob in the cache: each byte is written "
            + "once, into the cache (a WORKSPACE on another file system than the cache gets copies, said once). Edit a copy, "
            + "never a linked file: verify reports a changed one.")
    boolean link;

    @Option(names = "--from", paramLabel = "REF",
            description = "Look MODEL up in this ref instead of the configured sources: REGISTRY/REPO:TAG|@DIGEST, oci-layout:DIR[:TAG], oci-archive:FILE[:TAG], source@ref.")
    String from;

    @Option(names = "--include", paramLabel = "GLOB", description = "Only the model's files whose key matches (repeatable; * within "
            + "a directory, ** across directories).")
    List<String> include;

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Leave out the model's files whose key matches (repeatable).")
    List<String> exclude;

    @Override
    public Integer call() throws Exception {
        Placement how = ConsumerOptions.placement(noCache, link);
        CopyResult r;
        try (Progress progress = progress("committing")) {
            var reg = open(progress);
            Selection files = Selection.ALL.withFilters(include, exclude);
            r = from == null ? reg.copy(model, workspace, overwrite, how, files)
                    : reg.copyFrom(reg.ref(from), model, workspace, overwrite, how, files);
        }
        if (json) {
            printJson(r.toJson());
        } else {
            if (verbose()) r.files().forEach(f -> out().println(r.workspace().resolve(f)));
            else out().println(r.workspace());
            out().flush();
        }
        return ExitCodes.OK;
    }
}
