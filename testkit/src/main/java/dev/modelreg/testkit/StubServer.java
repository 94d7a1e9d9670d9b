package dev.modelreg.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP or HTTPS server whose answers a test scripts (for behaviours the real registry never shows: CDN
 * redirects, redirect loops, 503s, a token realm elsewhere). Every request is recorded with its Authorization
 * header, so a test can prove where credentials went.
 */
public final class StubServer implements AutoCloseable {
    /** What a request carried. */
    public record Seen(String method, String path, String authorization, String range) {}

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    private StubServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Plain HTTP on {@code address} (127.0.0.1 or another loopback address), ephemeral port. */
    public static StubServer http(String address, HttpHandler handler) {
        try {
            return start(HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 50), handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** HTTPS on 127.0.0.1 with the server certificate of {@code certs}. */
    public static StubServer https(TestCertificates certs, HttpHandler handler) {
        try {
            HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            s.setHttpsConfigurator(new HttpsConfigurator(certs.serverContext()));
            return start(s, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StubServer start(HttpServer s, HttpHandler handler) {
        ExecutorService ex = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "stub-server");
            t.setDaemon(true);
            return t;
        });
        StubServer stub = new StubServer(s, ex);
        s.createContext("/", x -> {
            stub.seen.add(new Seen(x.getRequestMethod(), x.getRequestURI().toString(),
                    x.getRequestHeaders().getFirst("Authorization"), x.getRequestHeaders().getFirst("Range")));
            try {
                handler.handle(x);
            } finally {
                x.close();
            }
        });
        s.setExecutor(ex);
        s.start();
        return stub;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code ADDRESS:PORT}. */
    public String host() {
        return server.getAddress().getAddress().getHostAddress() + ":" + port();
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** Sends {@code status} with {@code body} (null: none) and the given header pairs. */
    public static void answer(HttpExchange x, int status, byte[] body, String... headers) throws IOException {
        for (int i = 0; i + 1 < headers.length; i += 2) x.getResponseHeaders().add(headers[i], headers[i + 1]);
        boolean head = x.getRequestMethod().equals("HEAD");
        if (body == null || body.length == 0 || head) {
            if (head && body != null) x.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
            x.sendResponseHeaders(status, -1);
        } else {
            x.sendResponseHeaders(status, body.length);
            x.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
