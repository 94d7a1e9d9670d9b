package dev.modelreg.content;

import dev.modelreg.content.store.RegistryStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import dev.modelreg.content.http.HttpOptions;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.OciReference;
import dev.modelreg.testkit.StubServer;
import dev.modelreg.testkit.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The rules of the one transport, against loopback servers shaped like registries in the ways the real registry
 * never is: a CDN behind a redirect, relative and looping redirects, https to http, a token realm on plain http on
 * another host, 503 and 429 answers, a reset connection, a server that never answers, a body that trickles.
 */
@Isolated // it bounds the time of retries (to within a few seconds).
class TransportRulesTest {
    static final byte[] BLOB = "the blob's bytes\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
    static final Descriptor D = Descriptor.of(MediaTypes.FILE_LAYER, Digest.sha256Of(BLOB), BLOB.length);
    static final byte[] MANIFEST = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
    static final String BASIC = "Basic " + Base64.getEncoder().encodeToString("u:p".getBytes(StandardCharsets.UTF_8));

    @TempDir Path tmp;

    static RegistryStore store(String host, RegistryOptions o) {
        return RegistryStore.connect(OciReference.parse(host + "/models/x"), o);
    }

    /** A manifest HEAD answer with the headers resolve reads. */
    static void manifestHead(HttpExchange x) throws IOException {
        StubServer.answer(x, 200, MANIFEST, "Content-Type", MediaTypes.OCI_MANIFEST,
                "Docker-Content-Digest", Digest.sha256Of(MANIFEST).toString());
    }

    @Test
    void credentialsGoOnlyAfterAChallengeAndNeverToAnotherOrigin() throws IOException {
        try (StubServer cdn = StubServer.http("127.0.0.1", x -> StubServer.answer(x, 200, BLOB));
             StubServer reg = StubServer.http("127.0.0.1", x -> {
                 if (!BASIC.equals(x.getRequestHeaders().getFirst("Authorization"))) {
                     StubServer.answer(x, 401, null, "WWW-Authenticate", "Basic realm=\"test\"");
                 } else if (x.getRequestURI().getPath().endsWith("/hop")) {
                     StubServer.answer(x, 307, null, "Location", "http://127.0.0.1:" + cdn.port() + "/data/" + D.digest().hex());
                 } else {
                     StubServer.answer(x, 307, null, "Location", "hop"); // relative, same origin
                 }
             })) {
            RegistryStore s = store(reg.host(), RegistryOptions.defaults().withCredentials("u", "p"));
            try (InputStream in = s.fetch(D)) {
                assertThat(in.readAllBytes()).isEqualTo(BLOB);
            }
            List<StubServer.Seen> r = reg.seen();
            assertThat(r.get(0).authorization()).as("the first request carries no credentials").isNull();
            assertThat(r.subList(1, r.size())).extracting(StubServer.Seen::authorization).containsOnly(BASIC);
            assertThat(r).extracting(StubServer.Seen::path).last().asString().endsWith("/hop");
            assertThat(cdn.seen()).singleElement().satisfies(q -> assertThat(q.authorization()).isNull());
        }
    }

