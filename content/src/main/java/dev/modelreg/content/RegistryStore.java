package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.OciReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import land.oras.ContainerRef;
import land.oras.auth.AuthProvider;
import land.oras.auth.HttpClient;
import land.oras.auth.Scope;
import land.oras.auth.Scopes;
import land.oras.exception.OrasException;

/**
 * One repository of an OCI distribution registry, spoken to with oras-java-sdk's low-level
 * {@link land.oras.auth.HttpClient} (which does the 401 -> basic / bearer token dance, token caching, redirects
 * and TLS with an extra CA file). Everything else is ours: blobs are streamed in both directions (GET into an
 * InputStream, monolithic POST + PUT upload with Content-Length = descriptor size), manifests travel as raw bytes
 * (never re-serialized), tags resolve with one HEAD. Errors become {@link ContentException}s with one-line messages
 * naming the registry, repository and digest.
 */
public final class RegistryStore implements Target {
    private static final int MAX_MANIFEST = 4 << 20;
    private static final int MAX_ERROR_BODY = 64 << 10;
    private static final Map<String, HttpClient> CLIENTS = new ConcurrentHashMap<>();

    private final OciReference repo;
    private final String scheme;
    private final URI base;
    private final HttpClient http;
    private final AuthProvider auth;
    private final java.time.Duration stallTimeout;
    private final Scopes pull;
    private final Scopes push;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong directGets = new AtomicLong();
    private final AtomicLong directFallbacks = new AtomicLong();
    private final Map<Digest, byte[]> pushedManifests = new ConcurrentHashMap<>();
    private final java.util.Set<String> warm = ConcurrentHashMap.newKeySet();
    private final BlobGet direct;
    private final ContainerRef containerRef;

    private RegistryStore(OciReference repo, String scheme, HttpClient http, AuthProvider auth,
            java.time.Duration stallTimeout, BlobGet direct) {
        this.repo = repo;
        this.direct = direct;
        this.stallTimeout = stallTimeout;
        this.scheme = scheme;
        this.base = URI.create(scheme + "://" + repo.registry() + "/v2/" + repo.repository() + "/");
        this.http = http;
        this.auth = auth;
        ContainerRef ref = ContainerRef.parse(repo.registry() + "/" + repo.repository());
        this.containerRef = ref;
        this.pull = Scopes.of(ref, Scope.PULL);
        this.push = Scopes.of(ref, Scope.PULL, Scope.PUSH);
    }

    /** A store for {@code ref}'s registry and repository (its tag or digest, if any, is not used here). */
    public static RegistryStore connect(OciReference ref, RegistryOptions o) throws ContentException {
        boolean plain = o.plainHttp() != null ? o.plainHttp() : isLoopback(ref.registry()) && o.caFile() == null;
        HttpClient http = client(o.caFile(), ref.registry());
        return new RegistryStore(new OciReference(ref.registry(), ref.repository(), null, null),
                plain ? "http" : "https", http, RegistryAuth.forRegistry(ref.registry(), o), o.stallTimeout(),
                BlobGet.create(o.caFile(), o.stallTimeout()));
    }

    /**
     * One client (connection pool, TLS sessions) per CA file content, shared by all stores of this JVM: connecting
     * many repositories does not open many pools.
     */
    private static HttpClient client(java.nio.file.Path caFile, String registry) throws ContentException {
        String key = "";
        try {
            if (caFile != null) key = Digest.sha256Of(java.nio.file.Files.readAllBytes(caFile)).toString();
        } catch (IOException e) {
            throw new ContentException(ContentException.Kind.INVALID,
                    "cannot use CA file " + caFile + " for " + registry + ": " + oneLine(e));
        }
        HttpClient cached = CLIENTS.get(key);
        if (cached != null) return cached;
        HttpClient.Builder b = HttpClient.Builder.builder().withTimeout(30);
        if (caFile != null) b = b.withCaFile(caFile);
        try {
            HttpClient built = b.build();
            HttpClient raced = CLIENTS.putIfAbsent(key, built);
            return raced != null ? raced : built;
        } catch (OrasException | UncheckedIOException e) {
            throw new ContentException(ContentException.Kind.INVALID,
                    "cannot use CA file " + caFile + " for " + registry + ": " + oneLine(e));
        }
    }

    public String registry() {
        return repo.registry();
    }

    public String repository() {
        return repo.repository();
    }

