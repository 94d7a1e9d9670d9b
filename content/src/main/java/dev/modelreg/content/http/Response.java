package dev.modelreg.content.http;

import dev.modelreg.content.ContentException;
import dev.modelreg.spec.Limits;
import dev.modelreg.content.ChunkedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * A response of {@link HttpTransport}: status, headers, and a body read either whole and bounded ({@link #bytes},
 * within the request's deadline) or as a stream ({@link #body}, under the stall rule). Close it in every case: a
 * body read to its end returns the connection to the keep-alive pool, anything else closes it.
 */
public final class Response implements AutoCloseable {
    private final HttpURLConnection connection;
    private final Watchdog.Watch watch;
    private final Request request;
    private final URI uri;
    private final int status;
    private final String endpoint;
    private final HttpOptions options;
    private InputStream opened;
    private int spentAttempts;
    private byte[] errorBody;
    private boolean errorBodyRead;

    Response(HttpURLConnection connection, Watchdog.Watch watch, Request request, URI uri, int status, String endpoint,
             HttpOptions options) {
        this.connection = connection;
        this.watch = watch;
        this.request = request;
        this.uri = uri;
        this.status = status;
        this.endpoint = endpoint;
        this.options = options;
    }

    /** Marks a retryable status the transport gave up on after {@code attempts} tries: {@link #error} is final. */
    Response spent(int attempts) {
        spentAttempts = attempts;
        return this;
    }

    public int status() {
        return status;
    }

    public boolean ok() {
        return status / 100 == 2;
    }

    /** The URI that answered (after redirects). */
    public URI uri() {
        return uri;
    }

    public Request request() {
        return request;
    }

    /** A header's value (name matched case-insensitively), or null. */
    public String header(String name) {
        return connection.getHeaderField(name);
    }

    /**
     * Where the body of a 206 starts: the first byte of its {@code Content-Range: bytes FIRST-LAST/TOTAL}, or -1 when
     * the header is missing or unreadable, or when {@code total} (-1: not checked) is not TOTAL with LAST = total - 1.
     */
    public long rangeStart(long total) {
        String cr = header("Content-Range");
        if (cr == null || !cr.trim().startsWith("bytes ")) return -1;
        try {
            String v = cr.trim().substring(6);
            int dash = v.indexOf('-');
            int slash = v.indexOf('/');
            long first = Long.parseLong(v.substring(0, dash).trim());
            long last = Long.parseLong(v.substring(dash + 1, slash).trim());
            String t = v.substring(slash + 1).trim();
            if (last < first) return -1;
            if (total >= 0 && (!t.equals(Long.toString(total)) || last != total - 1)) return -1;
            return first;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** True if {@code Content-Range} is exactly {@code bytes FIRST-LAST/TOTAL} (the range a request asked for). */
    public boolean isRange(long first, long last, long total) {
        String cr = header("Content-Range");
        if (cr == null) return false;
        String v = cr.trim();
        return v.equals("bytes " + first + "-" + last + "/" + total);
    }

    /** Content-Length, or -1 when the response has none. */
    public long contentLength() {
        return connection.getContentLengthLong();
    }

    /**
     * The body as a stream that fails (UNAVAILABLE, transient) when it stalls or the connection is lost. For error
     * statuses it is the error body.
     */
    public InputStream body() throws ContentException {
        if (opened != null) return opened;
        InputStream raw;
        try {
            raw = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        } catch (IOException e) {
            throw Failures.io(e, request, endpoint, watch.fired(), options);
        }
        if (raw == null) raw = InputStream.nullInputStream();
        watch.close(); // from here the reader enforces the stall rule itself (see Guarded)
        opened = new Guarded(raw);
        return opened;
    }

    /**
     * The whole body, read within the request's deadline; more than {@code limit} bytes is an error naming the
     * content and the endpoint.
     */
    public byte[] bytes(int limit) throws ContentException {
        if ("HEAD".equals(request.method())) return new byte[0];
        if (opened != null) throw new IllegalStateException("body already read: " + request);
        opened = InputStream.nullInputStream();
        long declared = contentLength();
        if (declared > limit) {
            watch.close();
            connection.disconnect();
            throw tooLarge(declared, limit);
        }
        try {
            InputStream raw = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            if (raw == null) return new byte[0];
            try (InputStream in = raw) {
                byte[] b = in.readNBytes(limit + 1);
                if (b.length > limit) throw tooLarge(b.length, limit);
                return b;
            }
        } catch (IOException e) {
            throw Failures.io(e, request, endpoint, watch.fired(), options);
        } finally {
            watch.close();
        }
    }

    /**
     * The error this (non-2xx) response means, with the registry's error code when its body has one; not transient
     * when the transport has already spent its retries on it.
     */
    public ContentException error() {
        if (status == 400 && "http".equals(uri.getScheme()) && header("Date") == null && header("Content-Type") == null
                && String.valueOf(connection.getHeaderField(0)).startsWith("HTTP/1.0 400")) {
            // Go's TLS server answers plain HTTP with a bare "HTTP/1.0 400" (no headers): a HEAD never sees its body
            return Failures.status(400, Failures.HTTP_TO_HTTPS.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    request.what(), endpoint);
        }
        ContentException e = Failures.status(status, errorBody(), request.what(), endpoint);
        return spentAttempts > 0 ? Failures.spent(e, spentAttempts) : e;
    }

    /**
     * The registry's error codes in this (non-2xx) response's body, in order ({@link Failures#codes}): a caller that
     * has taken {@link #error} may still tell which refusal it was (the body is read once, for both).
     */
    public java.util.List<String> errorCodes() {
        return Failures.codes(errorBody());
    }

    /** The error body (bounded), read on first use; null if it could not be read (the status alone says enough). */
    private byte[] errorBody() {
        if (!errorBodyRead) {
            errorBodyRead = true;
            try {
                errorBody = bytes(Limits.MAX_ERROR_BODY_BYTES);
            } catch (ContentException e) {
                errorBody = null;
            }
        }
        return errorBody;
    }

    private ContentException tooLarge(long size, int limit) {
        return new ContentException(ContentException.Kind.INVALID, request.what() + " from " + endpoint + " is "
                + (size > limit ? "larger than the " + limit + "-byte limit" : size + " bytes"));
    }

    @Override
    public void close() {
        watch.close();
        try {
            InputStream in = opened;
            if (in == null) {
                if ("HEAD".equals(request.method())) return;
                if (ok()) {
                    connection.disconnect(); // an unread body (a transfer given up): not worth draining
                    return;
                }
                // an error or redirect body: drain a little so the connection can be reused
                InputStream err = connection.getErrorStream();
                InputStream raw = err == null && status < 400 ? connection.getInputStream() : err;
                if (raw != null) {
                    try (raw) {
                        if (raw.readNBytes(64 << 10).length == 64 << 10) connection.disconnect();
                    }
                }
            } else {
                in.close();
            }
        } catch (IOException | RuntimeException e) {
            connection.disconnect();
        }
    }

    /**
     * The body stream, under the stall rule: silence for the stall timeout fails the read (the socket's timeout), and
     * so does a trickle (fewer than {@link HttpOptions#MIN_BYTES_PER_SECOND} per second over a stall window), which
     * this reader checks after every read. It ends where Content-Length says, never later. Failures name the content
     * and the endpoint.
     */
    private final class Guarded extends ChunkedInputStream.Filter {
        private final long windowNanos = options.stallTimeout().toNanos();
        private final long minWindowBytes = HttpOptions.MIN_BYTES_PER_SECOND * Math.max(1, options.stallTimeout().toSeconds());
        private final long expected = contentLength();
        private long read;
        private long windowStart = System.nanoTime();
        private long windowBytes;

        Guarded(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (expected >= 0 && read >= expected) return len == 0 ? 0 : -1; // the body is what Content-Length says
            if (expected >= 0) len = (int) Math.min(len, expected - read); // HttpURLConnection reads past it on a closing connection
            int n;
            try {
                n = in.read(b, off, len);
            } catch (java.net.SocketTimeoutException e) {
                connection.disconnect();
                throw Failures.stall(request, endpoint, options, e);
            } catch (IOException e) {
                ContentException c = Failures.io(e, request, endpoint, null, options);
                throw new ContentException(c.kind(), c.getMessage() + " after " + read + " bytes", e, c.isTransient());
            }
            if (n > 0) {
                read += n;
                windowBytes += n;
                long now = System.nanoTime();
                if (now - windowStart >= windowNanos) {
                    if (windowBytes < minWindowBytes) {
                        connection.disconnect();
                        throw Failures.stall(request, endpoint, options, null);
                    }
                    windowStart = now;
                    windowBytes = 0;
                }
            } else if (n < 0 && expected >= 0 && read < expected && status / 100 == 2) {
                // HttpURLConnection ends a Content-Length body that the peer cut short without an error
                throw new ContentException(ContentException.Kind.UNAVAILABLE, "connection to " + endpoint + " closed after "
                        + read + " of " + expected + " bytes of " + request.what(), null, true);
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } catch (IOException e) {
                connection.disconnect();
            }
        }
    }
}
