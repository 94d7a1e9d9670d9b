package dev.modelreg.testkit;

/**
 * One HTTP request as a fixture saw it: method, path (raw, still percent-encoded, without the query string) and
 * the response status. For the registry, the path and status come from distribution's own access log, so
 * {@code POST /v2/R/blobs/uploads/ 201} is a cross-repository mount and {@code ... 202} an upload start.
 * {@code bytes} is the size of the response body the server sent (the access log's, or the fixture's count), -1
 * when unknown.
 */
public record Request(String method, String path, int status, long bytes) {
    public Request {
        if (method == null || method.isEmpty()) throw new IllegalArgumentException("request method is empty");
        if (path == null || !path.startsWith("/")) throw new IllegalArgumentException("request path must start with '/': " + path);
    }

    /** A request whose response size was not recorded ({@code bytes} -1). */
    public Request(String method, String path, int status) {
        this(method, path, status, -1);
    }

    /** Equal when method, path and status are: {@code bytes} is a measurement, not part of what was asked. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Request r && method.equals(r.method) && path.equals(r.path) && status == r.status;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(method, path, status);
    }

    @Override
    public String toString() {
        return method + " " + path + " " + status;
    }
}
