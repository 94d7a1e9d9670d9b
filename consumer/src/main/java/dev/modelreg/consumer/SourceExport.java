package dev.modelreg.consumer;

import dev.modelreg.consumer.Results.Exported;
import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.Mirror;
import dev.modelreg.content.RegistryOptions;
import dev.modelreg.publisher.CreationTime;
import dev.modelreg.publisher.KnownRegistry;
import dev.modelreg.publisher.Push;
import dev.modelreg.spec.BootstrapConfig;
import dev.modelreg.spec.GitHubUrls;
import dev.modelreg.spec.RefTags;
import dev.modelreg.spec.Reference;
import dev.modelreg.spec.SourceConfig;
import dev.modelreg.spec.Text;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code export} and {@code mirror --source}: every ref a configured source names, copied to one destination
 * ({@code REGISTRY/REPO}, {@code oci-layout:DIR} or {@code oci-archive:FILE}) under the tag of its ref (spec/README.md
 * section 4). An OCI-mode ref is copied as it is (its digests kept); a GitHub-mode ref becomes our artifact: config =
 * the verified models.toml bytes, files fetched and verified through the cache, layers planned as a push
 * ({@link Push#pushRegistry}).
 */
record SourceExport(BootstrapConfig config, Syncer syncer, Sources sources, Consumer<String> progress) {
    List<Exported> run(String source, List<String> refs, Reference destination, CreationTime created,
                       RegistryOptions ro, CopyOptions copy, Mirror.Rewrite rewrite) throws IOException {
        if (destination.tag() != null || destination.digest() != null) {
            throw new InvalidRequestException("with --source the destination takes no tag or digest (each ref goes to"
                    + " its own tag): '" + destination + "'");
        }
        SourceConfig s = ModelLookup.source(config, source);
        List<String> wanted = refs == null || refs.isEmpty() ? s.refs() : refs;
        if (wanted.isEmpty()) throw new InvalidRequestException("source '" + source + "' has no refs configured: give --ref");
        // every ref resolved (its files fetched and verified) and tagged before anything is written
        Map<String, Exportable> byTag = new LinkedHashMap<>();
        for (String ref : wanted) {
            Synced synced = syncer.synced(s, ref);
            Exportable e = sources.of(synced.state()).exportable(synced);
            if (e.gitRef() == null) {
                throw new InvalidRequestException(e.synced().label() + ": a pin names no git ref to tag it with: give the ref");
            }
            Exportable other = byTag.putIfAbsent(RefTags.toTag(e.gitRef()), e);
            if (other != null) {
                throw new InvalidRequestException("refs '" + other.synced().ref() + "' and '" + ref + "' of source '"
                        + source + "' would both be tagged '" + RefTags.toTag(e.gitRef()) + "': mirror them one at a time (--ref)");
            }
        }
        List<Exported> out = new ArrayList<>();
        for (Map.Entry<String, Exportable> t : byTag.entrySet()) {
            out.add(export(t.getValue(), destination.withTag(t.getKey()), created, ro, copy, rewrite));
        }
        return out;
    }

    private Exported export(Exportable e, Reference to, CreationTime created, RegistryOptions ro, CopyOptions copy,
                            Mirror.Rewrite rewrite) throws IOException {
        String key = e.synced().source().key();
        String ref = e.synced().ref();
        String label = e.synced().label();
        if (e.isArtifact()) {
            progress.accept("mirroring " + label + " (" + e.artifact() + ") to " + to);
            Mirror.Result m = Mirror.run(e.artifact(), to, ro, copy, rewrite);
            return new Exported(key, ref, "oci", to.tag(), to.withDigest(m.root().digest()), m.root().digest());
        }
        progress.accept("pushing " + label + " (" + Text.count(e.files().size(), "file") + ") to " + to);
        String repo = e.synced().source().repo();
        String url = repo == null ? null : GitHubUrls.repositoryPage(GitHubUrls.Repo.parse(repo));
        KnownRegistry known = new KnownRegistry(e.config(), "models.toml of " + label, e.files(), e.gitRef(), url);
        Push.Result r = Push.pushRegistry(known, to, created, ro, copy.listener(), progress);
        return new Exported(key, ref, "github", to.tag(), to.withDigest(r.digest()), r.digest());
    }
}