    /** http or https. */
    public String scheme() {
        return scheme;
    }

    @Override
    public String name() {
        return repo.name();
    }

    /** Blob downloads served by the direct path ({@link BlobGet}), and those it handed back to oras after a 401/403. */
    long[] directStats() {
        return new long[] {directGets.get(), directFallbacks.get()};
    }

    /** How many HTTP calls this store made (each may have cost oras one extra request for a token). */
    public long requestCount() {
        return requests.get();
    }

    @Override
    public boolean exists(Descriptor d) throws IOException {
        URI uri = d.isManifest() ? manifestUri(d.digest().toString()) : blobUri(d.digest());
        String what = what(d);
        var r = call("pull", what, () -> http.head(uri, d.isManifest() ? accept(d) : Map.of(), pull, auth));
        if (r.statusCode() == 200) return true;
        if (r.statusCode() == 404) return false;
        throw fail(r.statusCode(), r.response(), what);
    }

    @Override
    public InputStream fetch(Descriptor d) throws IOException {
        URI uri = d.isManifest() ? manifestUri(d.digest().toString()) : blobUri(d.digest());
        String what = what(d);
        if (!d.isManifest() && warm.contains("pull")) {
            InputStream in = fetchDirect(uri, what);
            if (in != null) {
                directGets.incrementAndGet();
                return in;
            }
            directFallbacks.incrementAndGet();
        }
        var r = call("pull", what, () -> http.download(uri, d.isManifest() ? accept(d) : Map.of(), pull, auth));
        if (r.statusCode() == 200) return new StallGuardInputStream(r.response(), stallTimeout, what);
        String body;
        try (InputStream err = r.response()) {
            body = err == null ? "" : new String(err.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
        }
        throw fail(r.statusCode(), body, what);
    }

    /**
     * A blob GET through {@link BlobGet} with the credentials oras settled on for the pull scope (its cached token,
     * else the provider's header). Redirects are followed by hand, dropping credentials for another origin (blob
     * storage behind a CDN); null on 401/403, so the caller redoes the request through oras' auth dance.
     */
    private InputStream fetchDirect(URI uri, String what) throws IOException {
        String authorization = authorization();
        URI u = uri;
        for (int hop = 0; hop <= 5; hop++) {
            requests.incrementAndGet();
            java.net.HttpURLConnection c;
            int status;
            try {
                c = direct.open(u, sameOrigin(base, u) ? authorization : null);
                status = c.getResponseCode();
            } catch (IOException e) {
                throw unreachable(e);
            }
            if (status == 200) return new StallGuardInputStream(c.getInputStream(), stallTimeout, what);
            if (status == 401 || status == 403) {
                BlobGet.discard(c);
                return null;
            }
            String location = c.getHeaderField("Location");
            if (status / 100 == 3 && location != null) {
                BlobGet.discard(c);
                u = u.resolve(location);
                continue;
            }
            String body;
            try (InputStream err = c.getErrorStream()) {
                body = err == null ? "" : new String(err.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
            }
            throw fail(status, body, what);
        }
        throw new ContentException(ContentException.Kind.UNAVAILABLE, name() + ": too many redirects for " + what);
    }

    /** The Authorization header oras would send for a pull: its cached bearer token, else the provider's header. */
    private String authorization() {
        Scopes scopes = pull.withAddedRegistryScopes(Scope.PULL);
        HttpClient.TokenResponse token = land.oras.auth.TokenCache.get(scopes);
        if (token != null) return "Bearer " + token.getEffectiveToken();
        if (auth.getAuthScheme() == land.oras.auth.AuthScheme.NONE) return null;
        return auth.getAuthHeader(containerRef);
    }

    /**
     * Manifests (by media type) are read fully (verified, at most 4 MiB) and PUT by digest as raw bytes; other
     * blobs are streamed: POST an upload session, then PUT the stream with {@code ?digest=}. The stream is verified
     * on our side as it is sent (a mismatch aborts the upload) and the registry checks the digest again.
     */
    @Override
    public void push(Descriptor expected, InputStream content) throws IOException {
        try (content) {
            if (expected.isManifest()) {
                pushManifest(expected, readVerified(expected, content), expected.digest().toString());
            } else {
                pushBlob(expected, content);
            }
        }
    }

    /**
     * Cross-repository mount: asks the registry to link blob {@code d} from {@code fromRepository} (same registry)
     * into this repository without sending bytes. True if mounted (201); false if the registry opened an upload
     * instead (202, which is cancelled) or refused.
     */
    public boolean mount(Descriptor d, String fromRepository) throws IOException {
        URI uri = base.resolve("blobs/uploads/?mount=" + enc(d.digest().toString()) + "&from=" + enc(fromRepository));
        String what = "mount of " + what(d) + " from " + fromRepository;
        Scopes scopes = push.withNewScope("repository:" + fromRepository + ":pull");
        var r = call("mount " + fromRepository, what, () -> http.post(uri, new byte[0], Map.of(), scopes, auth));
        if (r.statusCode() == 201) return true;
        if (r.statusCode() == 401 || r.statusCode() == 403) throw fail(r.statusCode(), r.response(), what);
        if (r.statusCode() == 202) {
            String location = header(r.headers(), "Location");
            if (location != null) {
                try {
                    call("delete", "cancel upload", () -> http.delete(base.resolve(location), Map.of(), push, auth));
                } catch (ContentException ignored) {
                    // an abandoned upload session expires on its own
                }
            }
        }
        return false;
    }

    /** One HEAD /manifests/REF (GET + hashing only if the registry sends no Docker-Content-Digest). */
    @Override
    public Descriptor resolve(String reference) throws IOException {
        boolean byDigest = Digest.isDigest(reference);
        if (!byDigest && !OciReference.isTag(reference)) {
            throw new ContentException(ContentException.Kind.INVALID,
                    "invalid reference '" + reference + "' for " + name() + " (want a tag or sha256:<hex>)");
        }
        String what = (byDigest ? "manifest " : "tag '") + reference + (byDigest ? "" : "'");
        URI uri = manifestUri(reference);
        Map<String, String> accept = Map.of("Accept", MediaTypes.MANIFEST_ACCEPT);
        var r = call("pull", what, () -> http.head(uri, accept, pull, auth));
        if (r.statusCode() != 200) throw fail(r.statusCode(), r.response(), what);
        Map<String, String> h = caseless(r.headers());
        String type = mediaType(h.get("content-type"));
        String digest = h.get("docker-content-digest");
        String length = h.get("content-length");
        if (digest != null && length != null && type != null) {
            Descriptor d = Descriptor.of(type, parseDigest(digest, what), Long.parseLong(length.trim()));
            if (byDigest && !d.digest().toString().equals(reference)) {
                throw new ContentException(ContentException.Kind.DIGEST_MISMATCH,
                        name() + ": asked for manifest " + reference + ", registry answered " + d.digest());
            }
            return d;
        }
        // No digest header: fetch the bytes and hash them ourselves.
        var g = call("pull", what, () -> http.download(uri, accept, pull, auth));
        byte[] bytes;
        try (InputStream in = g.response()) {
            bytes = in == null ? new byte[0] : in.readNBytes(MAX_MANIFEST + 1);
        }
        if (g.statusCode() != 200) throw fail(g.statusCode(), new String(bytes, StandardCharsets.UTF_8), what);
        if (bytes.length > MAX_MANIFEST) {
            throw new ContentException(ContentException.Kind.INVALID, name() + ": " + what + " is larger than 4 MiB");
        }
        Digest got = Digest.sha256Of(bytes);
        if (byDigest && !got.toString().equals(reference)) {
            throw new ContentException(ContentException.Kind.DIGEST_MISMATCH,
                    name() + ": manifest " + reference + ": digest mismatch: got " + got);
        }
        String t = mediaType(caseless(g.headers()).get("content-type"));
        return Descriptor.of(t != null ? t : OciLayout.sniffMediaType(bytes, name() + " " + what), got, bytes.length);
    }

    /**
     * PUT /manifests/TAG with the manifest's exact bytes (fetched from this repository unless this store just pushed
     * them; in that case a HEAD first, and nothing is sent if the tag already points at the manifest).
     */
    @Override
    public void tag(Descriptor manifest, String tag) throws IOException {
        if (!OciReference.isTag(tag)) {
            throw new ContentException(ContentException.Kind.INVALID,
                    name() + ": invalid tag '" + tag + "' (want [A-Za-z0-9_][A-Za-z0-9._-]{0,127})");
        }
        byte[] bytes = pushedManifests.get(manifest.digest());
        if (bytes == null) {
            // Not pushed by this store: one HEAD tells whether the tag is already right (a no-op re-push).
            try {
                if (resolve(tag).digest().equals(manifest.digest())) return;
            } catch (ContentException e) {
                if (e.kind() != ContentException.Kind.NOT_FOUND) throw e;
            }
            try (InputStream in = fetch(manifest)) {
                bytes = readVerified(manifest, in);
            }
        }
        pushManifest(manifest, bytes, tag);
    }

    @Override
    public String toString() {
        return name();
    }

    // ---- requests

    private void pushManifest(Descriptor d, byte[] bytes, String reference) throws IOException {
        URI uri = manifestUri(reference);
        String what = reference.equals(d.digest().toString()) ? what(d) : "tag '" + reference + "' -> " + d.digest();
        var r = call("push", what, () -> http.put(uri, bytes, Map.of("Content-Type", d.mediaType()), push, auth));
        if (r.statusCode() != 201 && r.statusCode() != 200) throw fail(r.statusCode(), r.response(), what);
        if (pushedManifests.size() < 64) pushedManifests.put(d.digest(), bytes);
    }

    private void pushBlob(Descriptor d, InputStream content) throws IOException {
        String what = what(d);
        var start = call("push", what, () -> http.post(base.resolve("blobs/uploads/"), new byte[0], Map.of(), push, auth));
        if (start.statusCode() != 202) throw fail(start.statusCode(), start.response(), what);
        String location = header(start.headers(), "Location");
        if (location == null) {
            throw new ContentException(ContentException.Kind.INVALID, name() + ": upload of " + what + ": no Location header");
        }
        String loc = base.resolve(location).toString();
        URI put = URI.create(loc + (loc.contains("?") ? "&" : "?") + "digest=" + enc(d.digest().toString()));
        Map<String, String> headers = Map.of("Content-Type", "application/octet-stream");
        VerifyingInputStream verified = new VerifyingInputStream(content, d, what);
        HttpClient.ResponseWrapper<String> r;
        if (d.size() == 0) {
            verified.verifyToEnd();
            r = call("push", what, () -> http.put(put, new byte[0], headers, push, auth));
        } else {
            // The body may be asked for again (oras replays a request after a 401): the stream is one-shot.
            AtomicBoolean handedOut = new AtomicBoolean();
            AtomicReference<IOException> streamError = new AtomicReference<>();
            Supplier<InputStream> body = () -> handedOut.getAndSet(true)
                    ? new UploadBody.Failing(new ContentException(ContentException.Kind.UNAUTHORIZED,
                            "authentication failed for " + registry() + " (upload body cannot be replayed)"), streamError)
                    : new UploadBody.Recording(verified, streamError);
            try {
                r = call("push", what, () -> http.upload(put, d.size(), headers, body, push, auth));
            } catch (ContentException e) {
                if (streamError.get() != null) throw streamError.get();
                throw e;
            }
            if (streamError.get() != null) throw streamError.get();
        }
        if (r.statusCode() != 201) throw fail(r.statusCode(), r.response(), what);
    }

    /**
     * The first request of each scope kind (pull, push, mount from X) runs alone; later ones run in parallel and
     * reuse the token oras cached for it. Without this, parallel first requests race inside oras 0.7.0: a thread
     * that missed the token cache may find another thread's fresh token when it asks the token endpoint, send that
     * as Bearer instead of the basic credentials, and fail with 401.
     */
    private <T> HttpClient.ResponseWrapper<T> call(String kind, String what, Supplier<HttpClient.ResponseWrapper<T>> request)
            throws ContentException {
        if (warm.contains(kind)) return send(what, request);
        synchronized (warm) {
            HttpClient.ResponseWrapper<T> r = send(what, request);
            if (r.statusCode() != 401 && r.statusCode() != 403) warm.add(kind);
            return r;
        }
    }

    private <T> HttpClient.ResponseWrapper<T> send(String what, Supplier<HttpClient.ResponseWrapper<T>> request)
            throws ContentException {
        requests.incrementAndGet();
        try {
            return request.get();
        } catch (OrasException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof ContentException ce) throw ce;
            }
            Integer status = e.getStatusCode();
            if (status != null && status > 0) throw fail(status, null, what);
            throw unreachable(e);
        } catch (RuntimeException e) {
            throw unreachable(e);
        }
    }

