package dev.modelreg.cli;

import dev.modelreg.consumer.Inspection;
import dev.modelreg.consumer.ModelReg;
import dev.modelreg.content.Referrers;
import dev.modelreg.spec.Text;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code modelreg inspect REF}: an artifact's manifest, metadata, models, layers and referrers; no layer is downloaded. */
@Command(name = "inspect")
public final class InspectCommand extends RegistryConsumerCommand {
    @Parameters(index = "0", paramLabel = "REF",
            description = "REGISTRY/REPO:TAG|@DIGEST, oci-layout:DIR[:TAG|@DIGEST], oci-archive:FILE[:TAG|@DIGEST], or source@ref.")
    String ref;

    @Override
    public Integer call() throws Exception {
        ModelReg reg = open();
        Inspection i = reg.inspect(reg.ref(ref));
        if (json) {
            printJson(i.toJson());
            return ExitCodes.OK;
        }
        PrintWriter o = out();
        o.println(Text.printable(i.label()) + " (" + Text.printable(i.location()) + ")");
        o.println("  digest:       " + i.digest());
        o.println("  media type:   " + Text.printable(i.mediaType()) + ", " + i.size() + " bytes");
        o.println("  artifactType: " + (i.artifactType() == null ? "(none)" : Text.printable(i.artifactType())));
        o.println("  format:       " + i.format());
        o.println("  created:      " + (i.created() == null ? "(unknown)" : Text.printable(i.created())));
        String registry = i.registry().files().size() + " files, " + i.registry().models().size() + " models, "
                + i.registry().examples().size() + " examples";
        o.println("  config:       " + i.config().digest() + ", " + i.config().size() + " bytes ("
                + (i.format().equals("modelreg") || i.format().equals("model image") ? "models.toml: " + registry
                : Text.printable(i.config().mediaType()) + "; read as " + registry) + ")");
        o.println("  layers:       " + i.layers().size() + ", " + i.layerBytes() + " bytes");
        if (!i.about().isEmpty()) {
            o.println(i.format() + ":");
            i.about().forEach((k, v) -> o.println("  " + Text.printable(k) + ": " + Text.oneLine(v)));
        }
        if (!i.metadata().isEmpty()) {
            o.println("metadata:");
            i.metadata().forEach((k, v) -> o.println("  " + Text.printable(k) + ": " + Text.oneLine(v)));
        }
        o.println("annotations:");
        new TreeMap<>(i.annotations()).forEach((k, v) -> o.println("  " + Text.printable(k) + "=" + Text.oneLine(v)));
        o.println("models (" + i.models().size() + "):");
        for (Inspection.Model m : i.models()) {
            o.println("  " + Text.printable(m.name()) + ": " + m.files() + " files, " + m.bytes() + " bytes in " + m.layers()
                    + (m.layers() == 1 ? " layer" : " layers"));
        }
        o.println("layers (" + i.layers().size() + "):");
        for (Inspection.Layer l : i.layers()) o.println("  " + l.descriptor().digest() + " " + l.descriptor().size() + " " + holds(l));
        referrers(o, i);
        o.flush();
        return ExitCodes.OK;
    }

    private static String holds(Inspection.Layer l) {
        String served = l.files() + (l.files() == 1 ? " file" : " files");
        return switch (l.kind()) {
            case "file" -> "file '" + Text.printable(l.descriptor().title()) + "'";
            case "tar" -> "tar of " + group(l.groups().isEmpty() ? "" : l.groups().get(0)) + ", " + served;
            case "merged" -> "merged tar of " + String.join(", ", l.groups().stream().map(InspectCommand::group).toList()) + ", " + served;
            case "delta" -> "delta tar '" + Text.printable(l.descriptor().title()) + "', " + served;
            case "weight", "config", "doc", "code", "dataset" -> l.kind() + " '" + Text.printable(l.path()) + "' (" + l.packing() + ")";
            case "registry" -> "models.toml (modelreg's registry of the files)";
            case "skipped" -> "untitled " + Text.printable(l.descriptor().mediaType()) + " (not pulled)";
            default -> Text.printable(l.descriptor().mediaType());
        };
    }

    private static String group(String g) {
        return g.isEmpty() ? "(files no model lists)" : Text.printable(g);
    }

    private static void referrers(PrintWriter o, Inspection i) {
        Referrers.Found f = i.referrers();
        if (f == null) {
            o.println("referrers: not listed (" + Text.printable(i.referrersError()) + ")");
            return;
        }
        String how = switch (f.via()) {
            case API -> "the referrers API";
            case TAG -> "the referrers tag " + f.tag() + (Boolean.FALSE.equals(f.apiSupported())
                    ? "; the registry does not support the referrers API" : "");
            case INDEX -> "the index.json entries that name it as their subject";
            case NONE -> Boolean.FALSE.equals(f.apiSupported())
                    ? "the registry does not support the referrers API, and there is no referrers tag " + f.tag()
                    : "no referrers tag " + f.tag();
        };
        o.println("referrers (" + f.referrers().size() + ", " + how + ")" + (f.referrers().isEmpty() ? "" : ":"));
        Map<String, List<Referrers.Referrer>> by = new TreeMap<>();
        for (Referrers.Referrer r : f.referrers()) by.computeIfAbsent(r.artifactType(), k -> new ArrayList<>()).add(r);
        by.forEach((type, rs) -> {
            o.println("  " + (type.isEmpty() ? "(no artifactType)" : Text.printable(type)) + ":");
            for (Referrers.Referrer r : rs) o.println("    " + r.descriptor().digest() + " " + r.descriptor().size() + " bytes");
        });
    }
}
