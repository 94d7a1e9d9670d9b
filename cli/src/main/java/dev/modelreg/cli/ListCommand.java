package dev.modelreg.cli;

import dev.modelreg.consumer.Results.Listing;
import dev.modelreg.spec.Text;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code modelreg list}: models of the cached registries; {@code -v} shows every name. */
@Command(name = "list")
public final class ListCommand extends ConsumerCommand {
    @Mixin SourceFilter filter;

    @Override
    public Integer call() throws Exception {
        List<Listing> ls = open().list(filter.source, filter.ref);
        if (json) {
            printJson(Map.of("registries", ls.stream().map(Listing::toJson).toList()));
            return ExitCodes.OK;
        }
        if (ls.isEmpty()) {
            out().println(filter.source == null && filter.ref == null ? "No cached registries. Run 'sync' first."
                    : "No cached registries matching filters: " + filters());
            out().flush();
            return ExitCodes.OK;
        }
        out().println("Available models:");
        out().println();
        for (Listing l : ls) {
            out().println(l.state().name() + "@" + l.state().ref() + ":");
            if (verbose()) l.metadata().forEach((k, v) -> out().println("  " + Text.printable(k) + ": " + Text.oneLine(v)));
            if (l.models().isEmpty()) {
                out().println("  No models");
            } else {
                out().println("  Models: " + l.models().size());
                if (verbose()) l.models().forEach(n -> out().println("    " + n));
            }
            if (!l.examples().isEmpty()) {
                out().println("  Examples: " + l.examples().size());
                if (verbose()) l.examples().forEach(n -> out().println("    " + n));
            }
            out().println();
        }
        out().flush();
        return ExitCodes.OK;
    }

    private String filters() {
        StringBuilder sb = new StringBuilder();
        if (filter.source != null) sb.append("source=").append(filter.source);
        if (filter.ref != null) sb.append(sb.length() > 0 ? ", " : "").append("ref=").append(filter.ref);
        return sb.toString();
    }
}