    @Test
    void aRedirectFromHttpsToHttpIsRefused() throws IOException {
        TestCertificates certs = TestCertificates.generate(tmp.resolve("certs"));
        try (StubServer plain = StubServer.http("127.0.0.1", x -> StubServer.answer(x, 200, BLOB));
             StubServer reg = StubServer.https(certs, x -> StubServer.answer(x, 302, null, "Location",
                     "http://127.0.0.1:" + plain.port() + "/data"))) {
            RegistryStore s = store(reg.host(), RegistryOptions.defaults().withCaFile(certs.caFile()));
            assertThat(s.scheme()).isEqualTo("https");
            assertThatThrownBy(() -> s.fetch(D).close())
                    .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.INVALID))
                    .hasMessageContaining("from https to plain http")
                    .hasMessageContaining(D.digest().toString());
            assertThat(plain.seen()).isEmpty();
        }
    }

    @Test
    void aManifestRedirectLoopEndsInOneLine() {
        AtomicInteger n = new AtomicInteger();
        try (StubServer reg = StubServer.http("127.0.0.1", x ->
                StubServer.answer(x, 302, null, "Location", "/v2/models/x/manifests/v1?n=" + n.incrementAndGet()))) {
            RegistryStore s = store(reg.host(), RegistryOptions.defaults());
            assertThatThrownBy(() -> s.resolve("v1"))
                    .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.INVALID))
                    .hasMessageStartingWith("too many redirects (10) for tag 'v1' at " + reg.host() + "/models/x")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            assertThat(reg.seen()).hasSize(10);
        }
    }

    @Test
    void noCredentialsReachAPlainHttpRealmOfAnHttpsRegistry() throws IOException {
        TestCertificates certs = TestCertificates.generate(tmp.resolve("certs"));
        try (StubServer realm = StubServer.http("127.0.0.2", x -> StubServer.answer(x, 200,
                "{\"token\":\"anonymous\"}".getBytes(StandardCharsets.UTF_8)));
             StubServer reg = StubServer.https(certs, x -> {
                 if ("Bearer anonymous".equals(x.getRequestHeaders().getFirst("Authorization"))) manifestHead(x);
                 else StubServer.answer(x, 401, null, "WWW-Authenticate",
                         "Bearer realm=\"http://" + realm.host() + "/token\",service=\"reg\"");
             })) {
            RegistryStore withCredentials = store(reg.host(), RegistryOptions.defaults().withCaFile(certs.caFile())
                    .withCredentials("u", "secret-password"));
            assertThatThrownBy(() -> withCredentials.resolve("v1"))
                    .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.UNAUTHORIZED))
                    .hasMessageContaining("refusing to send the credentials for " + reg.host())
                    .hasMessageContaining("plain-http token service")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-password"));
            assertThat(realm.seen()).as("the realm never saw the credentials").isEmpty();
            // without credentials an anonymous token from that realm is fine: there is no secret to leak
            RegistryStore anonymous = store(reg.host(), RegistryOptions.defaults().withCaFile(certs.caFile()));
            assertThat(anonymous.resolve("v1").digest()).isEqualTo(Digest.sha256Of(MANIFEST));
            assertThat(realm.seen()).singleElement().satisfies(q -> assertThat(q.authorization()).isNull());
        }
    }

    @Test
    void aPlainHttpRegistrySendsCredentialsOnlyToARealmOnItsOwnHostOrOnLoopback() throws IOException {
        String[] realm = new String[1];
        byte[] token = "{\"token\":\"t0k\"}".getBytes(StandardCharsets.UTF_8);
        try (StubServer own = StubServer.http("127.0.0.1", x -> StubServer.answer(x, 200, token));
             StubServer loopback = StubServer.http("127.0.0.2", x -> StubServer.answer(x, 200, token));
             StubServer reg = StubServer.http("127.0.0.1", x -> {
                 if ("Bearer t0k".equals(x.getRequestHeaders().getFirst("Authorization"))) manifestHead(x);
                 else StubServer.answer(x, 401, null, "WWW-Authenticate", "Bearer realm=\"" + realm[0] + "\",service=\"reg\"");
             })) {
            RegistryOptions creds = RegistryOptions.defaults().withCredentials("u", "secret-password");
            // a challenge rewritten on the way (it came over plain http) names another host: the password stays here
            for (String far : List.of("http://tokens.example.invalid/token", "https://tokens.example.invalid:8443/token")) {
                realm[0] = far;
                RegistryStore s = store(reg.host(), creds);
                assertThat(s.scheme()).isEqualTo("http");
                assertThatThrownBy(() -> s.resolve("v1"))
                        .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.UNAUTHORIZED))
                        .hasMessage("refusing to send the credentials for " + reg.host() + " (from the given user and password)"
                                + " to the token service " + far + ": the token realm of a plain-http registry must be on its"
                                + " own host or on loopback");
            }
            // its own host (on another port) and another loopback address: the credentials go, the token comes back
            String basic = "Basic " + Base64.getEncoder().encodeToString("u:secret-password".getBytes(StandardCharsets.UTF_8));
            for (StubServer near : List.of(own, loopback)) {
                realm[0] = "http://" + near.host() + "/token";
                assertThat(store(reg.host(), creds).resolve("v1").digest()).isEqualTo(Digest.sha256Of(MANIFEST));
                assertThat(near.seen()).singleElement().satisfies(q -> assertThat(q.authorization()).isEqualTo(basic));
            }
        }
    }

    @Test
    void a503IsRetriedAndA429WaitsAsAsked() throws IOException {
        AtomicInteger heads = new AtomicInteger();
        try (StubServer reg = StubServer.http("127.0.0.1", x -> {
            int i = heads.incrementAndGet();
            if (i <= 2) StubServer.answer(x, 503, null);
            else if (i == 3) StubServer.answer(x, 429, null, "Retry-After", "1");
            else manifestHead(x);
        })) {
            long t0 = System.nanoTime();
            assertThat(store(reg.host(), RegistryOptions.defaults()).resolve("v1").digest()).isEqualTo(Digest.sha256Of(MANIFEST));
            assertThat(heads.get()).isEqualTo(4);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
        try (StubServer reg = StubServer.http("127.0.0.1", x -> StubServer.answer(x, 429, null, "Retry-After", "3600"))) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> store(reg.host(), RegistryOptions.defaults()).resolve("v1"))
                    .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.UNAVAILABLE))
                    .hasMessageContaining("HTTP 429");
            assertThat(reg.seen()).as("a Retry-After beyond the limit is not waited for").hasSize(1);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        }
        try (StubServer reg = StubServer.http("127.0.0.1", x -> StubServer.answer(x, 503, null))) {
            assertThatThrownBy(() -> store(reg.host(), RegistryOptions.defaults()).resolve("v1"))
                    .hasMessageContaining("HTTP 503");
            assertThat(reg.seen()).as("the first try and three retries").hasSize(1 + HttpOptions.DEFAULT_RETRIES);
        }
    }

    @Test
    void aResetConnectionIsRetried() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        try (Socket c = server.accept()) {
                            readHeaders(c.getInputStream());
                            if (connections.incrementAndGet() == 1) {
                                c.setSoLinger(true, 0); // close with RST: "Connection reset" on the client
                                continue;
                            }
                            OutputStream out = c.getOutputStream();
                            out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + MediaTypes.OCI_MANIFEST + "\r\nDocker-Content-Digest: "
                                    + Digest.sha256Of(MANIFEST) + "\r\nContent-Length: " + MANIFEST.length + "\r\nConnection: close\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                        }
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
            RegistryStore s = store("127.0.0.1:" + server.getLocalPort(), RegistryOptions.defaults());
            assertThat(s.resolve("v1").digest()).isEqualTo(Digest.sha256Of(MANIFEST));
            assertThat(connections.get()).isEqualTo(2);
        }
    }

    @Test
    void aServerThatNeverAnswersFailsWithinTheTimeout() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        Socket c = server.accept(); // accepted, read, never answered (closed when the test ends)
                        readHeaders(c.getInputStream());
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
            RegistryStore s = store("127.0.0.1:" + server.getLocalPort(), RegistryOptions.defaults()
                    .withRequestTimeout(Duration.ofSeconds(2)));
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> s.resolve("v1"))
                    .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.UNAVAILABLE))
                    .hasMessage("127.0.0.1:" + server.getLocalPort() + "/models/x did not answer within 2 s for tag 'v1' (MODELREG_TIMEOUT)");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(6));
        }
    }

    @Test
    void aTricklingBodyFailsUnderTheStallRule() {
        try (StubServer reg = StubServer.http("127.0.0.1", x -> {
            x.sendResponseHeaders(200, BLOB.length);
            OutputStream out = x.getResponseBody();
            try {
                for (int i = 0; i < 30; i++) { // a byte every 400 ms: far below 1 KiB/s
                    out.write(BLOB[i]);
                    out.flush();
                    Thread.sleep(400);
                }
            } catch (IOException | InterruptedException e) {
                // the client gave up
            }
        })) {
            RegistryStore s = store(reg.host(), RegistryOptions.defaults().withStallTimeout(Duration.ofSeconds(2)));
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> {
                try (InputStream in = s.fetch(D)) {
                    in.readAllBytes();
                }
            }).isInstanceOfSatisfying(ContentException.class, e -> {
                assertThat(e.kind()).isEqualTo(ContentException.Kind.UNAVAILABLE);
                assertThat(e.isTransient()).isTrue();
                assertThat(e.getMessage()).contains(D.digest().toString()).contains("less than 2048 bytes moved in 2 s");
            });
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(6));
        }
    }

    @Test
    void aResumeAnsweredWithAnotherRangeIsRefused() throws IOException {
        for (String range : List.of("bytes 5-" + (BLOB.length - 1) + "/" + BLOB.length, "bytes 10-" + (BLOB.length - 1) + "/999",
                "bytes 10-4/" + BLOB.length, "pages 10-20/30")) {
            try (StubServer reg = StubServer.http("127.0.0.1", x -> StubServer.answer(x, 206,
                    java.util.Arrays.copyOfRange(BLOB, 10, BLOB.length), "Content-Range", range))) {
                RegistryStore s = store(reg.host(), RegistryOptions.defaults());
                assertThatThrownBy(() -> s.fetch(D, 10).in().close()).as(range)
                        .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.INVALID))
                        .hasMessageContaining("from byte 10 with the range '" + range + "'");
                assertThat(reg.seen()).singleElement().satisfies(q -> assertThat(q.range()).isEqualTo("bytes=10-"));
            }
        }
        try (StubServer reg = StubServer.http("127.0.0.1", x -> StubServer.answer(x, 206,
                java.util.Arrays.copyOfRange(BLOB, 10, BLOB.length), "Content-Range", "bytes 10-" + (BLOB.length - 1) + "/" + BLOB.length))) {
            try (InputStream in = store(reg.host(), RegistryOptions.defaults()).fetch(D, 10).in()) {
                assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(BLOB, 10, BLOB.length));
            }
        }
    }

    static void readHeaders(InputStream in) throws IOException {
        int state = 0;
        for (int b; (b = in.read()) >= 0; ) {
            state = (b == '\r' || b == '\n') ? state + 1 : 0;
            if (state == 4) return;
        }
    }
}
