package dev.modelreg.cli;

import dev.modelreg.consumer.ExportOptions;
import picocli.CommandLine.Option;

/**
 * How {@code mirror} and {@code export} copy an artifact ({@link ExportOptions}): with the files it stores outside the
 * registry ({@code --internalize}), without its referrers ({@code --no-referrers}). Their descriptions name what each
 * command copies, so they are in CommandHelp.properties ({@code modelreg.COMMAND.internalize}, {@code .no-referrers}).
 */
public final class ExportFlags {
    @Option(names = "--internalize")
    boolean internalize;

    @Option(names = "--no-referrers")
    boolean noReferrers;

    /** The options the flags give. */
    ExportOptions options() {
        return new ExportOptions(internalize, !noReferrers);
    }
}
