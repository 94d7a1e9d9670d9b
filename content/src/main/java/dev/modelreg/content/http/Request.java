package dev.modelreg.content.http;

import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request for {@link HttpTransport}. A body is either bytes (replayable: the request may be retried and
 * re-sent after an auth challenge) or a stream of a known length (sent once). {@code what} names the content for
 * error messages ("manifest sha256:..", "blob sha256:..", "file 'a/b' of src@ref"); {@code endpoint} names the
 * peer ("127.0.0.1:5000/models", "https://raw.githubusercontent.com"); {@code streamBody} asks for a response body
 * that is read as a stream (blobs: guarded by the stall rule, not the request deadline).
 */
public record Request(String method, URI uri, Map<String, String> headers, byte[] body, InputStream stream,
                      long streamLength, String what, String endpoint, boolean streamBody) {
    public Request {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        headers = Map.copyOf(headers == null ? Map.of() : headers);
    }

    public static Request get(URI uri, String what, String endpoint) {
        return new Request("GET", uri, Map.of(), null, null, -1, what, endpoint, false);
    }

    public static Request head(URI uri, String what, String endpoint) {
        return new Request("HEAD", uri, Map.of(), null, null, -1, what, endpoint, false);
    }

    public static Request send(String method, URI uri, byte[] body, String what, String endpoint) {
        return new Request(method, uri, Map.of(), body, null, -1, what, endpoint, false);
    }

    /** A body streamed once from {@code in}, exactly {@code length} bytes (Content-Length). */
    public static Request upload(String method, URI uri, InputStream in, long length, String what, String endpoint) {
        return new Request(method, uri, Map.of(), null, in, length, what, endpoint, false);
    }

    public Request withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.keySet().removeIf(k -> k.equalsIgnoreCase(name));
        if (value != null) h.put(name, value);
        return new Request(method, uri, h, body, stream, streamLength, what, endpoint, streamBody);
    }

    public Request withUri(URI u) {
        return new Request(method, u, headers, body, stream, streamLength, what, endpoint, streamBody);
    }

    /** The response body will be read as a stream (a blob), guarded by the stall rule instead of the deadline. */
    public Request streamed() {
        return new Request(method, uri, headers, body, stream, streamLength, what, endpoint, true);
    }

    /** True when the request can be sent again (no body, or a bytes body). */
    public boolean replayable() {
        return stream == null;
    }

    /** Never shows header values (they may hold credentials). */
    @Override
    public String toString() {
        return method + " " + uri + " (" + what + ")";
    }
}
