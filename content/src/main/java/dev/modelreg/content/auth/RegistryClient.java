package dev.modelreg.content.auth;

import dev.modelreg.content.ContentException;
import dev.modelreg.spec.ModelregException.Kind;
import dev.modelreg.content.http.HttpTransport;
import dev.modelreg.content.http.Request;
import dev.modelreg.content.http.Response;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.Text;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests to one registry through the transport, with the distribution auth flow:
 * <ul>
 *   <li>no credentials are sent before the registry asks (401 with {@code WWW-Authenticate}); once it has, later
 *       requests carry them from the start;</li>
 *   <li>{@code Basic}: the credential as a basic header; {@code Bearer}: a token from the challenge's realm for the
 *       request's scopes (fetched with the credential as basic auth, or anonymously without one), cached until it
 *       expires;</li>
 *   <li>credentials never travel over plain http unless the registry itself is plain http: an https registry whose
 *       token realm is http gets no credentials sent there; and a plain-http registry (whose challenge anyone on
 *       the path may have rewritten) sends them only to a realm on its own host or on loopback;</li>
 *   <li>a final 401 says which: {@code no credentials for HOST (looked in ...)} or
 *       {@code credentials for HOST from SOURCE were rejected}.</li>
 * </ul>
 */
public final class RegistryClient {
    private static final long TOKEN_MARGIN_SECONDS = 10;

    private final HttpTransport http;
    private final String registry;
    private final String scheme;
    private final CredentialSource credentials;
    private final String repository;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();
    private volatile Challenge challenge;
    private volatile CredentialSource.Lookup lookup;

    private record Token(String value, long expiresAtMillis, boolean withCredential) {}

    /** The credential header a request was sent with, and whether a credential (not only an anonymous token) was in it. */
    private record Auth(String header, boolean withCredential) {}

    /** {@code repository} (may be null) lets repository-scoped credentials ({@code host/org} keys) be found. */
    public RegistryClient(HttpTransport http, String registry, String scheme, CredentialSource credentials, String repository) {
        this.http = http;
        this.registry = registry;
        this.scheme = scheme;
        this.credentials = credentials;
        this.repository = repository;
    }

    public String registry() {
        return registry;
    }

    /** Requests sent to the registry (a request answered 401 and sent again counts twice; token requests do not). */
    public long requestCount() {
        return requests.get();
    }

    /** {@code repository:NAME:pull}. */
    public static String pull(String repository) {
        return "repository:" + repository + ":pull";
    }

    /** {@code repository:NAME:pull,push}. */
    public static String push(String repository) {
        return "repository:" + repository + ":pull,push";
    }

    /**
     * Sends {@code r} with the credentials {@code scopes} need (after a challenge), answering one challenge. Returns
     * the response whatever its status, except a 401 after the challenge was answered, which is thrown.
     */
    public Response send(Request r, Set<String> scopes) throws ContentException {
        Auth auth = authorization(scopes);
        requests.incrementAndGet();
        Response resp = http.send(auth == null ? r : r.withHeader("Authorization", auth.header()));
        if (resp.status() != 401) return resp;
        List<Challenge> cs = Challenge.parse(resp.header("WWW-Authenticate"));
        resp.close();
        Challenge c = pick(cs);
        if (c == null) throw noCredentials(r, auth);
        challenge = c;
        if (c.isBearer() && auth != null) {
            // the token this request carried was refused (expired, or too narrow): drop it, unless another thread
            // has replaced it meanwhile
            tokens.computeIfPresent(key(scopes, c), (k, t) -> auth.header().equals("Bearer " + t.value()) ? null : t);
        }
        Auth again = authorization(scopes);
        if (again == null || (auth != null && again.header().equals(auth.header()) && !c.isBearer())) {
            throw auth != null && auth.withCredential() ? rejected(r, null) : noCredentials(r, auth);
        }
        if (!r.replayable()) {
            throw new ContentException(Kind.UNAUTHORIZED, registry + " asked to authenticate during the upload of "
                    + r.what() + "; trying again with a token", null, true);
        }
        requests.incrementAndGet();
        Response second = http.send(r.withHeader("Authorization", again.header()));
        if (second.status() != 401) return second;
        second.close();
        throw again.withCredential() ? rejected(r, null) : noCredentials(r, again);
    }

    private static Challenge pick(List<Challenge> cs) {
        for (Challenge c : cs) if (c.isBearer()) return c;
        for (Challenge c : cs) if (c.isBasic()) return c;
        return null;
    }

    /** The header for {@code scopes}: null until the registry has challenged. */
    private Auth authorization(Set<String> scopes) throws ContentException {
        Challenge c = challenge;
        if (c == null) return null;
        Credential cred = credential();
        if (cred != null && cred.isBearerToken()) return new Auth("Bearer " + cred.secret(), true);
        if (c.isBasic()) {
            if (cred == null) return null;
            return new Auth(cred.basicHeader(), true);
        }
        String key = key(scopes, c);
        Token t = tokens.get(key);
        if (t == null || System.currentTimeMillis() >= t.expiresAtMillis()) {
            synchronized (this) {
                t = tokens.get(key);
                if (t == null || System.currentTimeMillis() >= t.expiresAtMillis()) {
                    t = fetchToken(c, scopes, cred);
                    tokens.put(key, t);
                }
            }
        }
        return new Auth("Bearer " + t.value(), t.withCredential());
    }

