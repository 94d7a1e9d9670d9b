package dev.modelreg.cli;

import dev.modelreg.spec.Text;
import dev.modelreg.consumer.Exportable;
import dev.modelreg.consumer.ModelReg;
import dev.modelreg.content.CopyListener;
import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.Mirror;
import dev.modelreg.content.RegistryOptions;
import dev.modelreg.publisher.Push;
import dev.modelreg.spec.GitHubUrls;
import dev.modelreg.spec.RefTags;
import dev.modelreg.spec.Reference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code mirror --source} and {@code export --source}: every ref a configured source names, copied to one destination
 * ({@code REGISTRY/REPO}, {@code oci-layout:DIR} or {@code oci-archive:FILE}) under the tag of its ref (spec/README.md
 * section 4). An OCI-mode ref is copied as it is (its digests kept); a GitHub-mode ref becomes our artifact: config =
 * the verified models.toml bytes, files fetched and verified through the consumer cache, layers planned as a push.
 */
final class SourceMirror {
    private SourceMirror() {}

    /** One ref mirrored: where it landed and its manifest digest. */
    record Landed(String source, String ref, String mode, String tag, String reference, String digest) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", source);
            m.put("ref", ref);
            m.put("mode", mode);
            m.put("tag", tag);
            m.put("reference", reference);
            m.put("digest", digest);
            return m;
        }
    }

    static List<Landed> run(ModelReg reg, String source, List<String> refs, String destination, RegistryOptions ro,
                            CopyListener listener, Consumer<String> progress) throws IOException {
        Reference dst = Reference.parse(destination);
        if (dst.tag() != null || dst.digest() != null) {
            throw new ExitException(ExitCodes.USAGE, "with --source the destination takes no tag or digest (each ref goes to"
                    + " its own tag): '" + destination + "'");
        }
        List<String> wanted = refs == null || refs.isEmpty() ? reg.refsOf(source) : refs;
        if (wanted.isEmpty()) throw new ExitException(ExitCodes.USAGE, "source '" + source + "' has no refs configured: give --ref");
        // every ref resolved (its files fetched and verified) and tagged before anything is written
        Map<String, Exportable> byTag = new LinkedHashMap<>();
        for (String ref : wanted) {
            Exportable e = reg.exportable(source, ref);
            if (e.gitRef() == null) {
                throw new ExitException(ExitCodes.USAGE, e.synced().label() + ": a pin names no git ref to tag it with: give the ref");
            }
            Exportable other = byTag.putIfAbsent(RefTags.toTag(e.gitRef()), e);
            if (other != null) {
                throw new ExitException(ExitCodes.USAGE, "refs '" + other.synced().ref() + "' and '" + ref + "' of source '"
                        + source + "' would both be tagged '" + RefTags.toTag(e.gitRef()) + "': mirror them one at a time (--ref)");
            }
        }
        List<Landed> out = new ArrayList<>();
        for (Map.Entry<String, Exportable> t : byTag.entrySet()) {
            String tag = t.getKey();
            Exportable e = t.getValue();
            String ref = e.synced().ref();
            String label = e.synced().label();
            String to = dst.withTag(tag).toString();
            if (e.isArtifact()) {
                progress.accept("mirroring " + label + " (" + e.artifact() + ") to " + to);
                Mirror.Result m = Mirror.run(e.artifact(), dst.withTag(tag), ro, CopyOptions.of(ro).withListener(listener));
                out.add(new Landed(e.synced().source().key(), ref, "oci", tag,
                        dst.withTag(tag).withDigest(m.root().digest()).toString(), m.root().digest().toString()));
            } else {
                progress.accept("pushing " + label + " (" + Text.count(e.files().size(), "file") + ") to " + to);
                String repo = e.synced().source().repo();
                String url = repo == null ? null : GitHubUrls.repositoryPage(GitHubUrls.Repo.parse(repo));
                Push.Result r = Push.pushRegistry(e.config(), "models.toml of " + label, e.files(), to, tag,
                        e.gitRef(), url, ro, listener, progress);
                out.add(new Landed(e.synced().source().key(), ref, "github", tag, r.reference(), r.digest().toString()));
            }
        }
        return out;
    }
}
