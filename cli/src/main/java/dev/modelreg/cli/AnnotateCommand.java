package dev.modelreg.cli;

import dev.modelreg.publisher.Annotate;
import dev.modelreg.spec.Reference;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code modelreg annotate REF}: new annotations on a pushed ref, no blob moved (see {@link Annotate}). */
@Command(name = "annotate",
        footer = {"  modelreg annotate ghcr.io/acme/models:v1 --metadata model-set.toml",
                "  modelreg annotate oci-layout:/tmp/models:main \\",
                "      --annotation org.opencontainers.image.description=reviewed --json"},
        description = {"Change the metadata of a pushed ref without a re-push.",
                "Writes the manifest REF's tag points at again with the same config and layers (no blob is read or "
                        + "moved) and the new annotations, then moves the tag, only if it still points at the manifest "
                        + "read (else exit 8, conflict). Prints the tag with its old and new digest.",
                "REF: REGISTRY/REPOSITORY:TAG, oci-layout:DIR:TAG or oci-archive:FILE:TAG (with @DIGEST: the tag must point there)."})
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
