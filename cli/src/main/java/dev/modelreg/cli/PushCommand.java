package dev.modelreg.cli;

import dev.modelreg.publisher.CreationTime;
import dev.modelreg.publisher.ImageOptions;
import dev.modelreg.publisher.Push;
import dev.modelreg.spec.GitHubUrls;
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
@Command(name = "push",
        footer = {"  modelreg push examples/models oci-layout:/tmp/models:v1 --name example",
                "  modelreg push . ghcr.io/acme/models --name mf6/test --ref develop \\",
                "      --metadata model-set.toml --base main --no-clobber",
                "  modelreg push examples/models oci-layout:/tmp/img:v1 --name ex --image",
                "  modelreg push ./llm ghcr.io/acme/llm:v1 --format modelpack --name tiny \\",
                "      --namefile config.json --model-format safetensors --param-size 8b"},
        description = {"Push a model repository as one OCI artifact or model image.",
                "Indexes DIR; the config is its models.toml, the files go in layers. With --image: a runnable image "
                        + "(modelcar) with the files under --image-root and models.toml beside them. With --format modelpack: a CNCF "
                        + "ModelPack, each file a raw layer of its kind. Prints the manifest digest.",
                "DESTINATION: REGISTRY/REPOSITORY[:TAG], oci-layout:DIR[:TAG] or oci-archive:FILE[:TAG]."})
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

    @Option(names = {"-n", "--namefile"}, paramLabel = "GLOB", defaultValue = "mfsim.nam",
            description = "A model is a directory holding a file matching this glob (default: ${DEFAULT-VALUE}).")
    String namefile;

    @Option(names = "--registry-file", paramLabel = "FILE",
            description = "Use this models.toml as the config, byte for byte (its hashes must match DIR).")
    Path registryFile;

    @Option(names = "--ref", paramLabel = "REF",
            description = "The git ref (recorded verbatim); without a TAG, the tag is its escaped form (feature/x -> feature_2fx).")
    String ref;

    @Mixin
    AnnotationFlags annotations;

    @Option(names = "--mount-from", paramLabel = "REPOSITORY",
            description = "Mount blobs the registry has in this other repository instead of uploading them.")
    String mountFrom;

    @Option(names = "--base", paramLabel = "TAG|REF|sha256:DIGEST",
            description = {"Rebase on a previous push in DESTINATION: its tar layers are kept and the small files that changed go into one delta layer, so a few changed files upload (and download) as a few files.",
                    "A git ref names its tag (feature/x: feature_2fx). Not found there: a full push. A chain of 4 delta layers is compacted (full tars again)."})
    String base;

    @Option(names = "--max-layers", paramLabel = "N", defaultValue = "" + Push.DEFAULT_MAX_LAYERS,
            description = "At most N layers (default: ${DEFAULT-VALUE}, the ECR limit).")
    int maxLayers;

    @Mixin
    ExternalFlags external;

    @Mixin
    TagGuardFlags guard;

    @Option(names = "--created", paramLabel = "TIME|now",
            description = "org.opencontainers.image.created (default: SOURCE_DATE_EPOCH, else the git commit time, else 1970-01-01T00:00:00Z).")
    String created;

    @Option(names = "--source-url", paramLabel = "URL", description = "org.opencontainers.image.source (default: https://github.com/OWNER/NAME of --repo, else of a GitHub origin remote).")
    String sourceUrl;

    @Option(names = "--repo", paramLabel = "OWNER/NAME", description = "The GitHub repository the models come from.")
    String repo;

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
                .name(name).namefile(namefile).registryFile(registryFile).ref(ref).annotations(annotations.read()).mountFrom(mountFrom)
                .maxLayers(maxLayers).registry(registryOptions())
                .created(created != null ? CreationTime.parse(created) : CreationTime.fromEnvironment(context().env()))
                .sourceUrl(sourceUrl).repo(repo == null ? null : GitHubUrls.Repo.parse(repo))
                .base(base).image(imageOptions()).modelPack(modelPack.options()).tagCondition(guard.condition())
                .external(external.files());
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
