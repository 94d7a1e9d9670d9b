package dev.modelreg.cli;

import dev.modelreg.spec.Text;
import dev.modelreg.consumer.ExportOptions;
import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.CopyResult;
import dev.modelreg.content.Mirror;
import dev.modelreg.content.RegistryOptions;
import dev.modelreg.spec.Reference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modelreg mirror SRC DST}: the generic verified copy between registries, OCI layout directories and OCI archives. */
@Command(name = "mirror")
public final class MirrorCommand extends RegistryConsumerCommand {
    @Parameters(index = "0", paramLabel = "SRC", description = "Source with a tag or digest (with --source: DST_REPO).")
    String source;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DST", description = "Destination; without a tag the source tag is used.")
    String destination;

    @Option(names = "--all-tags", description = "Copy every tag of the source repository (bounded, see spec/README.md 14).")
    boolean allTags;

    @Option(names = "--tags", paramLabel = "GLOB", description = "Copy the tags matching GLOB (* and ?), e.g. 'v1.*'.")
    String tags;

    @Option(names = "--source", paramLabel = "NAME",
            description = "Mirror the refs of this configured source to DST_REPO (given as the only argument), one tag per ref.")
    String fromSource;

    @Option(names = "--ref", paramLabel = "REF", description = "With --source: ref to mirror (repeatable; default: the source's refs).")
    java.util.List<String> refs;

    @Mixin
    ExportFlags export;

    @Option(names = "--concurrency", paramLabel = "N", description = "Blobs copied at once (default ${DEFAULT-VALUE}).")
    int concurrency = RegistryOptions.DEFAULT_CONCURRENCY;

    @Override
    public Integer call() throws Exception {
        ExportOptions how = export.options();
        if (fromSource != null || destination == null) {
            if (fromSource == null || destination != null) {
                throw new ExitException(ExitCodes.USAGE, "give SRC DST, or --source NAME DST_REPO");
            }
            return SourceMirrorCommand.run(this, fromSource, refs, source, how);
        }
        Reference src = Reference.parse(source); // parsed once, here (one that does not parse is invalid input: 1)
        Reference dst = Reference.parse(destination);
        RegistryOptions o = registry.options(context().env()).withConcurrency(concurrency);
        Mirror.Selection sel = new Mirror.Selection(allTags, tags);
        Mirror.Result m;
        try (Progress progress = progress(finishing(destination))) {
            CopyOptions co = CopyOptions.of(o).withListener(progress).withReferrers(how.referrers());
            Mirror.Rewrite rewrite = how.internalize() ? open(progress).internalizer() : Mirror.Rewrite.NONE;
            if (Mirror.isMany(src, sel)) return many(Mirror.runAll(src, dst, sel, o, co, rewrite));
            m = Mirror.run(src, dst, o, co, rewrite);
        } catch (Mirror.Usage e) { // (bad content, such as a repository an archive names, is invalid: 1, not 3)
            throw new ExitException(ExitCodes.USAGE, e.getMessage());
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
            j.put("referrers", (long) r.referrers());
            printJson(j);
        } else {
            out().println(Mirror.landed(m));
            out().flush();
            err().println("copied " + r.blobsCopied() + " blobs and manifests (" + r.bytesCopied() + " bytes), skipped "
                    + r.blobsSkipped() + " (" + r.bytesSkipped() + " bytes), mounted " + r.blobsMounted());
            if (r.referrers() > 0) err().println("with " + Text.count(r.referrers(), "referrer"));
            err().flush();
        }
        return ExitCodes.OK;
    }

    /** One line per ref on stdout ({@code DST:TAG@DIGEST}), or one JSON document with a {@code refs} list. */
    private Integer many(List<Mirror.Moved> moved) {
        long blobs = 0, bytes = 0, skippedBlobs = 0, skippedBytes = 0, unchanged = 0;
        List<Object> refs = new ArrayList<>();
        for (Mirror.Moved m : moved) {
            CopyResult r = m.copy();
            if (r == null) {
                unchanged++;
            } else {
                blobs += r.blobsCopied();
                bytes += r.bytesCopied();
                skippedBlobs += r.blobsSkipped();
                skippedBytes += r.bytesSkipped();
            }
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("source", m.source());
            j.put("destination", m.destination());
            j.put("tag", m.tag());
            j.put("digest", m.root().digest().toString());
            j.put("mediaType", m.root().mediaType());
            j.put("unchanged", r == null);
            j.put("blobsCopied", r == null ? 0L : (long) r.blobsCopied());
            j.put("bytesCopied", r == null ? 0L : r.bytesCopied());
            refs.add(j);
        }
        if (json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("refs", refs);
            j.put("unchanged", unchanged);
            j.put("blobsCopied", blobs);
            j.put("bytesCopied", bytes);
            j.put("blobsSkipped", skippedBlobs);
            j.put("bytesSkipped", skippedBytes);
            printJson(j);
        } else {
            for (Mirror.Moved m : moved) out().println(m.destination() + ":" + m.tag() + "@" + m.root().digest());
            out().flush();
            err().println(Text.count(moved.size(), "ref") + " (" + unchanged + " unchanged): copied " + blobs + " blobs and manifests (" + bytes
                    + " bytes), skipped " + skippedBlobs + " (" + skippedBytes + " bytes)");
            err().flush();
        }
        return ExitCodes.OK;
    }
}
