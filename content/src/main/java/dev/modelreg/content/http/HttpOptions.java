package dev.modelreg.content.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the one transport talks HTTP, immutable (withers return copies).
 *
 * @param caFile         extra CA certificates (PEM) trusted besides the system's, or null
 * @param connectTimeout how long a TCP (and TLS) connect may take
 * @param requestTimeout the overall deadline of a request: connect, send, response headers and any small body
 *                       (manifests, tokens, error bodies) must be done within it (MODELREG_TIMEOUT)
 * @param stallTimeout   a streamed body (blob up- or download) fails when it moves fewer than
 *                       {@link #MIN_BYTES_PER_SECOND} per second averaged over this window (MODELREG_STALL_TIMEOUT)
 * @param retries        how many times a request that failed in a way worth retrying is tried again
 *                       (connection reset, 429, 502, 503, 504), with exponential backoff and jitter (MODELREG_RETRIES)
 * @param maxRetryAfter  the longest {@code Retry-After} honoured; a longer one fails at once
 */
public record HttpOptions(Path caFile, Duration connectTimeout, Duration requestTimeout, Duration stallTimeout,
                          int retries, Duration maxRetryAfter) {
    /** A body that averages less than this over a stall window is stalled (a byte every 2 s is a stall). */
    public static final long MIN_BYTES_PER_SECOND = 1024;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_RETRIES = 3;
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(30);

    public HttpOptions {
        positive(connectTimeout, "connect timeout");
        positive(requestTimeout, "request timeout");
        positive(stallTimeout, "stall timeout");
        positive(maxRetryAfter, "max Retry-After");
        if (retries < 0 || retries > 10) throw new IllegalArgumentException("retries must be 0..10, got " + retries);
    }

    public static HttpOptions defaults() {
        return new HttpOptions(null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_STALL_TIMEOUT,
                DEFAULT_RETRIES, DEFAULT_MAX_RETRY_AFTER);
    }

    /** MODELREG_CA_FILE, MODELREG_TIMEOUT, MODELREG_STALL_TIMEOUT (seconds), MODELREG_RETRIES over the defaults. */
    public static HttpOptions fromEnvironment(Map<String, String> env) {
        HttpOptions o = defaults();
        String ca = blankToNull(env.get("MODELREG_CA_FILE"));
        if (ca != null) o = o.withCaFile(Path.of(ca));
        String t = blankToNull(env.get("MODELREG_TIMEOUT"));
        if (t != null) o = o.withRequestTimeout(seconds("MODELREG_TIMEOUT", t));
        String s = blankToNull(env.get("MODELREG_STALL_TIMEOUT"));
        if (s != null) o = o.withStallTimeout(seconds("MODELREG_STALL_TIMEOUT", s));
        String r = blankToNull(env.get("MODELREG_RETRIES"));
        if (r != null) {
            try {
                o = o.withRetries(Integer.parseInt(r.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("MODELREG_RETRIES: want an integer 0..10, got '" + r + "'");
            }
        }
        return o;
    }

    public HttpOptions withCaFile(Path f) {
        return new HttpOptions(f, connectTimeout, requestTimeout, stallTimeout, retries, maxRetryAfter);
    }

    public HttpOptions withConnectTimeout(Duration d) {
        return new HttpOptions(caFile, d, requestTimeout, stallTimeout, retries, maxRetryAfter);
    }

    public HttpOptions withRequestTimeout(Duration d) {
        return new HttpOptions(caFile, connectTimeout, d, stallTimeout, retries, maxRetryAfter);
    }

    public HttpOptions withStallTimeout(Duration d) {
        return new HttpOptions(caFile, connectTimeout, requestTimeout, d, retries, maxRetryAfter);
    }

    public HttpOptions withRetries(int n) {
        return new HttpOptions(caFile, connectTimeout, requestTimeout, stallTimeout, n, maxRetryAfter);
    }

    public HttpOptions withMaxRetryAfter(Duration d) {
        return new HttpOptions(caFile, connectTimeout, requestTimeout, stallTimeout, retries, d);
    }

    /** Written out, not generated: the generated one's invokedynamic bootstrap cost ~8 ms of a CLI run's start. */
    @Override
    public boolean equals(Object o) {
        return o instanceof HttpOptions h && Objects.equals(caFile, h.caFile) && connectTimeout.equals(h.connectTimeout)
                && requestTimeout.equals(h.requestTimeout) && stallTimeout.equals(h.stallTimeout) && retries == h.retries
                && maxRetryAfter.equals(h.maxRetryAfter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(caFile, connectTimeout, requestTimeout, stallTimeout, retries, maxRetryAfter);
    }

    private static void positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive, got " + d);
    }

    private static Duration seconds(String name, String v) {
        try {
            double s = Double.parseDouble(v.trim());
            if (s > 0 && s <= 86_400) return Duration.ofMillis(Math.round(s * 1000));
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException(name + ": want a positive number of seconds, got '" + v + "'");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
