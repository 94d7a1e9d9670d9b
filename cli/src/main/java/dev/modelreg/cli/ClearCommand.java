package dev.modelreg.cli;

import dev.modelreg.consumer.Results.ClearResult;
import java.io.Console;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code modelreg clear}: removes cached registries (one ref, one source, or every ref), then the blobs no remaining ref
 * references (a prune, spec/README.md 9.3).
 * Asks for confirmation on a terminal; without one, {@code --force} is required.
 */
@Command(name = "clear")
public final class ClearCommand extends ConsumerCommand {
    @Mixin SourceFilter filter;

    @Option(names = {"--force", "-f"}, description = "Do not ask for confirmation.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        var reg = open();
        String what = filter.source == null && filter.ref == null ? "the whole cache at " + reg.cacheRoot()
                : "cached registries" + (filter.source != null ? " of " + filter.source : "") + (filter.ref != null ? " at ref " + filter.ref : "");
        if (!force) {
            Console c = context().console();
            if (c == null) throw new ExitException(ExitCodes.USAGE, "refusing to clear " + what + " without confirmation; use --force");
            String a = c.readLine("Clear %s? [y/N] ", what);
            if (a == null || !a.trim().equalsIgnoreCase("y")) {
                err().println("Cancelled");
                err().flush();
                return ExitCodes.ERROR;
            }
        }
        ClearResult r = reg.clear(filter.source, filter.ref);
        if (json) {
            printJson(r.toJson());
        } else {
            out().println((r.removed().isEmpty() ? "No cached registry to clear" : "Cleared: " + String.join(", ", r.removed()))
                    + "; freed " + r.blobs() + " blobs, " + CacheCommand.bytes(r.bytes()) + " that no cached ref references");
            out().flush();
        }
        return ExitCodes.OK;
    }
}
