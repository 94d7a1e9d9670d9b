package dev.modelreg.cli;

import dev.modelreg.consumer.ModelReg;
import dev.modelreg.consumer.Placement;
import dev.modelreg.consumer.Results.CopyResult;
import dev.modelreg.consumer.Selection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code modelreg copy|cp MODEL WORKSPACE}: a model's files, verified, into a workspace swapped in whole. */
@Command(name = "copy", aliases = "cp")
public final class CopyCommand extends PlacingCommand {
    @Mixin
    ModelWorkspaceArgs args;

    @Option(names = "--overwrite", description = "Replace an existing workspace (only once every file is verified).")
    boolean overwrite;

    @Mixin
    ModelLookupFlags lookup;

    @Override
    CopyResult place(ModelReg reg, Placement how) throws Exception {
        Selection files = filters.applyTo(Selection.ALL);
        return lookup.from == null ? reg.copy(args.model, args.workspace, overwrite, how, files)
                : reg.copyFrom(reg.ref(lookup.from), args.model, args.workspace, overwrite, how, files);
    }

    /** The workspace, unless -v listed its files. */
    @Override
    String summary(CopyResult r) {
        return verbose() ? null : r.workspace().toString();
    }
}
