package dev.modelreg.consumer;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.CopyListener;
import dev.modelreg.content.http.HttpTransport;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.SourceConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * GitHub mode, discovering exactly as modflow-devtools does: the release asset
 * {@code {github}/{owner}/{repo}/releases/download/{ref}/models.toml} first (a 404 falls through), then the raw file
 * {@code {raw}/{owner}/{repo}/{ref}/{registry_path}/models.toml}; the same error texts for the same failures. A ref
 * may also be a pin, the sha256 of a models.toml ({@link GitHubPins}). Files come through {@link GitHubPull}. Every
 * request goes over the one transport.
 */
final class GitHubSource implements Source {
    private final Settings settings;
    private final Cache cache;
    private final Supplier<HttpTransport> http;
    private final Consumer<String> progress;
    private final AtomicLong requests = new AtomicLong();
    private final GitHubDiscovery discovery;
    private volatile CopyListener listener = CopyListener.NONE;

    GitHubSource(Settings settings, Cache cache, Consumer<String> progress) {
        this.settings = settings;
        this.cache = cache;
        this.progress = progress;
        this.http = new Lazy<>(() -> HttpTransport.of(settings.registryOptions().http())); // info and list need none
        this.discovery = new GitHubDiscovery(settings, http, requests);
    }

    @Override
    public void listener(CopyListener l) {
        this.listener = l == null ? CopyListener.NONE : l;
    }

    @Override
    public long requestCount() {
        return requests.get();
    }

    @Override
    public boolean serves(RefState state) {
        return !state.isOci();
    }

    /**
     * A pin is looked up ({@link GitHubPins}); offline, only a cached ref is served; a cached ref is skipped unless
     * {@code force}; else the registry is discovered and recorded (a re-discovered registry keeps the release zips
     * its state recorded).
     */
    @Override
    public Resolution resolve(SourceConfig s, String ref, RefState previous, boolean force) throws IOException {
        String label = s.name() + "@" + ref;
        if (Digest.isDigest(ref)) return new GitHubPins(settings, cache, discovery, progress).pin(s, ref, previous);
        boolean cached = previous != null && cache.registryBytes(previous) != null;
        if (settings.offline()) {
            if (cached) return new Resolution(previous, null, Resolution.SKIPPED);
            throw ConsumerException.offline(offlineHint(s, ref));
        }
        if (!force && cached && !previous.isOci()) {
            progress.accept("Registry " + label + " already cached, skipping");
            return new Resolution(previous, null, Resolution.SKIPPED);
        }
        progress.accept("Discovering registry " + label + "...");
        GitHubDiscovery.Discovered d = discovery.discover(s, ref);
        progress.accept("  Caching registry found via " + d.transport() + " at " + d.url() + "...");
        RefState st = GitHubDiscovery.stateFor(s, ref, d);
        if (previous != null && previous.digest().equals(st.digest())) {
            st = new RefState(st.source(), st.name(), st.ref(), st.transport(), st.digest(), st.config(), st.tag(),
                    st.reference(), st.time(), previous.zips());
        }
        cache.save(s.key(), ref, d.bytes(), st);
        progress.accept("  [+] Synced " + label);
        return new Resolution(st, d.bytes(), Resolution.SYNCED);
    }

    /** "offline: NAME@REF is not in the cache" with the command that caches it. */
    static String offlineHint(SourceConfig s, String ref) {
        return "offline: " + s.name() + "@" + ref + " is not in the cache (run modelreg sync --source " + s.key()
                + " --ref " + ref + " with network access)";
    }

    private GitHubPull files() {
        return new GitHubPull(settings, cache, http, requests, listener);
    }

    @Override
    public Plan plan(Synced s, java.util.function.Predicate<Digest> cached) {
        Map<String, Digest> blobs = new java.util.LinkedHashMap<>();
        Map<String, Digest> fetched = new java.util.LinkedHashMap<>();
        for (String key : s.registry().files().keySet()) {
            Digest hash = s.registry().files().get(key).hash(); // null: no hash, fetched every time
            (hash != null && cached.test(hash) ? blobs : fetched).put(key, hash);
        }
        return new Plan(blobs, java.util.List.of(), fetched);
    }

    @Override
    public long materialize(Synced s, Map<String, Path> dests, Placer out) throws IOException {
        return files().materialize(s, dests, out);
    }

    /** Syncs nothing: fetches and verifies every file the ref lists into the cache. */
    @Override
    public Exportable exportable(Synced s) throws IOException {
        RefState st = s.state();
        String gitRef = !Digest.isDigest(s.ref()) ? s.ref() : st.tag();
        byte[] bytes = cache.registryBytes(st);
        if (bytes == null) throw ConsumerException.notFound(s.label() + ": registry is not in the cache");
        Map<String, Digest> digests = files().ensure(s, s.registry().files().keySet(), null, null);
        Map<String, Path> files = new TreeMap<>();
        digests.forEach((k, d) -> files.put(k, cache.blob(d)));
        return new Exportable(s, gitRef, null, bytes, files);
    }

    @Override
    public Inspection inspect(Synced s, String text) throws ConsumerException {
        throw new ConsumerException(ContentException.Kind.INVALID, s.label() + " was resolved from GitHub ("
                + s.state().transport() + "): it has no manifest to inspect (list -v shows its models)");
    }
}
