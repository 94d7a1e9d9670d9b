package dev.modelreg.cli;

import dev.modelreg.consumer.Placement;
import picocli.CommandLine.Option;

/**
 * How a pull or copy puts its files (a {@link Placement}): copies through the cache by default, {@code --no-cache} or
 * {@code --link}. Their descriptions name each command's own directory, so they are in CommandHelp.properties
 * ({@code modelreg.COMMAND.no-cache}, {@code modelreg.COMMAND.link}).
 */
public final class PlacementFlags {
    @Option(names = "--no-cache")
    boolean noCache;

    @Option(names = "--link")
    boolean link;

    /** The placement the flags give; both at once is a usage error (one line). */
    Placement placement() throws ExitException {
        if (noCache && link) {
            throw new ExitException(ExitCodes.USAGE, "--link and --no-cache cannot be combined: a link is to the cache,"
                    + " and --no-cache keeps nothing there");
        }
        return link ? Placement.LINK : noCache ? Placement.NO_CACHE : Placement.COPY;
    }
}
