package dev.modelreg.cli;

import dev.modelreg.content.Copy;
import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.CopyResult;
import dev.modelreg.content.RegistryOptions;
import dev.modelreg.content.Targets;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modelreg mirror SRC DST}: the generic verified copy between registries and OCI layout directories. */
@Command(name = "mirror", mixinStandardHelpOptions = true,
        description = {"Copy an artifact between registries and OCI image layout directories, every blob verified.",
                "Blobs the destination has are skipped; on one registry they are mounted; the tag is set last.",
                "Ends: REGISTRY/REPOSITORY[:TAG|@DIGEST] or oci-layout:DIR[:TAG|@DIGEST].",
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
        Targets.Opened src = Targets.open(source, o);
        if (src.reference() == null) {
            throw new ExitException(ExitCodes.USAGE_OR_MISMATCH, "source '" + source + "' needs a :TAG or @DIGEST");
        }
        Descriptor root = src.target().resolve(src.reference()); // before the destination is created
        Targets.Opened dst = Targets.open(destination, o);
        String tag = dst.reference();
        if (tag != null && Digest.isDigest(tag)) {
            throw new ExitException(ExitCodes.USAGE_OR_MISMATCH, "destination '" + destination + "' takes a tag, not a digest");
        }
        if (tag == null && !Digest.isDigest(src.reference())) tag = src.reference();
        CopyResult r = Copy.copy(src.target(), root, dst.target(), tag,
                CopyOptions.defaults().withConcurrency(concurrency));
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", src.target().name());
            m.put("destination", dst.target().name());
            m.put("digest", r.root().digest().toString());
            m.put("mediaType", r.root().mediaType());
            m.put("tag", tag);
            m.put("blobsCopied", (long) r.blobsCopied());
            m.put("bytesCopied", r.bytesCopied());
            m.put("blobsSkipped", (long) r.blobsSkipped());
            m.put("bytesSkipped", r.bytesSkipped());
            m.put("blobsMounted", (long) r.blobsMounted());
            printJson(m);
        } else {
            out().println(dst.target().name() + (tag != null ? ":" + tag : "") + "@" + r.root().digest());
            out().flush();
            err().println("copied " + r.blobsCopied() + " blobs (" + r.bytesCopied() + " bytes), skipped "
                    + r.blobsSkipped() + " (" + r.bytesSkipped() + " bytes), mounted " + r.blobsMounted());
            err().flush();
        }
        return ExitCodes.OK;
    }
}
