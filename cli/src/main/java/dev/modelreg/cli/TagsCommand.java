package dev.modelreg.cli;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.RegistryOptions;
import dev.modelreg.content.TagLister;
import dev.modelreg.content.store.RegistryListing;
import dev.modelreg.content.Targets;
import dev.modelreg.spec.ImageIndex;
import dev.modelreg.spec.Reference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modelreg tags REF}: the tags of a registry repository, an OCI layout or an OCI archive, with their digests. */
@Command(name = "tags")
public final class TagsCommand extends RegistryCommand {
    @Parameters(index = "0", paramLabel = "REF", description = "Where to list tags (without a tag or digest).")
    String ref;

    @Option(names = {"--long", "-l"}, description = "Also each tag's creation time, size and title, from its manifest "
            + "(one GET per tag, " + RegistryListing.PARALLEL + " at once; a registry repository only).")
    boolean long_;

    @Option(names = "--sort", paramLabel = "KEY", description = "created: oldest first (implies --long; tags without "
            + "a creation time last); default: the registry's order.")
    String sort;

    @Override
    public Integer call() throws Exception {
        Reference r = Reference.parse(ref); // one that does not parse is invalid input (1), as for every command
        try {
            r = Reference.parseRepository(ref);
        } catch (IllegalArgumentException e) { // it parses but names a tag or digest: the wrong shape here, usage (3)
            throw new ExitException(ExitCodes.USAGE, e.getMessage());
        }
        if (sort != null && !sort.equals("created")) {
            throw new ExitException(ExitCodes.USAGE, "--sort: unknown key '" + dev.modelreg.spec.Text.printable(sort)
                    + "' (supported: created)");
        }
        RegistryOptions o = registryOptions();
        if (long_ || sort != null) return TagDetails.print(this, r, o, sort != null);
        List<ImageIndex.Named> refs;
        String name;
        try (Targets.Opened in = Targets.openExisting(r, o)) {
            name = in.target().name();
            if (!(in.target() instanceof TagLister l)) throw ContentException.invalid(name + " cannot list tags");
            refs = l.refs();
        }
        if (json) {
            List<Object> tags = new ArrayList<>();
            for (ImageIndex.Named n : refs) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("tag", n.tag());
                j.put("digest", n.manifest().digest().toString());
                j.put("mediaType", n.manifest().mediaType());
                j.put("size", n.manifest().size());
                j.put("repository", n.repository());
                tags.add(j);
            }
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("location", name);
            j.put("tags", tags);
            printJson(j);
        } else {
            for (ImageIndex.Named n : refs) {
                out().println(n.tag() + " " + n.manifest().digest() + (n.repository() != null ? " " + n.repository() : ""));
            }
            out().flush();
        }
        return ExitCodes.OK;
    }
}
