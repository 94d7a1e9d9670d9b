package dev.modelreg.cli;

import dev.modelreg.content.Copy;
import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.CopyResult;
import dev.modelreg.content.OciArchive;
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
        try (Targets.Opened src = Targets.open(source, o)) {
            if (src.reference() == null) {
                throw new ExitException(ExitCodes.USAGE_OR_MISMATCH, "source '" + source + "' needs a :TAG or @DIGEST");
            }
            Descriptor root = src.target().resolve(src.reference()); // before the destination is created
            try (Targets.Opened dst = Targets.open(destination, o)) {
                String tag = dst.reference();
                if (tag != null && Digest.isDigest(tag)) {
                    throw new ExitException(ExitCodes.USAGE_OR_MISMATCH, "destination '" + destination + "' takes a tag, not a digest");
                }
                if (tag == null && !Digest.isDigest(src.reference())) tag = src.reference();
                if (tag == null && dst.target() instanceof OciArchive) {
                    throw new ExitException(ExitCodes.USAGE_OR_MISMATCH, "destination '" + destination
                            + "' needs a :TAG (the source is a digest; an archive is read by tag)");
                }
                CopyResult r = Copy.copy(src.target(), root, dst.target(), tag,
                        CopyOptions.defaults().withConcurrency(concurrency));
                dst.commit();
                report(src, dst, tag, r);
            }
        }
        return ExitCodes.OK;
    }

    private void report(Targets.Opened src, Targets.Opened dst, String tag, CopyResult r) {
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
    }
}
