package dev.modelreg.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.OciReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Blob downloads on the direct path, against loopback HTTP servers shaped like a registry that keeps its blobs
 * behind a CDN (what ghcr.io and Docker Hub do): a 307 to another origin is followed without the registry's
 * credentials, and a 401 on the direct path hands the request back to oras' auth handling.
 */
class BlobRedirectTest {
    static final byte[] BLOB = "the blob's bytes\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
    static final Descriptor D = Descriptor.of(MediaTypes.FILE_LAYER, Digest.sha256Of(BLOB), BLOB.length);
    static final String BASIC = "Basic " + Base64.getEncoder().encodeToString("u:p".getBytes(StandardCharsets.UTF_8));

    HttpServer registry;
    HttpServer cdn;
    final List<String> registryAuth = new CopyOnWriteArrayList<>();
    final List<String> cdnAuth = new CopyOnWriteArrayList<>();
    final AtomicBoolean refuseDirectOnce = new AtomicBoolean();

    @BeforeEach
    void start() throws IOException {
        cdn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        cdn.createContext("/", x -> {
            cdnAuth.add(String.valueOf(x.getRequestHeaders().getFirst("Authorization")));
            send(x, 200, BLOB);
        });
        cdn.start();
        registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        registry.createContext("/v2/", x -> {
            String auth = x.getRequestHeaders().getFirst("Authorization");
            registryAuth.add(x.getRequestMethod() + " " + auth);
            if (!BASIC.equals(auth)) {
                x.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test\"");
                send(x, 401, new byte[0]);
            } else if (x.getRequestMethod().equals("HEAD")) {
                x.getResponseHeaders().add("Content-Length", String.valueOf(BLOB.length));
                x.sendResponseHeaders(200, -1);
                x.close();
            } else if (isDirect(x) && refuseDirectOnce.getAndSet(false)) {
                send(x, 401, new byte[0]);
            } else {
                x.getResponseHeaders().add("Location", "http://127.0.0.1:" + cdn.getAddress().getPort() + "/data/" + D.digest().hex());
                send(x, 307, new byte[0]);
            }
        });
        registry.start();
    }

    /** HttpURLConnection (the direct path) and java.net.http (oras) name themselves differently. */
    static boolean isDirect(HttpExchange x) {
        String ua = x.getRequestHeaders().getFirst("User-Agent");
        return ua != null && !ua.startsWith("Java-http-client");
    }

    static void send(HttpExchange x, int status, byte[] body) throws IOException {
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) x.getResponseBody().write(body);
        x.close();
    }

    @AfterEach
    void stop() {
        registry.stop(0);
        cdn.stop(0);
    }

    RegistryStore store() throws IOException {
        return RegistryStore.connect(OciReference.parse("127.0.0.1:" + registry.getAddress().getPort() + "/models/cdn"),
                RegistryOptions.defaults().withCredentials("u", "p"));
    }

    @Test
    void aRedirectToAnotherOriginIsFollowedWithoutCredentials() throws IOException {
        RegistryStore s = store();
        assertThat(s.exists(D)).isTrue(); // the first request of the pull scope goes through oras
        try (InputStream in = s.fetch(D)) {
            assertThat(in.readAllBytes()).isEqualTo(BLOB);
        }
        assertThat(s.directStats()).containsExactly(1L, 0L);
        assertThat(registryAuth).last().isEqualTo("GET " + BASIC);
        assertThat(cdnAuth).containsExactly("null");
    }

    @Test
    void aRefusedDirectRequestIsRedoneThroughOras() throws IOException {
        RegistryStore s = store();
        assertThat(s.exists(D)).isTrue();
        refuseDirectOnce.set(true);
        try (InputStream in = s.fetch(D)) {
            assertThat(in.readAllBytes()).isEqualTo(BLOB);
        }
        assertThat(s.directStats()).containsExactly(0L, 1L);
        assertThat(refuseDirectOnce).isFalse();
        assertThat(cdnAuth).containsExactly("null");
    }
}
