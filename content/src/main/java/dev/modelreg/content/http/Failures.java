package dev.modelreg.content.http;

import dev.modelreg.content.ContentException;
import dev.modelreg.spec.ModelregException.Kind;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Text;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * The one mapping of transport failures to {@link ContentException} kinds: HTTP statuses (with the registry's error
 * code when its body has one) and I/O failures (refused, unknown host, TLS, reset, timeouts). Messages are one line
 * and name the endpoint and the content; text from the peer is made printable and cut short.
 */
public final class Failures {
    private Failures() {}

    /** What Go's TLS server answers a plain-HTTP request with: the registry speaks TLS. */
    static final String HTTP_TO_HTTPS = "Client sent an HTTP request to an HTTPS server";

    /** The error for an unexpected status; {@code body} is the (bounded) error body, or null. */
    public static ContentException status(int status, byte[] body, String what, String endpoint) {
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        String detail = detail(text);
        if (status == 400 && text.contains(HTTP_TO_HTTPS)) {
            return new ContentException(Kind.UNAVAILABLE, endpoint + " speaks TLS (https), not plain HTTP, for " + what
                    + ": give its CA certificate with --ca-file PEM (or MODELREG_CA_FILE); a loopback registry is"
                    + " spoken to over plain HTTP unless a CA file is given, any other over https unless --plain-http");
        }
        if (text.contains("DIGEST_INVALID")) {
            return new ContentException(Kind.DIGEST_MISMATCH, endpoint + " rejected " + what + ": digest mismatch" + detail);
        }
        if (text.contains("SIZE_INVALID")) {
            return new ContentException(Kind.SIZE_MISMATCH, endpoint + " rejected " + what + ": size mismatch" + detail);
        }
        return switch (status) {
            case 401 -> new ContentException(Kind.UNAUTHORIZED, "authentication failed for " + endpoint + " (" + what + ")" + detail);
            case 403 -> new ContentException(Kind.DENIED, "access denied to " + endpoint + " (" + what + ")" + detail);
            case 404 -> new ContentException(Kind.NOT_FOUND, what + " not found in " + endpoint + detail);
            case 429, 502, 503, 504 -> new ContentException(Kind.UNAVAILABLE, endpoint + ": HTTP " + status
                    + " for " + what + detail, null, true);
            default -> new ContentException(status >= 500 ? Kind.UNAVAILABLE : Kind.INVALID,
                    endpoint + ": HTTP " + status + " for " + what + detail);
        };
    }

    /** The kind of failure an HTTP error status means (whatever the body says). */
    public static Kind kindOf(int status) {
        return switch (status) {
            case 401 -> Kind.UNAUTHORIZED;
            case 403 -> Kind.DENIED;
            case 404 -> Kind.NOT_FOUND;
            case 429 -> Kind.UNAVAILABLE;
            default -> status >= 500 ? Kind.UNAVAILABLE : Kind.INVALID;
        };
    }

    /** ": CODE message" from a distribution error body, else ": first line of the body" (short), else "". */
    public static String detail(String body) {
        if (body == null || body.isBlank()) return "";
        if (body.trim().startsWith("{")) {
            try {
                if (Json.parse(body) instanceof Map<?, ?> m && m.get("errors") instanceof List<?> l && !l.isEmpty()
                        && l.get(0) instanceof Map<?, ?> e) {
                    return ": " + Text.oneLine(e.get("code") + (e.get("message") != null ? " " + e.get("message") : ""));
                }
            } catch (RuntimeException ignored) {
                // not a distribution error body
            }
        }
        String first = body.strip().lines().findFirst().orElse("");
        if (first.length() > 200) first = first.substring(0, 200) + "...";
        return first.isEmpty() || first.startsWith("<") ? "" : ": " + Text.oneLine(first);
    }

    /**
     * Every error code of a distribution error body ({@code {"errors":[{"code":...}]}}), in order; empty for any other
     * body. A registry may give several (distribution answers a manifest whose blob link it could not read with
     * DIGEST_INVALID and MANIFEST_BLOB_UNKNOWN), and {@link #detail} names only the first.
     */
    public static List<String> codes(byte[] body) {
        if (body == null) return List.of();
        String text = new String(body, StandardCharsets.UTF_8).trim();
        if (!text.startsWith("{")) return List.of();
        try {
            if (Json.parse(text) instanceof Map<?, ?> m && m.get("errors") instanceof List<?> l) {
                List<String> out = new java.util.ArrayList<>();
                for (Object e : l) if (e instanceof Map<?, ?> em && em.get("code") instanceof String c) out.add(c);
                return out;
            }
        } catch (RuntimeException ignored) {
            // not a distribution error body
        }
        return List.of();
    }

