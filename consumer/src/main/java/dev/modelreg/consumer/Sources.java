package dev.modelreg.consumer;

import dev.modelreg.content.CopyListener;
import dev.modelreg.spec.Mirrors;
import dev.modelreg.spec.SourceConfig;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/** The kinds of source, one instance each, and which one serves a configured source or a cached ref. */
final class Sources {
    private final OciSource oci;
    private final GitHubSource github;

    Sources(Settings settings, Cache cache, Mirrors mirrors, Consumer<String> progress) {
        this.oci = new OciSource(settings, cache, mirrors, progress);
        this.github = new GitHubSource(settings, cache, progress);
    }

    /** The OCI source when {@code s} names an OCI repository, else null. */
    Source oci(SourceConfig s) {
        return s.oci() != null ? oci : null;
    }

    /** The GitHub source when {@code s} names a GitHub repository, else null. */
    Source github(SourceConfig s) {
        return s.repo() != null ? github : null;
    }

    /** The source that wrote (and serves) a cached ref. */
    Source of(RefState state) {
        return oci.serves(state) ? oci : github;
    }

    /** Describes the artifact of an opened ref (manifest and config only) by the source that serves it. */
    Inspection inspect(Synced s, String label) throws IOException {
        return of(s.state()).inspect(s, label);
    }

    /** The OCI source, for references that name an artifact directly. */
    OciSource artifacts() {
        return oci;
    }

    List<Source> all() {
        return List.of(oci, github);
    }

    void listener(CopyListener l) {
        for (Source s : all()) s.listener(l);
    }

    long requestCount() {
        return all().stream().mapToLong(Source::requestCount).sum();
    }
}
