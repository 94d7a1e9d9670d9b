package dev.modelreg.cli;

import dev.modelreg.content.RegistryOptions;
import dev.modelreg.content.store.RegistryListing;
import dev.modelreg.spec.OciReference;
import dev.modelreg.spec.Text;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code modelreg catalog REGISTRY}: the repositories a registry lists ({@code /v2/_catalog}), where it offers that. */
@Command(name = "catalog")
public final class CatalogCommand extends RegistryCommand {
    @Parameters(index = "0", paramLabel = "REGISTRY", description = "A registry host, with its port if any.")
    String registryHost;

    @Override
    public Integer call() throws Exception {
        String host = registryHost.endsWith("/") ? registryHost.substring(0, registryHost.length() - 1) : registryHost;
        if (host.isEmpty() || host.contains("/") || !valid(host)) {
            throw new ExitException(ExitCodes.USAGE, "catalog: '" + Text.printable(registryHost)
                    + "' is not a registry host (want HOST[:PORT], e.g. localhost:5000; for a repository's tags: modelreg tags)");
        }
        RegistryOptions o = registryOptions();
        List<String> repos = RegistryListing.catalog(host, o);
        if (json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("registry", host);
            j.put("repositories", repos);
            printJson(j);
        } else {
            for (String r : repos) out().println(r);
            out().flush();
        }
        return ExitCodes.OK;
    }

    private static boolean valid(String host) {
        try {
            new OciReference(host, "x", null, null);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
