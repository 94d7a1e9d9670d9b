package dev.modelreg.cli;

import dev.modelreg.consumer.ModelReg;
import dev.modelreg.consumer.RefDiff;
import dev.modelreg.spec.Text;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code modelreg diff A B}: two refs compared from their registries and manifests alone; no layer is downloaded. */
@Command(name = "diff")
public final class DiffCommand extends RegistryConsumerCommand {
    @Parameters(index = "0", paramLabel = "A",
            description = "REGISTRY/REPO:TAG|@DIGEST, oci-layout:DIR[:TAG|@DIGEST], oci-archive:FILE[:TAG|@DIGEST], or source@ref.")
    String a;

    @Parameters(index = "1", paramLabel = "B", description = "The other ref, in any of the same forms.")
    String b;

    @Override
    public Integer call() throws Exception {
        ModelReg reg = open();
        RefDiff d = reg.diff(reg.ref(a), reg.ref(b));
        if (json) {
            printJson(d.toJson());
            return ExitCodes.OK;
        }
        PrintWriter o = out();
        o.println("--- " + Text.printable(d.a()));
        o.println("+++ " + Text.printable(d.b()));
        models(o, "added", "+", d.models().added());
        models(o, "removed", "-", d.models().removed());
        models(o, "changed", "~", d.models().changed());
        o.println("files: " + d.count("added") + " added, " + d.count("removed") + " removed, " + d.count("changed")
                + " changed");
        for (RefDiff.FileChange f : d.files()) {
            String mark = switch (f.change()) {
                case "added" -> "+";
                case "removed" -> "-";
                default -> "~";
            };
            String sizes = switch (f.change()) {
                case "added" -> size(f.sizeB());
                case "removed" -> size(f.sizeA());
                default -> size(f.sizeA()) + " -> " + size(f.sizeB());
            };
            o.println("  " + mark + " " + Text.printable(f.key()) + " (" + sizes + ")");
        }
        RefDiff.Transfer t = d.transfer();
        o.println("a pull of B with A cached moves " + t.bytes() + " bytes: " + Text.count(t.layers(), "layer") + " ("
                + t.layerBytes() + " bytes), " + Text.count(t.files(), "file") + " from URLs (" + t.fileBytes() + " bytes"
                + (t.unsizedFiles() > 0 ? ", " + t.unsizedFiles() + " without a size not counted" : "") + "); "
                + Text.count(t.cachedFiles(), "file") + " from the cache");
        o.flush();
        return ExitCodes.OK;
    }

    private static void models(PrintWriter o, String what, String mark, List<String> names) {
        o.println("models " + what + ": " + names.size());
        for (String n : names) o.println("  " + mark + " " + Text.printable(n));
    }

    private static String size(Long s) {
        return s == null ? "size unknown" : s + " bytes";
    }
}
