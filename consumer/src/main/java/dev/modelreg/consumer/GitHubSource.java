package dev.modelreg.consumer;

import dev.modelreg.spec.GitHubUrls;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import dev.modelreg.spec.RegistryFormatException;
import dev.modelreg.spec.SourceConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * GitHub mode, discovering exactly as modflow-devtools does: the release asset
 * {@code {github}/{owner}/{repo}/releases/download/{ref}/models.toml} first (a 404 falls through), then the raw file
 * {@code {raw}/{owner}/{repo}/{ref}/{registry_path}/models.toml}; the same error texts for the same failures.
 * Files come from their entry's URL (re-based onto the configured hosts) or, for release registries whose URL is
 * a zip, from that zip, fetched once into the blob cache.
 */
final class GitHubSource {
    /**
     * Per-file GitHub downloads are bound by round trips, not by CPU or disk: this many times the concurrency
     * setting run at once (over HTTP/2 where the server offers it, so one connection carries them).
     */
    static final int LATENCY_BOUND_FANOUT = 4;

    private final Settings settings;
    private final Cache cache;
    private final Http http;

    GitHubSource(Settings settings, Cache cache, Http http) {
        this.settings = settings;
        this.cache = cache;
        this.http = http;
    }

    /** The discovered registry file: its exact bytes, the mode and where it came from. */
    record Discovered(byte[] bytes, ModelsToml registry, String transport, String url) {}

    Discovered discover(SourceConfig s, String ref) throws IOException {
        String label = "'" + s.name() + "@" + ref + "'";
        GitHubUrls.Repo repo = repoOf(s);
        String release = settings.github().releaseAsset(repo, ref, "models.toml");
        try {
            byte[] b = fetchBytes(release);
            if (b != null) return parsed(b, RefState.GITHUB_RELEASE, release, label);
        } catch (HttpStatus e) {
            throw new ConsumerException("Error fetching registry from release assets for " + label + ": " + e.getMessage());
        } catch (IOException e) {
            throw new ConsumerException("Registry discovery failed for " + label + ": " + e.getMessage(), e);
        }
        String path = registryPath(s);
        String raw = settings.github().rawFile(repo, ref, (path.isEmpty() ? "" : path + "/") + "models.toml");
        try {
            byte[] b = fetchBytes(raw);
            if (b == null) {
                throw new ConsumerException("Registry file 'models.toml' not found in " + s.registryPath() + " for " + label);
            }
            return parsed(b, RefState.GITHUB_RAW, raw, label);
        } catch (HttpStatus e) {
            throw new ConsumerException("Error fetching registry from repository for " + label + ": " + e.getMessage());
        } catch (IOException e) {
            throw new ConsumerException("Registry discovery failed for " + label + ": " + e.getMessage(), e);
        }
    }

    RefState stateFor(SourceConfig s, String ref, Discovered d) {
        Digest digest = Digest.sha256Of(d.bytes());
        return new RefState(s.key(), s.name(), ref, d.transport(), digest, digest, null, d.url(),
                Instant.now().toString(), Map.of());
    }

    private Discovered parsed(byte[] b, String transport, String url, String label) {
        try {
            return new Discovered(b, ModelsTomlCodec.read(b, url), transport, url);
        } catch (RegistryFormatException e) {
            throw new ConsumerException("Registry discovery failed for " + label + ": " + e.getMessage(), e);
        }
    }

    /** Null on 404; the body on 2xx; {@link HttpStatus} otherwise. */
    private byte[] fetchBytes(String url) throws IOException {
        try (Http.Response r = http.get(URI.create(url))) {
            if (r.status() == 404) return null;
            if (!r.ok()) throw new HttpStatus(r.status());
            return r.body().readAllBytes();
        }
    }

    private static final class HttpStatus extends IOException {
        HttpStatus(int status) {
            super(Http.httpError(status));
        }
    }