    /** The error for an I/O failure; {@code fired} is the watchdog's verdict ("deadline", "stall") or null. */
    static ContentException io(IOException e, Request r, String endpoint, String fired, HttpOptions o) {
        if (e instanceof ContentException ce) return ce;
        String what = r.what();
        if ("deadline".equals(fired)) {
            return new ContentException(Kind.UNAVAILABLE, endpoint + " did not answer within "
                    + seconds(o.requestTimeout()) + " for " + what + " (MODELREG_TIMEOUT)", e);
        }
        if ("stall".equals(fired)) {
            return stall(r, endpoint, o, e);
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConnectException) return unreachable(endpoint, what, "connection refused", e, false);
            if (c instanceof NoRouteToHostException) return unreachable(endpoint, what, "no route to host", e, false);
            if (c instanceof UnknownHostException) return unreachable(endpoint, what, "unknown host", e, false);
            if (c instanceof SocketTimeoutException) {
                boolean connect = c.getMessage() != null && c.getMessage().toLowerCase(java.util.Locale.ROOT).contains("connect");
                if (connect) return unreachable(endpoint, what, "connect timed out after " + seconds(o.connectTimeout()), e, true);
                return new ContentException(Kind.UNAVAILABLE, endpoint + " sent nothing for " + seconds(o.stallTimeout())
                        + " for " + what + " (MODELREG_STALL_TIMEOUT)", e, true);
            }
            if (c instanceof SSLHandshakeException h) return tls(endpoint, what, h);
            if (c instanceof SSLException s) {
                String m = String.valueOf(s.getMessage());
                if (m.contains("Unsupported or unrecognized SSL message") || m.contains("plaintext")) {
                    return new ContentException(Kind.UNAVAILABLE, endpoint + " does not speak TLS for " + what
                            + ": if it is a plain-HTTP registry, use --plain-http (or MODELREG_PLAIN_HTTP=1)", e);
                }
                return tls(endpoint, what, s);
            }
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        boolean lost = e instanceof EOFException || e instanceof SocketException || m.contains("Unexpected end of file")
                || m.contains("Premature EOF") || m.contains("reset") || m.contains("Broken pipe");
        return unreachable(endpoint, what, lost ? "connection lost (" + Text.oneLine(m) + ")" : Text.oneLine(m), e, lost);
    }

    /** {@code e} once the transport has given up on it after {@code attempts} tries: no longer worth retrying. */
    static ContentException spent(ContentException e, int attempts) {
        String m = e.getMessage() + (attempts > 1 ? " (tried " + attempts + " times)" : "");
        return new ContentException(e.kind(), m, e.getCause(), false);
    }

    static ContentException stall(Request r, String endpoint, HttpOptions o, Throwable cause) {
        long min = HttpOptions.MIN_BYTES_PER_SECOND * Math.max(1, o.stallTimeout().toSeconds());
        return new ContentException(Kind.UNAVAILABLE, r.what() + " from " + endpoint + ": less than " + min
                + " bytes moved in " + seconds(o.stallTimeout()) + ", giving up (MODELREG_STALL_TIMEOUT)", cause, true);
    }

    private static ContentException unreachable(String endpoint, String what, String why, Throwable e, boolean transientFailure) {
        return new ContentException(Kind.UNAVAILABLE, "cannot reach " + endpoint + " for " + what + ": " + why, e,
                transientFailure);
    }

    private static ContentException tls(String endpoint, String what, SSLException e) {
        String m = Text.oneLine(String.valueOf(e.getMessage()));
        boolean untrusted = m.contains("PKIX") || m.contains("certification path") || m.contains("unable to find valid");
        return new ContentException(Kind.UNAVAILABLE, "TLS handshake with " + endpoint + " failed for " + what + ": "
                + (untrusted ? "its certificate is not trusted (give its CA with --ca-file PEM or MODELREG_CA_FILE)" : m), e);
    }

    static String seconds(java.time.Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
