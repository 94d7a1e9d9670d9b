package dev.modelreg.cli;

import dev.modelreg.consumer.ModelReg;
import dev.modelreg.consumer.Placement;
import dev.modelreg.consumer.Results.CopyResult;
import picocli.CommandLine.Mixin;

/**
 * A command that puts verified files into a directory ({@code copy}, {@code pull}): which of them
 * ({@link FileFilterFlags}), how ({@link PlacementFlags}), a progress display that shows "committing" while the
 * directory is swapped in, and the result: one JSON document with {@code --json}, else each file written with
 * {@code -v}, then the command's summary line.
 */
abstract class PlacingCommand extends RegistryConsumerCommand {
    @Mixin
    FileFilterFlags filters;

    @Mixin
    PlacementFlags placement;

    /** Writes the files with {@code reg} (opened for this run), placed {@code how}. */
    abstract CopyResult place(ModelReg reg, Placement how) throws Exception;

    /** The line printed after the files {@code -v} lists, or null for none. */
    abstract String summary(CopyResult r);

    @Override
    public final Integer call() throws Exception {
        Placement how = placement.placement();
        CopyResult r;
        try (Progress progress = progress("committing")) {
            r = place(open(progress), how);
        }
        if (json) {
            printJson(r.toJson());
        } else {
            if (verbose()) r.files().forEach(f -> out().println(r.workspace().resolve(f)));
            String line = summary(r);
            if (line != null) out().println(line);
            out().flush();
        }
        return ExitCodes.OK;
    }
}
