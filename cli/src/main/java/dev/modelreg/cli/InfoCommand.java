package dev.modelreg.cli;

import dev.modelreg.consumer.ModelReg;
import dev.modelreg.consumer.Results.SourceInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** {@code modelreg info}: configured sources, which refs are cached (and what they resolved to), which are missing. */
@Command(name = "info")
public final class InfoCommand extends ConsumerCommand {
    @Override
    public Integer call() throws Exception {
        ModelReg reg = open();
        List<SourceInfo> infos = reg.info();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cache", reg.cacheRoot().toString());
            m.put("sources", infos.stream().map(SourceInfo::toJson).toList());
            printJson(m);
            return ExitCodes.OK;
        }
        if (infos.isEmpty()) {
            out().println("No model registries configured");
            out().flush();
            return ExitCodes.OK;
        }
        out().println("Model registries:");
        out().println();
        for (SourceInfo i : infos) {
            String where = i.oci() != null ? i.oci() + (i.repo() != null ? ", " + i.repo() : "") : String.valueOf(i.repo());
            out().println(i.name() + " (" + where + ")");
            String cached = i.cached().isEmpty() ? "none"
                    : i.cached().stream().map(c -> c.ref() + (verbose() ? " " + c.digest() + " [" + c.transport() + "]"
                            + " pin: " + c.pin() : "")
                            + (c.servedBy() != null && !c.servedBy().equals(c.reference()) ? " (via " + c.servedBy() + ")" : ""))
                    .collect(Collectors.joining(", "));
            out().println("  Cached: " + cached);
            if (!i.missing().isEmpty()) out().println("  Missing: " + String.join(", ", i.missing()));
            out().println();
        }
        out().println("Cache: " + reg.cacheRoot());
        out().flush();
        return ExitCodes.OK;
    }
}