    private ContentException unreachable(Throwable e) {
        String why = null;
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConnectException) why = "connection refused";
            else if (c instanceof HttpTimeoutException || c instanceof java.net.SocketTimeoutException) why = "timed out";
            else if (c instanceof UnknownHostException) why = "unknown host";
            else if (c instanceof SSLException) why = "TLS: " + oneLine(c);
            if (why != null) break;
        }
        if (why == null) why = oneLine(e);
        return new ContentException(ContentException.Kind.UNAVAILABLE, "cannot reach " + registry() + ": " + why, e);
    }

    private ContentException fail(int status, String body, String what) {
        String detail = errorDetail(body);
        String where = name();
        return switch (status) {
            case 401 -> new ContentException(ContentException.Kind.UNAUTHORIZED, "authentication failed for " + registry());
            case 403 -> new ContentException(ContentException.Kind.DENIED, "access denied to " + where + " (" + what + ")" + detail);
            case 404 -> ContentException.notFound(what + " not found in " + where);
            default -> {
                if (body != null && body.contains("DIGEST_INVALID")) {
                    yield new ContentException(ContentException.Kind.DIGEST_MISMATCH,
                            where + " rejected " + what + ": digest mismatch" + detail);
                }
                if (body != null && body.contains("SIZE_INVALID")) {
                    yield new ContentException(ContentException.Kind.SIZE_MISMATCH,
                            where + " rejected " + what + ": size mismatch" + detail);
                }
                ContentException.Kind kind = status >= 500 || status == 429
                        ? ContentException.Kind.UNAVAILABLE : ContentException.Kind.INVALID;
                yield new ContentException(kind, where + ": HTTP " + status + " for " + what + detail);
            }
        };
    }

    /** ": CODE message" from a distribution error body, or "". */
    private static String errorDetail(String body) {
        if (body == null || body.isBlank()) return "";
        try {
            if (Json.parse(body) instanceof Map<?, ?> m && m.get("errors") instanceof List<?> l && !l.isEmpty()
                    && l.get(0) instanceof Map<?, ?> e) {
                return ": " + e.get("code") + (e.get("message") != null ? " " + e.get("message") : "");
            }
        } catch (RuntimeException ignored) {
            // not JSON
        }
        return "";
    }

    // ---- helpers

    private URI blobUri(Digest d) {
        return base.resolve("blobs/" + d);
    }

    private URI manifestUri(String reference) {
        return base.resolve("manifests/" + reference);
    }

    private String what(Descriptor d) {
        return (d.isManifest() ? "manifest " : "blob ") + d.digest();
    }

    private static Map<String, String> accept(Descriptor d) {
        return Map.of("Accept", d.mediaType() + ", " + MediaTypes.MANIFEST_ACCEPT);
    }

    private byte[] readVerified(Descriptor d, InputStream in) throws IOException {
        if (d.size() > MAX_MANIFEST) {
            throw new ContentException(ContentException.Kind.INVALID,
                    what(d) + " is " + d.size() + " bytes, more than the 4 MiB manifest limit");
        }
        try (VerifyingInputStream v = new VerifyingInputStream(in, d, what(d) + " for " + name())) {
            return v.readAllBytes();
        }
    }

    private Digest parseDigest(String text, String what) throws ContentException {
        try {
            return Digest.parse(text.trim());
        } catch (IllegalArgumentException e) {
            throw new ContentException(ContentException.Kind.INVALID, name() + ": " + what + ": bad Docker-Content-Digest: " + text);
        }
    }

    private static String mediaType(String contentType) {
        if (contentType == null) return null;
        int semi = contentType.indexOf(';');
        String t = (semi >= 0 ? contentType.substring(0, semi) : contentType).trim();
        return t.isEmpty() ? null : t;
    }

    private static Map<String, String> caseless(Map<String, String> headers) {
        Map<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) m.putAll(headers);
        return m;
    }

    private static String header(Map<String, String> headers, String name) {
        return caseless(headers).get(name);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) m = e.getClass().getSimpleName();
        return m.replaceAll("\\s+", " ").trim();
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    static boolean isLoopback(String registry) {
        String host = registry;
        if (host.startsWith("[")) {
            host = host.substring(1, host.indexOf(']'));
            return host.equals("::1") || host.equals("0:0:0:0:0:0:0:1");
        }
        int colon = host.indexOf(':');
        if (colon >= 0) host = host.substring(0, colon);
        return host.equals("localhost") || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }
}
