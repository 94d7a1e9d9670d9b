package dev.modelreg.consumer;

import dev.modelreg.content.ContentException;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.SourceConfig;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A GitHub-mode pin {@code sha256:HEX}: the registry file (models.toml) whose bytes have that sha256 (spec/README.md
 * section 6). It is served from the cache when a cached ref of the source holds those bytes (or the blob store does),
 * else online from the first configured ref whose models.toml has that digest now. The pin gets a state of its own,
 * so a later sync of the branch it came from does not change what it serves; {@code tag} records the git ref files
 * without a {@code url} are downloaded from.
 */
final class GitHubPins {
    private final Settings settings;
    private final Cache cache;
    private final GitHubDiscovery discovery;
    private final Consumer<String> progress;

    GitHubPins(Settings settings, Cache cache, GitHubDiscovery discovery, Consumer<String> progress) {
        this.settings = settings;
        this.cache = cache;
        this.discovery = discovery;
        this.progress = progress;
    }

    Resolution pin(SourceConfig s, String pin, RefState prev) throws IOException {
        String label = s.name() + "@" + pin;
        Digest want = Digest.parse(pin);
        if (prev != null && !prev.isOci() && want.equals(prev.config()) && cache.registryBytes(prev) != null) {
            return new Resolution(prev, null, Resolution.SKIPPED);
        }
        RefState from = null;
        byte[] bytes = null;
        for (RefState st : cache.states()) {
            if (st.source().equals(s.key()) && !st.isOci() && !Digest.isDigest(st.ref()) && want.equals(st.config())
                    && (bytes = cache.registryBytes(st)) != null) {
                from = st;
                break;
            }
        }
        if (from == null && (bytes = cache.registry(want, label)) != null) {
            from = new RefState(s.key(), s.name(), s.refs().isEmpty() ? null : s.refs().get(0), RefState.GITHUB_RAW,
                    want, want, null, "cache", null, Map.of());
        }
        if (from == null && !settings.offline() && s.repo() != null) {
            for (String r : s.refs()) {
                if (Digest.isDigest(r)) continue;
                progress.accept("Looking for " + label + " at " + s.name() + "@" + r + "...");
                GitHubDiscovery.Discovered d;
                try {
                    d = discovery.discover(s, r);
                } catch (ConsumerException e) {
                    progress.accept("  " + e.getMessage());
                    continue;
                }
                if (Digest.sha256Of(d.bytes()).equals(want)) {
                    bytes = d.bytes();
                    from = GitHubDiscovery.stateFor(s, r, d);
                    break;
                }
            }
        }
        if (from == null) {
            boolean offline = settings.offline();
            throw new ConsumerException(offline ? ContentException.Kind.UNAVAILABLE : ContentException.Kind.NOT_FOUND,
                    (offline ? "offline: " : "") + label + ": no cached or configured ref"
                    + " of source '" + s.key() + "' has a models.toml with this sha256"
                    + (offline ? " (run modelreg sync --source " + s.key() + " --ref " + pin
                    + " with network access)" : " now (configured refs: " + s.refs() + ")"));
        }
        Registries.parse(bytes, label);
        RefState st = new RefState(s.key(), s.name(), pin, from.transport(), want, want, from.ref(), from.reference(),
                Instant.now().toString(), from.zips());
        cache.save(s.key(), pin, bytes, st);
        progress.accept("  [+] Pinned " + label + (from.ref() != null ? " (from " + s.name() + "@" + from.ref() + ")" : ""));
        return new Resolution(st, bytes, Resolution.SYNCED);
    }
}
