package dev.modelreg.consumer;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** One shared java.net.http client for GitHub-mode downloads (connection reuse across parallel fetches). */
final class Http {
    private final int concurrency;
    /** Built on first use: commands that never touch the network (info, list, offline copies) skip TLS set-up. */
    private HttpClient client;
    private final AtomicLong requests = new AtomicLong();

    Http(int concurrency) {
        this.concurrency = concurrency;
    }

    private synchronized HttpClient client() {
        if (client != null) return client;
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2) // multiplexed over TLS where offered; HTTP/1.1 otherwise
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .executor(java.util.concurrent.Executors.newFixedThreadPool(Math.max(2, concurrency * GitHubSource.LATENCY_BOUND_FANOUT), r -> {
                    Thread t = new Thread(r, "modelreg-http");
                    t.setDaemon(true);
                    return t;
                }))
                .build();
        return client;
    }

    /** A response whose body must be closed; non-2xx bodies are already drained. */
    record Response(int status, InputStream body) implements AutoCloseable {
        boolean ok() {
            return status / 100 == 2;
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    Response get(URI uri) throws IOException {
        requests.incrementAndGet();
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET()
                .header("User-Agent", "modelreg");
        // HTTP/2 is negotiated inside TLS (ALPN); over plain http (mirrors, test servers) an h2c upgrade attempt
        // on every new connection only costs a round of headers the server ignores
        if ("http".equalsIgnoreCase(uri.getScheme())) rb.version(HttpClient.Version.HTTP_1_1);
        HttpRequest req = rb.build();
        try {
            HttpResponse<InputStream> r = client().send(req, HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() / 100 != 2) {
                try (InputStream b = r.body()) {
                    b.transferTo(java.io.OutputStream.nullOutputStream());
                }
                return new Response(r.statusCode(), InputStream.nullInputStream());
            }
            return new Response(r.statusCode(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + uri, e);
        } catch (IOException e) {
            throw new IOException("cannot reach " + uri.getScheme() + "://" + uri.getAuthority() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    long requestCount() {
        return requests.get();
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
}
