package dev.modelreg.cli;

import dev.modelreg.content.Attach;
import dev.modelreg.spec.Descriptor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modelreg attach REF --artifact-type T FILE...}: pushes a referrer of an artifact (a signature, an SBOM). */
@Command(name = "attach")
public final class AttachCommand extends RegistryCommand {
    @Parameters(index = "0", paramLabel = "REF", description = "The artifact to attach to (with a tag or digest).")
    String ref;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE", description = "The files of the referrer.")
    List<Path> files;

    @Option(names = "--artifact-type", required = true, paramLabel = "TYPE", description = "The referrer's artifactType (a media type).")
    String artifactType;

    @Mixin
    AnnotationFlags annotations;

    @Override
    public Integer call() throws Exception {
        Descriptor subject;
        Descriptor referrer;
        String location;
        try (Subject s = Subject.open(ref, registry, context().env())) {
            location = s.target().name();
            subject = s.manifest();
            referrer = Attach.run(s.target(), subject, artifactType, files, annotations.read());
            s.opened().commit();
        }
        if (json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("location", location);
            j.put("subject", subject.digest().toString());
            j.put("digest", referrer.digest().toString());
            j.put("mediaType", referrer.mediaType());
            j.put("size", referrer.size());
            j.put("artifactType", artifactType);
            printJson(j);
        } else {
            out().println(location + "@" + referrer.digest());
            out().flush();
        }
        return ExitCodes.OK;
    }
}
