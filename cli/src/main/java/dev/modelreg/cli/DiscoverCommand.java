package dev.modelreg.cli;

import dev.modelreg.content.Referrers;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code modelreg discover REF}: the referrers of an artifact (signatures, SBOMs, attestations), and theirs, as a tree. */
@Command(name = "discover")
public final class DiscoverCommand extends RegistryCommand {
    @Parameters(index = "0", paramLabel = "REF", description = "The artifact (with a tag or digest).")
    String ref;

    @Override
    public Integer call() throws Exception {
        Descriptor subject;
        List<Referrers.Node> tree;
        try (Subject s = Subject.open(ref, registry, context().env())) {
            subject = s.manifest();
            tree = Referrers.tree(s.target(), subject);
        }
        if (json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("subject", subject.digest().toString());
            j.put("mediaType", subject.mediaType());
            j.put("referrers", json(tree));
            printJson(j);
        } else {
            out().println(subject.digest());
            print(tree, "  ");
            out().flush();
        }
        return ExitCodes.OK;
    }

    private void print(List<Referrers.Node> nodes, String indent) {
        for (Referrers.Node n : nodes) {
            String type = n.referrer().artifactType();
            out().println(indent + n.referrer().descriptor().digest() + " " + (type.isEmpty() ? "(no artifactType)" : Text.printable(type)));
            print(n.referrers(), indent + "  ");
        }
    }

    private static List<Object> json(List<Referrers.Node> nodes) {
        List<Object> out = new ArrayList<>();
        for (Referrers.Node n : nodes) {
            Descriptor d = n.referrer().descriptor();
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("digest", d.digest().toString());
            j.put("mediaType", d.mediaType());
            j.put("size", d.size());
            j.put("artifactType", n.referrer().artifactType());
            if (d.annotations() != null && !d.annotations().isEmpty()) j.put("annotations", new java.util.TreeMap<>(d.annotations()));
            j.put("referrers", json(n.referrers()));
            out.add(j);
        }
        return out;
    }
}
