package dev.modelreg.content.http;

import dev.modelreg.content.ContentException;
import dev.modelreg.spec.ModelregException.Kind;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.Text;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpRetryException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * The one HTTP transport of modelreg: registry calls, blob up- and downloads, GitHub raw files, release assets and
 * zipballs all go through {@link #send}. Its rules, in one place:
 * <ul>
 *   <li><b>Redirects</b> (GET and HEAD only): at most {@link Limits#MAX_REDIRECTS} hops; relative {@code Location}s
 *       resolved; never from https to http; the {@code Authorization} header is sent only to the origin of the
 *       request, never to another one (a CDN);</li>
 *   <li><b>TLS</b>: the system's CAs plus {@link HttpOptions#caFile()};</li>
 *   <li><b>Time</b>: a connect timeout; an overall deadline per request (headers and small bodies); streamed bodies
 *       under the stall rule ({@link HttpOptions#stallTimeout()}); a watchdog enforces both;</li>
 *   <li><b>Retries</b>: a replayable request (no body or a bytes body) that meets a lost connection, 429, 502, 503 or
 *       504 is retried up to {@link HttpOptions#retries()} times with exponential backoff and jitter, honouring
 *       {@code Retry-After} up to {@link HttpOptions#maxRetryAfter()};</li>
 *   <li><b>Errors</b>: one {@link ContentException} kind per failure, naming the endpoint and the content
 *       ({@link Failures}).</li>
 * </ul>
 * It is built on {@link HttpURLConnection}, which reads a body on the caller's thread (2 GB/s on loopback against
 * 0.3 GB/s for java.net.http's InputStream bodies on JDK 17) and keeps connections alive across requests.
 * <p><b>Connection limits.</b> How many idle connections per host the JVM keeps alive is the JVM-wide system property
 * {@code http.maxConnections}, read once, when the first connection is put back: 5 when unset, too few for the
 * transfers modelreg runs at once (GitHub mode runs up to 4 x the concurrency setting). When this class is loaded,
 * before its first connection, it sets the property to {@link #MAX_CONNECTIONS} unless it is set already (by the
 * user, {@code -Dhttp.maxConnections=N}, whose value is kept); a program that uses the library gets the same limit
 * as the command line. Credentials are not its business: callers add the header ({@code RegistryClient} after a
 * challenge).
 */
public final class HttpTransport {
    /** The idle connections per host kept alive ({@code http.maxConnections}) when the user set no other number. */
    public static final int MAX_CONNECTIONS = 64;

    static {
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", Integer.toString(MAX_CONNECTIONS));
        }
    }

    private static final Map<HttpOptions, HttpTransport> SHARED = new ConcurrentHashMap<>();
    private static final String USER_AGENT = "modelreg";

    private final HttpOptions options;
    private final AtomicLong requests = new AtomicLong();

    private HttpTransport(HttpOptions options) {
        this.options = options;
    }

    /** The transport for these options, shared by every caller in the JVM that uses the same options. */
    public static HttpTransport of(HttpOptions options) {
        return SHARED.computeIfAbsent(options, HttpTransport::new);
    }

    public HttpOptions options() {
        return options;
    }

    /** HTTP exchanges made so far (every attempt and every redirect hop counts). */
    public long requestCount() {
        return requests.get();
    }

    /**
     * Sends {@code r}, following redirects and retrying what is worth retrying. Returns the final response whatever
     * its status (the caller decides what a 404 means); throws only when no response could be had. When this gave up
     * on a replayable request that kept failing transiently (its retries spent, or a {@code Retry-After} too long),
     * the failure is no longer transient ({@link Response#error}, the exception thrown): a caller that retries
     * transfers (the copy) does not spend the whole budget again on each of its own attempts.
     */
    public Response send(Request r) throws ContentException {
        for (int attempt = 0; ; attempt++) {
            boolean canRetry = r.replayable() && attempt < options.retries();
            Response resp;
            try {
                resp = follow(r);
            } catch (ContentException e) {
                if (!e.isTransient() || !r.replayable()) throw e;
                if (!canRetry) throw Failures.spent(e, attempt + 1);
                Backoff.sleep(Backoff.delay(attempt), r.what());
                continue;
            }
            int s = resp.status();
            if (!r.replayable() || !(s == 429 || s == 502 || s == 503 || s == 504)) return resp;
            Duration wait = Backoff.retryAfter(resp.header("Retry-After"));
            if (!canRetry || (wait != null && wait.compareTo(options.maxRetryAfter()) > 0)) { // spent, or asked to wait too long
                return resp.spent(attempt + 1);
            }
            resp.close();
            Backoff.sleep(wait != null ? wait : Backoff.delay(attempt), r.what());
        }
    }

    private Response follow(Request r) throws ContentException {
        URI origin = r.uri();
        URI u = origin;
        boolean redirectable = r.method().equals("GET") || r.method().equals("HEAD");
        for (int hop = 0; ; hop++) {
            Response resp = exchange(r, u, sameOrigin(origin, u));
            int s = resp.status();
            boolean redirect = redirectable && (s == 301 || s == 302 || s == 303 || s == 307 || s == 308);
            String location = redirect ? resp.header("Location") : null;
            if (location == null) return resp;
            resp.close();
            URI next = resolve(u, location, r);
            if (hop + 1 >= Limits.MAX_REDIRECTS) {
                throw new ContentException(Kind.INVALID, "too many redirects (" + Limits.MAX_REDIRECTS + ") for " + r.what()
                        + " at " + endpoint(r) + ", the last to " + Text.printable(next.toString()));
            }
            if ("https".equals(u.getScheme()) && "http".equals(next.getScheme())) {
                throw new ContentException(Kind.INVALID, endpoint(r) + " redirected " + r.what() + " from https to plain"
                        + " http (" + Text.printable(next.toString()) + "): refused");
            }
            u = next;
        }
    }

    private static URI resolve(URI base, String location, Request r) throws ContentException {
        try {
            URI next = base.resolve(new URI(location.trim()));
            String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || next.getHost() == null) {
                throw new URISyntaxException(location, "not an http(s) URL");
            }
            return next;
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ContentException(Kind.INVALID, endpoint(r) + " redirected " + r.what() + " to an invalid Location '"
                    + Text.printable(location) + "'");
        }
    }

    /** One exchange on one connection: no redirects, no retries. */
    private Response exchange(Request r, URI u, boolean withAuthorization) throws ContentException {
        String endpoint = endpoint(r);
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
            throw new ContentException(Kind.INVALID, "not an http(s) URL for " + r.what() + ": " + Text.printable(u.toString()));
        }
        HttpURLConnection c;
        try {
            c = (HttpURLConnection) u.toURL().openConnection();
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            throw new ContentException(Kind.INVALID, "invalid URL for " + r.what() + ": " + Text.printable(u.toString()));
        }
        SSLSocketFactory tls = Tls.factory(options.caFile());
        if (tls != null && c instanceof HttpsURLConnection https) https.setSSLSocketFactory(tls);
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setConnectTimeout(millis(options.connectTimeout()));
        // silence for the stall timeout fails a read (the socket's own timeout: a read blocked in HttpURLConnection
        // cannot be woken from outside once a body streams); the watchdog adds the request deadline
        c.setReadTimeout(millis(options.stallTimeout()));
        try {
            c.setRequestMethod(r.method());
        } catch (java.net.ProtocolException e) {
            throw new IllegalArgumentException("HTTP method " + r.method(), e);
        }
        c.setRequestProperty("User-Agent", USER_AGENT);
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            if (!withAuthorization && h.getKey().equalsIgnoreCase("Authorization")) continue;
            c.setRequestProperty(h.getKey(), h.getValue());
        }
        requests.incrementAndGet();
        Watchdog.Watch watch = Watchdog.watch(c, options.requestTimeout());
        try {
            if (r.body() != null) {
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(r.body().length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(r.body());
                }
            } else if (r.stream() != null) {
                upload(c, r, watch);
            }
            int status;
            try {
                status = c.getResponseCode();
            } catch (HttpRetryException e) {
                status = e.responseCode(); // a 401 to a streamed body: the caller decides
            }
            if (status < 0) throw new IOException("not an HTTP response");
            return new Response(c, watch, r, u, status, endpoint, options);
        } catch (SourceFailure e) {
            watch.close();
            c.disconnect();
            IOException cause = e.io();
            if (cause instanceof ContentException ce) throw ce;
            throw new ContentException(Kind.INVALID, "cannot read " + r.what() + " to send it: "
                    + Text.oneLine(String.valueOf(cause.getMessage())), cause);
        } catch (IOException e) {
            watch.close();
            c.disconnect();
            throw Failures.io(e, r, endpoint, watch.fired(), options);
        }
    }

    /**
     * Streams the request body: the source's own errors (e.g. a digest mismatch) are rethrown as they are. Before the
     * last bytes go out, the source is read once more and must be at its end (a verifying source checks its size and
     * digest there): a source that is wrong, or longer than the body, never completes a body the server would commit.
     */
    private void upload(HttpURLConnection c, Request r, Watchdog.Watch watch) throws IOException {
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(r.streamLength());
        watch.streaming(options.stallTimeout(), HttpOptions.MIN_BYTES_PER_SECOND);
        byte[] buf = new byte[(int) Math.max(8 << 10, Math.min(1 << 20, r.streamLength()))];
        InputStream in = r.stream();
        OutputStream out = c.getOutputStream();
        try {
            long sent = 0;
            do {
                int n = sent < r.streamLength() ? read(c, in, buf, (int) Math.min(buf.length, r.streamLength() - sent)) : 0;
                if (n < 0) {
                    c.disconnect();
                    throw new SourceFailure(new ContentException(Kind.SIZE_MISMATCH, r.what() + ": the source ended after "
                            + sent + " of " + r.streamLength() + " bytes"));
                }
                if (sent + n == r.streamLength() && read(c, in, new byte[1], 1) >= 0) {
                    c.disconnect();
                    throw new SourceFailure(new ContentException(Kind.SIZE_MISMATCH, r.what() + ": the source has more than "
                            + r.streamLength() + " bytes"));
                }
                out.write(buf, 0, n);
                watch.progress(n);
                sent += n;
            } while (sent < r.streamLength());
        } catch (SourceFailure e) {
            throw e; // the output stream is not closed: that would send a short body
        }
        out.close();
        watch.deadline(options.requestTimeout());
    }

    /** A read of the upload's source; its failure drops the connection and is marked as the source's. */
    private static int read(HttpURLConnection c, InputStream in, byte[] buf, int len) throws SourceFailure {
        try {
            return in.read(buf, 0, len);
        } catch (IOException e) {
            c.disconnect();
            throw new SourceFailure(e);
        }
    }

    /** Marks an exception of the upload's source, so it is not reported as a network failure. */
    private static final class SourceFailure extends IOException {
        SourceFailure(IOException cause) {
            super(cause);
        }

        IOException io() {
            return (IOException) getCause();
        }
    }

    /** The peer as error messages name it: the request's endpoint, else scheme://host[:port]. */
    static String endpoint(Request r) {
        if (r.endpoint() != null) return r.endpoint();
        URI u = r.uri();
        return u.getScheme() + "://" + u.getRawAuthority();
    }

    public static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }
}