    private Token fetchToken(Challenge c, Set<String> scopes, Credential cred) throws ContentException {
        String realm = c.param("realm");
        if (realm == null || realm.isBlank()) {
            throw new ContentException(Kind.INVALID, registry + " asked for a bearer token but named no realm");
        }
        URI realmUri;
        try {
            realmUri = URI.create(scheme + "://" + registry + "/").resolve(realm.trim());
        } catch (IllegalArgumentException e) {
            throw new ContentException(Kind.INVALID, registry + " named an invalid token realm '" + Text.printable(realm) + "'");
        }
        String rs = realmUri.getScheme() == null ? "" : realmUri.getScheme();
        if (!(rs.equals("https") || rs.equals("http")) || realmUri.getHost() == null) {
            throw new ContentException(Kind.INVALID, registry + " named a token realm that is not an http(s) URL: "
                    + Text.printable(realm));
        }
        boolean sendCredential = cred != null;
        if (sendCredential && rs.equals("http") && scheme.equals("https")) {
            throw new ContentException(Kind.UNAUTHORIZED, "refusing to send the credentials for " + registry + " (from "
                    + cred.source() + ") to the plain-http token service " + Text.printable(realmUri.toString())
                    + " of an https registry");
        }
        if (sendCredential && scheme.equals("http") && !sameHost(realmUri.getHost()) && !isLoopback(realmUri.getHost())) {
            throw new ContentException(Kind.UNAUTHORIZED, "refusing to send the credentials for " + registry + " (from "
                    + cred.source() + ") to the token service " + Text.printable(realmUri.toString()) + ": the token"
                    + " realm of a plain-http registry must be on its own host or on loopback");
        }
        Set<String> all = new TreeSet<>(scopes);
        String challenged = c.param("scope");
        if (challenged != null) for (String s : challenged.split(" ")) if (!s.isBlank()) all.add(s);
        StringBuilder q = new StringBuilder();
        if (c.param("service") != null) q.append("service=").append(enc(c.param("service")));
        for (String s : all) q.append(q.length() == 0 ? "" : "&").append("scope=").append(enc(s));
        String base = realmUri.toString();
        URI uri = URI.create(base + (q.length() == 0 ? "" : (base.contains("?") ? "&" : "?") + q));
        Request tr = Request.get(uri, "a token for " + registry, realmUri.getScheme() + "://" + realmUri.getRawAuthority());
        if (sendCredential) tr = tr.withHeader("Authorization", cred.basicHeader());
        try (Response resp = http.send(tr)) {
            if (resp.status() == 401 || resp.status() == 403) {
                if (sendCredential) throw rejected(null, realmUri + ": HTTP " + resp.status());
                throw noCredentials(null, null);
            }
            if (!resp.ok()) throw resp.error();
            byte[] body = resp.bytes(Limits.MAX_TOKEN_BYTES);
            Map<String, Object> m;
            String what = "token answer of " + Text.printable(realmUri.toString());
            try {
                m = Json.parseObject(body, what);
            } catch (IllegalArgumentException e) {
                throw new ContentException(Kind.INVALID, EnvironmentCredentials.invalidJson(what, e));
            }
            Object tok = m.get("token") instanceof String s && !s.isBlank() ? s : m.get("access_token");
            if (!(tok instanceof String token) || token.isBlank()) {
                throw new ContentException(Kind.INVALID, "the token service of " + registry + " answered no token");
            }
            long expires = m.get("expires_in") instanceof Number n && n.longValue() > 0 ? n.longValue() : 60;
            long lifetime = Math.max(1, expires - TOKEN_MARGIN_SECONDS);
            return new Token(token, System.currentTimeMillis() + lifetime * 1000, sendCredential);
        }
    }

    /** The credential for this registry, looked up once (after the first challenge); null if there is none. */
    private Credential credential() throws ContentException {
        CredentialSource.Lookup l = lookup;
        if (l == null) {
            synchronized (this) {
                if (lookup == null) lookup = credentials.find(registry, repository);
                l = lookup;
            }
        }
        return l.credential();
    }

    private ContentException noCredentials(Request r, Auth auth) {
        CredentialSource.Lookup l = lookup;
        String looked = l == null || l.lookedIn().isEmpty() ? "none configured" : "looked in " + String.join(", ", l.lookedIn());
        return new ContentException(Kind.UNAUTHORIZED, "authentication required by " + registry
                + (r == null ? "" : " for " + r.what()) + ": no credentials for " + registry + " (" + looked + ")");
    }

    private ContentException rejected(Request r, String detail) {
        CredentialSource.Lookup l = lookup;
        String source = l == null || l.credential() == null ? "the configuration" : l.credential().source();
        return new ContentException(Kind.UNAUTHORIZED, "credentials for " + registry + " from " + source
                + " were rejected" + (r == null ? "" : " (" + r.what() + ")") + (detail == null ? "" : " (" + detail + ")"));
    }

    private boolean sameHost(String host) {
        return host.equalsIgnoreCase(URI.create(scheme + "://" + registry + "/").getHost());
    }

    /** {@code localhost}, {@code 127.x.y.z} or {@code [::1]}, with or without a port. */
    public static boolean isLoopback(String registry) {
        String host = registry;
        if (host.startsWith("[")) {
            host = host.substring(1, host.indexOf(']'));
            return host.equals("::1") || host.equals("0:0:0:0:0:0:0:1");
        }
        int colon = host.indexOf(':');
        if (colon >= 0) host = host.substring(0, colon);
        return host.equals("localhost") || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private static String key(Set<String> scopes, Challenge c) {
        Set<String> all = new LinkedHashSet<>(new TreeSet<>(scopes));
        return String.join(" ", all) + "|" + c.param("realm") + "|" + c.param("service");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
