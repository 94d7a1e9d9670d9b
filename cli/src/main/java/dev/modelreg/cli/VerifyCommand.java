package dev.modelreg.cli;

import dev.modelreg.spec.Text;
import dev.modelreg.consumer.ModelReg;
import dev.modelreg.consumer.Results.Mismatch;
import dev.modelreg.consumer.Results.VerifyResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code modelreg verify MODEL WORKSPACE}: exit 0 if every file matches the registry, 2 on a mismatch, 1 on error. */
@Command(name = "verify")
public final class VerifyCommand extends RegistryConsumerCommand {
    @Mixin
    ModelWorkspaceArgs args;

    @Mixin
    ModelLookupFlags lookup;

    @Option(names = "--strict", description = "Files in WORKSPACE that the model does not list make it differ too (exit 2).")
    boolean strict;

    @Override
    public Integer call() throws Exception {
        ModelReg reg = open();
        VerifyResult r = lookup.from == null ? reg.verify(args.model, args.workspace) : reg.verifyFrom(reg.ref(lookup.from), args.model, args.workspace);
        if (json) {
            java.util.Map<String, Object> j = r.toJson();
            j.put("ok", r.ok(strict)); // with --strict an extra file is a difference
            printJson(j);
        } else {
            for (Mismatch m : r.mismatches()) out().println(m.reason() + ": " + m.path());
            for (String u : r.unverifiable()) out().println("unverifiable (no hash): " + Text.printable(u));
            for (String x : r.extra()) out().println("extra: " + Text.printable(x));
            if (r.ok() && !r.ok(strict)) {
                out().println("EXTRA: " + Text.count(r.extra().size(), "file") + " not in the model (--strict)");
            } else out().println(r.ok() ? "OK: " + Text.count(r.matched(), "file") + (r.matched() == 1 ? " matches " : " match ") + r.source() + "@" + r.ref()
                    : "MISMATCH: " + r.mismatches().size() + " of " + Text.count(r.matched() + r.mismatches().size(), "file") + (r.mismatches().size() == 1 ? " differs" : " differ"));
            out().flush();
        }
        return r.ok(strict) ? ExitCodes.OK : ExitCodes.MISMATCH;
    }
}
