package dev.modelreg.cli;

import dev.modelreg.consumer.Results.Mismatch;
import dev.modelreg.consumer.Results.VerifyResult;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modelreg verify MODEL WORKSPACE}: exit 0 if every file matches the registry, 2 on a mismatch, 1 on error. */
@Command(name = "verify", mixinStandardHelpOptions = true, description = "Compare a workspace with the registry hashes (no download). Exit 0 match, 2 mismatch, 1 error.")
public final class VerifyCommand extends BaseCommand {
    @Mixin ConsumerOptions opts;
    @Mixin RegistryFlags registry;

    @Parameters(index = "0", paramLabel = "MODEL")
    String model;

    @Parameters(index = "1", paramLabel = "WORKSPACE")
    Path workspace;

    @Option(names = "--from", paramLabel = "REF",
            description = "Look MODEL up in this ref instead of the configured sources: REGISTRY/REPO:TAG|@DIGEST, oci-layout:DIR[:TAG], source@ref.")
    String from;

    @Override
    public Integer call() throws Exception {
        VerifyResult r = from == null ? opts.open(err(), registry).verify(model, workspace)
                : opts.open(err(), registry).verifyFrom(from, model, workspace);
        if (json) {
            printJson(r.toJson());
        } else {
            for (Mismatch m : r.mismatches()) out().println(m.reason() + ": " + m.path());
            for (String u : r.unverifiable()) out().println("unverifiable (no hash): " + u);
            out().println(r.ok() ? "OK: " + r.matched() + " files match " + r.source() + "@" + r.ref()
                    : "MISMATCH: " + r.mismatches().size() + " of " + (r.matched() + r.mismatches().size()) + " files differ");
            out().flush();
        }
        return r.ok() ? ExitCodes.OK : ExitCodes.USAGE_OR_MISMATCH;
    }
}