    /**
     * Makes sure every file in {@code keys} is in the blob cache and returns key -> digest. Hashed files already
     * cached cost nothing; the rest are fetched in parallel (bounded), each verified against its hash while it
     * streams into the cache. Release-zip registries fetch their zip once (cached, recorded in state.json).
     */
    Map<String, Digest> ensure(Synced s, Collection<String> keys) throws IOException {
        Map<String, Digest> out = new ConcurrentHashMap<>();
        Map<String, List<String>> byZip = new LinkedHashMap<>();
        List<Parallel.Task> tasks = new ArrayList<>();
        for (String key : keys) {
            FileEntry e = s.registry().files().get(key);
            if (e == null) throw new ConsumerException(s.label() + ": registry lists no file '" + key + "'");
            if (e.hash() != null && cache.has(e.hash())) {
                out.put(key, e.hash());
                continue;
            }
            if (isZipMember(key, e)) {
                byZip.computeIfAbsent(settings.github().rebase(e.url()), u -> new ArrayList<>()).add(key);
                continue;
            }
            if (settings.offline()) {
                throw new ConsumerException("offline: file '" + key + "' of " + s.label() + " is not in the cache");
            }
            String url = fileUrl(s, key, e);
            tasks.add(() -> out.put(key, download(url, e.hash(), "file '" + key + "' of " + s.label() + " (" + url + ")")));
        }
        Parallel.run(tasks, settings.concurrency() * LATENCY_BOUND_FANOUT);
        RefState state = s.state();
        for (Map.Entry<String, List<String>> z : byZip.entrySet()) {
            Digest zip = state.zips().containsKey(z.getKey()) ? Digest.parse(state.zips().get(z.getKey())) : null;
            if (zip == null || !cache.has(zip)) {
                if (settings.offline()) {
                    throw new ConsumerException("offline: release zip " + z.getKey() + " of " + s.label() + " is not in the cache");
                }
                zip = download(z.getKey(), null, "release zip of " + s.label() + " (" + z.getKey() + ")");
                state = state.withZip(z.getKey(), zip);
                cache.writeState(s.source().key(), s.ref(), state);
            }
            out.putAll(extract(cache.blob(zip), z.getKey(), z.getValue(), s));
        }
        return out;
    }

    private Digest download(String url, Digest expected, String what) throws IOException {
        try (Http.Response r = http.get(URI.create(url))) {
            if (!r.ok()) throw new ConsumerException(what + ": " + Http.httpError(r.status()));
            return cache.ingest(r.body(), expected, what);
        }
    }

    private Map<String, Digest> extract(Path zipFile, String url, List<String> keys, Synced s) throws IOException {
        Map<String, Digest> out = new LinkedHashMap<>();
        try (ZipFile zf = new ZipFile(zipFile.toFile())) {
            Map<String, ZipEntry> byName = new LinkedHashMap<>();
            zf.stream().filter(x -> !x.isDirectory()).forEach(x -> byName.put(x.getName(), x));
            for (String key : keys) {
                ZipEntry ze = byName.get(key);
                if (ze == null) {
                    for (Map.Entry<String, ZipEntry> n : byName.entrySet()) {
                        if (n.getKey().endsWith("/" + key)) {
                            ze = n.getValue();
                            break;
                        }
                    }
                }
                if (ze == null) throw new ConsumerException(s.label() + ": file '" + key + "' is not in release zip " + url);
                FileEntry e = s.registry().files().get(key);
                try (InputStream in = zf.getInputStream(ze)) {
                    out.put(key, cache.ingest(in, e.hash(), "file '" + key + "' of " + s.label() + " (from " + url + ")"));
                }
            }
        }
        return out;
    }

    static boolean isZipMember(String key, FileEntry e) {
        return e.url() != null && e.url().toLowerCase(Locale.ROOT).endsWith(".zip")
                && !key.toLowerCase(Locale.ROOT).endsWith(".zip");
    }

    String fileUrl(Synced s, String key, FileEntry e) {
        if (e.url() != null && !e.url().isBlank()) return settings.github().rebase(e.url());
        String p = e.path() != null && !e.path().isBlank() ? e.path() : key;
        return settings.github().rawFile(repoOf(s.source()), s.ref(), p);
    }

    private static String registryPath(SourceConfig s) {
        String p = s.registryPath() == null ? ".registry" : s.registryPath();
        while (p.startsWith("/")) p = p.substring(1);
        while (p.endsWith("/")) p = p.substring(0, p.length() - 1);
        return p.equals(".") ? "" : p;
    }

    private static GitHubUrls.Repo repoOf(SourceConfig s) {
        try {
            return GitHubUrls.Repo.parse(s.repo() == null ? "" : s.repo());
        } catch (IllegalArgumentException e) {
            throw new ConsumerException("source '" + s.key() + "': repo must be OWNER/NAME, got '" + s.repo() + "'");
        }
    }
}
