package dev.modelreg.cli;

import dev.modelreg.publisher.Annotate;
import dev.modelreg.spec.Reference;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code modelreg annotate REF}: new annotations on a pushed ref, no blob moved (see {@link Annotate}). */
@Command(name = "annotate")
public final class AnnotateCommand extends RegistryCommand {
    @Parameters(index = "0", paramLabel = "REF", description = "The tag to annotate.")
    String ref;

    @Mixin
    AnnotationFlags annotations;

    @Override
    public Integer call() throws Exception {
        Reference r = Reference.parse(ref); // one that does not parse is invalid input (1), as for every command
        if (r.tag() == null) throw new ExitException(ExitCodes.USAGE, "'" + ref + "' names no tag: give REF:TAG");
        if (annotations.isEmpty()) throw new ExitException(ExitCodes.USAGE, "give --metadata FILE or --annotation KEY=VALUE");
        Annotate.Result a = Annotate.run(r, annotations.read(), registryOptions());
        if (json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("location", a.location());
            j.put("tag", a.tag());
            j.put("old", a.old().toString());
            j.put("digest", a.digest().toString());
            j.put("status", a.status());
            printJson(j);
        } else {
            out().println(a.tag() + ": " + (a.status().equals("unchanged") ? a.digest() + " (unchanged)" : a.old() + " -> " + a.digest()));
            out().flush();
        }
        return ExitCodes.OK;
    }
}
