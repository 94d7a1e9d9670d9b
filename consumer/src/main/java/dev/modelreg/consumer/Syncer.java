package dev.modelreg.consumer;

import dev.modelreg.consumer.Results.SyncResult;
import dev.modelreg.content.ContentException;
import dev.modelreg.spec.BootstrapConfig;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.SourceConfig;
import dev.modelreg.spec.Text;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Syncs the refs of configured sources: picks the source that serves each ({@link Sources}: OCI first, GitHub when
 * the OCI repository has no such ref), records what it resolved, and reports each ref's outcome.
 */
final class Syncer {
    private final BootstrapConfig config;
    private final Settings settings;
    private final Cache cache;
    private final Sources sources;
    private final Consumer<String> progress;

    Syncer(BootstrapConfig config, Settings settings, Cache cache, Sources sources, Consumer<String> progress) {
        this.config = config;
        this.settings = settings;
        this.cache = cache;
        this.sources = sources;
        this.progress = progress;
    }

    /**
     * Syncs every configured ref of every source, or of {@code source} (key or name), or just {@code ref}.
     * {@code repo} (OWNER/NAME) overrides the GitHub repository, or defines an ad-hoc source when {@code source} is not
     * configured; without a source it picks the configured sources of that repository. Failures are returned per ref,
     * not thrown.
     */
    List<SyncResult> sync(String source, String ref, String repo, boolean force) throws ConsumerException {
        List<SourceConfig> selected = new ArrayList<>();
        if (source == null && repo != null) {
            selected.addAll(sourcesOfRepo(repo));
        } else if (source == null) {
            selected.addAll(config.sources().values());
        } else {
            SourceConfig s = find(source);
            if (s == null) {
                if (repo == null) ModelLookup.source(config, source);
                s = SourceConfig.builder(source).repo(repo).refs(ref == null ? List.of() : List.of(ref)).build();
            } else if (repo != null) {
                s = s.toBuilder().repo(repo).oci(null).build();
            }
            selected.add(s);
        }
        List<SyncResult> out = new ArrayList<>();
        for (SourceConfig s : selected) {
            List<String> refs = ref != null ? List.of(ref) : s.refs();
            if (refs.isEmpty()) progress.accept("No refs configured for source '" + s.name() + "', skipping");
            for (String r : refs) {
                try {
                    out.add(result(syncRef(s, r, force)));
                } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
                    String msg = withoutLabel(s.name() + "@" + r, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                    progress.accept("  [-] Failed to sync " + s.name() + "@" + r + ": " + msg);
                    out.add(new SyncResult(s.key(), s.name(), r, "failed", null, null, null, msg, ConsumerException.kindOf(e)));
                }
            }
        }
        return out;
    }

    /**
     * The configured sources of GitHub repository {@code repo} (as devtools' {@code sync --repo OWNER/NAME --ref REF}
     * names one; GitHub compares names without case). None is a request of the wrong shape: naming a new source
     * takes {@code --source}.
     */
    private List<SourceConfig> sourcesOfRepo(String repo) throws InvalidRequestException {
        List<SourceConfig> found = new ArrayList<>();
        for (SourceConfig s : config.sources().values()) if (repo.equalsIgnoreCase(s.repo())) found.add(s);
        if (found.isEmpty()) {
            throw new InvalidRequestException("no configured source has repository '" + Text.printable(repo)
                    + "': name one with --source (modelreg sync --source NAME --repo " + Text.printable(repo)
                    + " --ref REF)");
        }
        return found;
    }

    /** {@code message} without a leading {@code label: } (a result names its ref already; the error said it too). */
    private static String withoutLabel(String label, String message) {
        return message.startsWith(label + ": ") ? message.substring(label.length() + 2) : message;
    }

    /** The configured source with this key, else with this name; null if none. */
    SourceConfig find(String keyOrName) {
        SourceConfig s = config.sources().get(keyOrName);
        if (s != null) return s;
        for (SourceConfig x : config.sources().values()) if (x.name().equals(keyOrName)) return x;
        return null;
    }

    /** Configured plus cached refs of a source (key or name): how an address with a '/' in its ref is split. */
    List<String> knownRefs(String keyOrName) {
        SourceConfig s = find(keyOrName);
        if (s == null) return null;
        List<String> refs = new ArrayList<>(s.refs());
        try {
            for (RefState st : cache.states()) if (st.source().equals(s.key()) && !refs.contains(st.ref())) refs.add(st.ref());
        } catch (IOException e) {
            // configured refs only
        }
        return refs;
    }

    /**
     * Syncs one ref: OCI first when the source has an OCI repository (GitHub when it has no such ref); GitHub alone
     * when it has none, or offline for a ref GitHub mode cached. Offline, a digest the OCI cache lacks may still be a
     * cached GitHub-mode pin.
     */
    Resolution syncRef(SourceConfig s, String ref, boolean force) throws IOException {
        String label = s.name() + "@" + ref;
        RefState prev;
        try {
            prev = cache.state(s.key(), ref);
        } catch (ConsumerException e) {
            if (!force) throw e;
            prev = null; // an unreadable state.json: --force replaces it (the hint its error gives)
        }
        Source oci = sources.oci(s);
        Source github = sources.github(s);
        if (oci == null || (settings.offline() && prev != null && !prev.isOci())) {
            if (github == null) throw new ConsumerException("source '" + s.key() + "' has neither repo nor oci");
            return github.resolve(s, ref, prev, force);
        }
        try {
            return oci.resolve(s, ref, prev, force);
        } catch (ConsumerException e) {
            if (!settings.offline() || e.getMessage() == null || !e.getMessage().startsWith("offline:")) throw e;
            if (Digest.isDigest(ref) && github != null) return github.resolve(s, ref, prev, force);
            throw new ConsumerException(ContentException.Kind.UNAVAILABLE, GitHubSource.offlineHint(s, ref), e);
        } catch (ContentException e) {
            if (e.kind() != ContentException.Kind.NOT_FOUND || github == null) {
                throw new ConsumerException(label + ": " + e.getMessage(), e);
            }
            progress.accept("  " + label + " not found in " + s.oci() + ", trying GitHub " + s.repo());
        }
        return github.resolve(s, ref, prev, force);
    }

    /** The cached registry of a source and ref, syncing it first if it is not cached. */
    Synced synced(SourceConfig s, String ref) throws IOException {
        RefState st = cache.state(s.key(), ref);
        byte[] b = st == null ? null : cache.registryBytes(st);
        if (st == null || b == null || (st.isOci() && !cache.has(st.digest()))) {
            Resolution r = syncRef(s, ref, false);
            st = cache.state(s.key(), ref);
            b = cache.registryBytes(st);
            if (st == null || b == null) throw new ConsumerException(s.name() + "@" + ref + ": sync " + r.status());
        }
        return new Synced(s, ref, st, Registries.parse(b, s.name() + "@" + ref));
    }

    private static SyncResult result(Resolution r) {
        RefState st = r.state();
        String status = r.status();
        return new SyncResult(st.source(), st.name(), st.ref(), status, st.transport(), st.digest(), st.reference(), null, null);
    }
}
