package dev.modelreg.testkit;

/**
 * One HTTP request as a fixture saw it: method, path (raw, still percent-encoded, without the query string) and
 * the response status. For the registry, the path and status come from distribution's own access log, so
 * {@code POST /v2/R/blobs/uploads/ 201} is a cross-repository mount and {@code ... 202} an upload start.
 */
public record Request(String method, String path, int status) {
    public Request {
        if (method == null || method.isEmpty()) throw new IllegalArgumentException("request method is empty");
        if (path == null || !path.startsWith("/")) throw new IllegalArgumentException("request path must start with '/': " + path);
    }

    @Override
    public String toString() {
        return method + " " + path + " " + status;
    }
}
