package dev.modelreg.content;

import dev.modelreg.content.store.RegistryStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.OciReference;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A registry that sends the start of a blob and then goes silent (a real HTTP server on loopback that stops
 * writing): the read fails with UNAVAILABLE after the stall timeout instead of hanging the pull forever.
 */
class StallTimeoutTest {
    @Test
    void stalledBlobDownloadFailsAfterTheTimeout() throws Exception {
        byte[] blob = new byte[64 * 1024];
        Descriptor d = Descriptor.of("application/octet-stream", Digest.sha256Of(blob), blob.length);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", ex -> {
            if (ex.getRequestURI().getPath().contains("/blobs/")) {
                ex.sendResponseHeaders(200, blob.length);
                OutputStream out = ex.getResponseBody();
                out.write(blob, 0, 100);
                out.flush();
                try {
                    release.await(30, TimeUnit.SECONDS); // silent until the test is done (bounded)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.close();
                return;
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
        try {
            String host = "127.0.0.1:" + server.getAddress().getPort();
            RegistryStore store = RegistryStore.connect(OciReference.parse(host + "/models/stall"),
                    RegistryOptions.defaults().withStallTimeout(Duration.ofSeconds(2)));
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> {
                try (InputStream in = store.fetch(d)) {
                    in.readAllBytes();
                }
            }).isInstanceOfSatisfying(ContentException.class, e -> {
                assertThat(e.kind()).isEqualTo(ContentException.Kind.UNAVAILABLE);
                assertThat(e.getMessage()).contains(d.digest().toString()).contains("moved in 2 s, giving up");
            });
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            assertThat(seconds).as("gave up after the stall timeout, not at the server's 30 s").isBetween(1L, 10L);
            assertThat(Thread.currentThread().isInterrupted()).as("the watchdog's interrupt does not leak").isFalse();
        } finally {
            release.countDown();
            server.stop(0);
        }
    }

    @Test
    void stallTimeoutComesFromTheEnvironment() {
        assertThat(RegistryOptions.fromEnvironment(java.util.Map.of()).stallTimeout())
                .isEqualTo(dev.modelreg.content.http.HttpOptions.DEFAULT_STALL_TIMEOUT);
        assertThat(RegistryOptions.fromEnvironment(java.util.Map.of("MODELREG_STALL_TIMEOUT", "5")).stallTimeout())
                .isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> RegistryOptions.fromEnvironment(java.util.Map.of("MODELREG_STALL_TIMEOUT", "soon")))
                .hasMessageContaining("MODELREG_STALL_TIMEOUT");
    }
}
