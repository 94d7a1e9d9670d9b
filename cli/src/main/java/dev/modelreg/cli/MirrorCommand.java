package dev.modelreg.cli;

import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.CopyResult;
import dev.modelreg.content.Mirror;
import dev.modelreg.content.RegistryOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modelreg mirror SRC DST}: the generic verified copy between registries, OCI layout directories and OCI archives. */
@Command(name = "mirror", mixinStandardHelpOptions = true,
        description = {"Copy an artifact between registries, OCI image layout directories and",
                "OCI archives (tar files), every blob verified. Blobs the destination has",
                "are skipped; on one registry they are mounted; the tag is set last. An",
                "oci-archive file is written whole at the end (an existing one is added",
                "to) or not at all.",
                "Ends: REGISTRY/REPOSITORY[:TAG|@DIGEST], oci-layout:DIR[:TAG|@DIGEST],",
                "      oci-archive:FILE[:TAG|@DIGEST].",
                "Credentials: MODELREG_REGISTRY_USER/MODELREG_REGISTRY_PASSWORD, GITHUB_TOKEN (ghcr.io), docker config."})
public final class MirrorCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "SRC", description = "Source with a tag or digest.")
    String source;

    @Parameters(index = "1", paramLabel = "DST", description = "Destination; without a tag the source tag is used.")
    String destination;

    @Option(names = "--concurrency", paramLabel = "N", description = "Blobs copied at once (default ${DEFAULT-VALUE}).")
    int concurrency = RegistryOptions.DEFAULT_CONCURRENCY;

    @Mixin
    RegistryFlags registry;

    @Override
    public Integer call() throws Exception {
        RegistryOptions o = registry.apply(RegistryOptions.fromEnvironment().withConcurrency(concurrency));
        Mirror.Result m;
        try (Progress progress = progress()) {
            m = Mirror.run(source, destination, o, CopyOptions.of(o).withListener(progress));
        } catch (IllegalArgumentException e) {
            throw new ExitException(ExitCodes.USAGE_OR_MISMATCH, e.getMessage());
        }
        CopyResult r = m.copy();
        if (json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("source", m.source());
            j.put("destination", m.destination());
            j.put("digest", m.root().digest().toString());
            j.put("mediaType", m.root().mediaType());
            j.put("tag", m.tag());
            j.put("blobsCopied", (long) r.blobsCopied());
            j.put("bytesCopied", r.bytesCopied());
            j.put("blobsSkipped", (long) r.blobsSkipped());
            j.put("bytesSkipped", r.bytesSkipped());
            j.put("blobsMounted", (long) r.blobsMounted());
            printJson(j);
        } else {
            out().println(Mirror.landed(m));
            out().flush();
            err().println("copied " + r.blobsCopied() + " blobs (" + r.bytesCopied() + " bytes), skipped "
                    + r.blobsSkipped() + " (" + r.bytesSkipped() + " bytes), mounted " + r.blobsMounted());
            err().flush();
        }
        return ExitCodes.OK;
    }
}
