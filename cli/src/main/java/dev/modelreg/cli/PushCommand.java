package dev.modelreg.cli;

import dev.modelreg.publisher.ImageOptions;
import dev.modelreg.publisher.Push;
import dev.modelreg.spec.Reference;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modelreg push DIR DESTINATION}: publish a model repository as one OCI artifact or model image (see Push). */
@Command(name = "push")
public final class PushCommand extends RegistryCommand {
    @Parameters(index = "0", paramLabel = "DIR", description = "The model repository directory.")
    Path dir;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DESTINATION",
            description = "REGISTRY/REPOSITORY[:TAG], oci-layout:DIR[:TAG] or oci-archive:FILE[:TAG] (optional with --image --to-tar).")
    String destination;

    @Mixin
    ImageFlags image;

    @Mixin
    ModelPackFlags modelPack;

    @Option(names = "--name", paramLabel = "PREFIX", description = "Model name prefix (needed unless --registry-file); with "
            + "--format modelpack also the model's name.")
    String name;

    @Mixin
    IndexFlags index;

    @Option(names = "--registry-file", paramLabel = "FILE",
            description = "Use this models.toml as the config, byte for byte (its hashes must match DIR).")
    Path registryFile;

    @Mixin
    AnnotationFlags annotations;

    @Mixin
    LayerFlags layers;

    @Mixin
    ExternalFlags external;

    @Mixin
    TagGuardFlags guard;

    @Mixin
    ProvenanceFlags provenance;

    private ImageOptions imageOptions() {
        if (destination == null && !image.tarOnly()) { // a usage error, as when DESTINATION was required
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Missing required parameter: 'DESTINATION' (optional only with --image --to-tar FILE)");
        }
        return image.options();
    }

    @Override
    public Integer call() throws Exception {
        Push.Request.Builder request = Push.Request.builder(dir, destination == null ? null : Reference.parse(destination))
                .name(name).namefile(index.namefile).registryFile(registryFile).annotations(annotations.read())
                .registry(registryOptions());
        provenance.applyTo(layers.applyTo(request), context().env())
                .image(imageOptions()).modelPack(modelPack.options()).tagCondition(guard.condition()).external(external.files());
        Push.Result r;
        try (Progress display = progress(finishing(destination))) {
            Consumer<String> lines = context().console() != null ? s -> display.println(err(), "modelreg: " + s) : null;
            r = Push.run(request.progress(lines).listener(display).build());
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("digest", r.digest().toString());
            m.put("tag", r.tag());
            m.put("ref", r.ref());
            m.put("reference", r.reference());
            m.put("files", (long) r.files());
            m.put("layers", (long) r.layers());
            m.put("bytesUploaded", r.bytesUploaded());
            m.put("bytesSkipped", r.bytesSkipped());
            m.put("blobsUploaded", (long) r.blobsUploaded());
            m.put("blobsSkipped", (long) r.blobsSkipped());
            m.put("blobsMounted", (long) r.blobsMounted());
            m.put("manifestBytes", (long) r.manifestBytes());
            printJson(m);
        } else {
            out().println(r.digest());
            out().flush();
        }
        return ExitCodes.OK;
    }
}
