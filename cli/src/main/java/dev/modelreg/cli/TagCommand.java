package dev.modelreg.cli;

import dev.modelreg.content.RegistryOptions;
import dev.modelreg.content.Retag;
import dev.modelreg.content.TagCondition;
import dev.modelreg.content.Targets;
import dev.modelreg.spec.Reference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code modelreg tag REF NEWTAG...}: add or move tags in a registry repository, an OCI layout or an OCI archive. */
@Command(name = "tag")
public final class TagCommand extends RegistryCommand {
    @Parameters(index = "0", paramLabel = "REF", description = "The manifest to tag, by tag or digest.")
    String ref;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "NEWTAG", description = "Tags to add or move (e.g. production, latest).")
    List<String> tags;

    @Mixin
    TagGuardFlags guard;

    @Override
    public Integer call() throws Exception {
        Reference r = tagOrDigest(ref);
        TagCondition condition = guard.condition();
        RegistryOptions o = registryOptions();
        List<Retag.Moved> moved;
        String location;
        try (Targets.Opened t = Targets.openExisting(r.withTag(null).withDigest(null), o)) {
            location = t.target().name();
            moved = Retag.run(t.target(), r.reference(), tags, condition);
            t.commit();
        }
        if (json) {
            List<Object> list = new ArrayList<>();
            for (Retag.Moved m : moved) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("tag", m.tag());
                j.put("old", m.old() == null ? null : m.old().toString());
                j.put("digest", m.digest().toString());
                j.put("status", m.status());
                list.add(j);
            }
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("location", location);
            j.put("reference", r.reference());
            j.put("digest", moved.get(0).digest().toString());
            j.put("tags", list);
            printJson(j);
        } else {
            for (Retag.Moved m : moved) {
                out().println(m.tag() + ": " + switch (m.status()) {
                    case "new" -> m.digest() + " (new)";
                    case "unchanged" -> m.digest() + " (unchanged)";
                    default -> m.old() + " -> " + m.digest();
                });
            }
            out().flush();
        }
        return ExitCodes.OK;
    }
}
