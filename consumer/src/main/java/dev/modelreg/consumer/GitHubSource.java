package dev.modelreg.consumer;

import dev.modelreg.content.BlobSink;
import dev.modelreg.content.ContentException;
import dev.modelreg.content.http.Backoff;
import dev.modelreg.content.http.Failures;
import dev.modelreg.content.Copy;
import dev.modelreg.content.CopyListener;
import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.Expected;
import dev.modelreg.content.http.HttpTransport;
import dev.modelreg.content.http.Request;
import dev.modelreg.content.http.Response;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.GitHubUrls;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import dev.modelreg.spec.RegistryFormatException;
import dev.modelreg.spec.SourceConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * GitHub mode, discovering exactly as modflow-devtools does: the release asset
 * {@code {github}/{owner}/{repo}/releases/download/{ref}/models.toml} first (a 404 falls through), then the raw file
 * {@code {raw}/{owner}/{repo}/{ref}/{registry_path}/models.toml}; the same error texts for the same failures.
 * Files come from their entry's URL (re-based onto the configured hosts) through the one copy
 * ({@link Copy#files}: verified against their hash, retried, resumed with {@code Range}) or, for release registries
 * whose URL is a zip, from that zip, fetched once into the blob cache. Every request goes over the one transport.
 */
final class GitHubSource {
    /**
     * Per-file GitHub downloads are bound by round trips, not by CPU or disk: this many times the concurrency
     * setting run at once.
     */
    static final int LATENCY_BOUND_FANOUT = 4;

    private final Settings settings;
    private final Cache cache;
    private volatile HttpTransport http; // made at the first request: info, list and the cache paths need none
    private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();
    private volatile CopyListener listener = CopyListener.NONE;

    GitHubSource(Settings settings, Cache cache) {
        this.settings = settings;
        this.cache = cache;
    }

    private HttpTransport http() {
        HttpTransport h = http;
        if (h == null) http = h = HttpTransport.of(settings.registryOptions().http());
        return h;
    }

    void listener(CopyListener l) {
        this.listener = l == null ? CopyListener.NONE : l;
    }

    /** HTTP requests of GitHub mode so far. */
    long requestCount() {
        return requests.get();
    }

    /** The discovered registry file: its exact bytes, the mode and where it came from. */
    record Discovered(byte[] bytes, ModelsToml registry, String transport, String url) {}

    Discovered discover(SourceConfig s, String ref) throws IOException {
        String label = "'" + s.name() + "@" + ref + "'";
        GitHubUrls.Repo repo = repoOf(s);
        String release = settings.github().releaseAsset(repo, ref, "models.toml");
        try {
            byte[] b = fetchBytes(release, "registry file of " + label);
            if (b != null) return parsed(b, RefState.GITHUB_RELEASE, release, label);
        } catch (HttpStatus e) {
            throw new ConsumerException(e.kind(), "Error fetching registry from release assets for " + label + ": " + e.getMessage());
        } catch (IOException e) {
            throw new ConsumerException("Registry discovery failed for " + label + ": " + e.getMessage(), e);
        }
        String path = registryPath(s);
        String raw = settings.github().rawFile(repo, ref, (path.isEmpty() ? "" : path + "/") + "models.toml");
        try {
            byte[] b = fetchBytes(raw, "registry file of " + label);
            if (b == null) {
                throw ConsumerException.notFound("Registry file 'models.toml' not found in " + s.registryPath() + " for " + label);
            }
            return parsed(b, RefState.GITHUB_RAW, raw, label);
        } catch (HttpStatus e) {
            throw new ConsumerException(e.kind(), "Error fetching registry from repository for " + label + ": " + e.getMessage());
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
    private byte[] fetchBytes(String url, String what) throws IOException {
        requests.incrementAndGet();
        try (Response r = http().send(Request.get(URI.create(url), what, null))) {
            if (r.status() == 404) return null;
            if (!r.ok()) throw new HttpStatus(r.status());
            return r.bytes(Limits.MAX_REGISTRY_BYTES);
        }
    }

    /** A status the modflow-devtools messages embed as Python's urllib words it. */
    static final class HttpStatus extends IOException {
        private final int status;

        HttpStatus(int status) {
            super(httpError(status));
            this.status = status;
        }

        ContentException.Kind kind() {
            return Failures.kindOf(status);
        }
    }

    /** Python urllib's wording ("HTTP Error 404: Not Found"), which the modflow-devtools messages embed. */
    static String httpError(int status) {
        String reason = switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
        return "HTTP Error " + status + (reason.isEmpty() ? "" : ": " + reason);
    }

    /**
     * Makes sure every file in {@code keys} is in the blob cache and returns key -> digest. Hashed files already
     * cached cost nothing; the rest go through the one copy, in parallel, each verified against its hash while it
     * streams into the cache (and resumed from a partial file if an earlier run was cut off). Release-zip
     * registries fetch their zip once (cached, recorded in state.json).
     */
    Map<String, Digest> ensure(Synced s, Collection<String> keys) throws IOException {
        return ensure(s, keys, null, null);
    }

    /**
     * {@link #ensure(Synced, Collection)}, showing each downloaded file's bytes to its sink ({@code sinks}: null, or per
     * hash); with {@code noCache}, hashed files are downloaded there instead of into the cache (a {@code --no-cache}
     * pull or copy, spec 9.1): their digests are returned and their blobs are at {@link NoCacheStore#path}.
     */
    Map<String, Digest> ensure(Synced s, Collection<String> keys, Function<Digest, BlobSink> sinks, NoCacheStore noCache)
            throws IOException {
        Map<String, Digest> out = new LinkedHashMap<>();
        Map<String, List<String>> byZip = new LinkedHashMap<>();
        Map<Digest, GitHubFiles.File> files = new LinkedHashMap<>();
        for (String key : keys) {
            FileEntry e = s.registry().files().get(key);
            if (e == null) throw new ConsumerException(s.label() + ": registry lists no file '" + key + "'");
            if (e.hash() != null && cache.has(e.hash())) {
                out.put(key, e.hash());
                continue;
            }
            if (isZipMember(key, e)) {
                byZip.computeIfAbsent(settings.github().rebase(e.url()), u -> new java.util.ArrayList<>()).add(key);
                continue;
            }
            if (settings.offline()) {
                throw ConsumerException.offline("offline: file '" + key + "' of " + s.label() + " is not in the cache");
            }
            String url = fileUrl(s, key, e);
            if (e.hash() == null) { // nothing to verify it against: stored by the digest of what arrived
                out.put(key, downloadZip(url, "file '" + key + "' of " + s.label() + " (" + url + ")"));
                continue;
            }
            files.putIfAbsent(e.hash(), new GitHubFiles.File(key, url));
            out.put(key, e.hash());
        }
        if (!files.isEmpty()) {
            GitHubFiles src = new GitHubFiles(http(), files, s.label());
            CopyOptions o = CopyOptions.of(settings.registryOptions()).withListener(listener)
                    .withConcurrency(settings.concurrency() * LATENCY_BOUND_FANOUT).withSinks(sinks);
            try {
                if (noCache != null) Copy.files(src, files.keySet(), noCache, Expected.MAX_UNSIZED, o);
                else Copy.files(src, files.keySet(), cache.blobs(), Expected.MAX_UNSIZED, o);
            } finally {
                requests.addAndGet(src.requests());
            }
        }
        RefState state = s.state();
        for (Map.Entry<String, List<String>> z : byZip.entrySet()) {
            Digest zip = state.zips().containsKey(z.getKey()) ? Digest.parse(state.zips().get(z.getKey())) : null;
            if (zip == null || !cache.has(zip)) {
                if (settings.offline()) {
                    throw ConsumerException.offline("offline: release zip " + z.getKey() + " of " + s.label() + " is not in the cache");
                }
                zip = downloadZip(z.getKey(), "release zip of " + s.label() + " (" + z.getKey() + ")");
                state = state.withZip(z.getKey(), zip);
                cache.writeState(s.source().key(), s.ref(), state);
            }
            out.putAll(extract(cache.blob(zip), z.getKey(), z.getValue(), s));
        }
        return out;
    }

    /** A release zip (or a file the registry lists no hash for) has no hash to check: stored by the digest of what arrived. */
    private Digest downloadZip(String url, String what) throws IOException {
        for (int attempt = 0; ; attempt++) {
            requests.incrementAndGet();
            try (Response r = http().send(Request.get(URI.create(url), what, null).streamed())) {
                if (!r.ok()) throw new ConsumerException(Failures.kindOf(r.status()), what + ": " + httpError(r.status()));
                return cache.blobs().add(r.body(), Expected.MAX_UNSIZED, what);
            } catch (ContentException e) {
                // cut off midway: fetched again, whole (its digest is not known in advance: no partial to resume)
                if (!e.isTransient() || attempt >= settings.registryOptions().http().retries()) throw e;
                Backoff.sleep(Backoff.delay(attempt), what);
            }
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
                if (ze == null) throw ConsumerException.notFound(s.label() + ": file '" + key + "' is not in release zip " + url);
                FileEntry e = s.registry().files().get(key);
                String what = "file '" + key + "' of " + s.label() + " (from " + url + ")";
                try (InputStream in = zf.getInputStream(ze)) {
                    if (e.hash() != null && ze.getSize() >= 0) {
                        cache.blobs().push(Descriptor.of("application/octet-stream", e.hash(), ze.getSize()), in);
                        out.put(key, e.hash());
                    } else {
                        Digest got = cache.blobs().add(in, Expected.MAX_UNSIZED, what);
                        if (e.hash() != null && !got.equals(e.hash())) {
                            throw dev.modelreg.content.VerifyingInputStream.mismatch(what, e.hash(), got, ze.getSize());
                        }
                        out.put(key, got);
                    }
                } catch (ContentException x) {
                    throw new ConsumerException(x.getMessage(), x);
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
        // a pin (sha256 of a models.toml) is no git ref: its files come from the ref it was pinned from
        String ref = Digest.isDigest(s.ref()) && s.state().tag() != null ? s.state().tag() : s.ref();
        return settings.github().rawFile(repoOf(s.source()), ref, p);
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
