package dev.modelreg.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.Digest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryFixtureTest {
    @TempDir Path tmp;

    private static final HttpClient PLAIN_CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void plainRegistryAnswersAndLogsRequests() throws Exception {
        try (RegistryFixture r = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp)) {
            assertThat(r.host()).matches("127\\.0\\.0\\.1:\\d+");
            assertThat(r.url()).isEqualTo("http://" + r.host());
            assertThat(r.username()).isNull();
            assertThat(r.caFile()).isNull();
            assertThat(r.requests()).as("readiness probes are not reported").isEmpty();

            HttpResponse<String> ok = PLAIN_CLIENT.send(get(r.url() + "/v2/"), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            HttpResponse<String> missing = PLAIN_CLIENT.send(get(r.url() + "/v2/no/such/manifests/tag?x=1"), HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);

            assertThat(r.requests()).containsExactly(
                    new Request("GET", "/v2/", 200),
                    new Request("GET", "/v2/no/such/manifests/tag", 404));

            r.clearRequests();
            assertThat(r.requests()).isEmpty();
            PLAIN_CLIENT.sendAsync(get(r.url() + "/v2/_catalog"), HttpResponse.BodyHandlers.ofString());
            assertThat(r.awaitRequests(l -> !l.isEmpty(), Duration.ofSeconds(10))).containsExactly(new Request("GET", "/v2/_catalog", 200));
            assertThatThrownBy(() -> r.awaitRequests(l -> l.size() > 5, Duration.ofMillis(200)))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("GET /v2/_catalog 200");
            r.clearRequests();
            Digest d = new RegistryHttp(r).pushBlob("some/repo", "hello".getBytes(StandardCharsets.UTF_8));
            assertThat(r.requests()).extracting(Request::method, Request::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("POST", 202), org.assertj.core.groups.Tuple.tuple("PUT", 201));
            assertThat(Files.exists(r.storageDir().resolve("docker/registry/v2/blobs/sha256/" + d.hex().substring(0, 2) + "/" + d.hex() + "/data")))
                    .as("blob stored in the fixture's own storage dir").isTrue();
        }
    }

    @Test
    void closeStopsTheRegistry() throws Exception {
        RegistryFixture r = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp);
        String url = r.url();
        r.close();
        r.close(); // idempotent
        assertThatThrownBy(() -> PLAIN_CLIENT.send(get(url + "/v2/"), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void retriesWithAnotherPortWhenTheChosenOneIsTaken() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.util.Iterator<Integer> ports = java.util.List.of(taken.getLocalPort(), Ports.freeLoopbackPort()).iterator();
            try (RegistryFixture r = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp, ports::next)) {
                assertThat(r.port()).isNotEqualTo(taken.getLocalPort());
                assertThat(PLAIN_CLIENT.send(get(r.url() + "/v2/"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void twoRegistriesRunSideBySide() throws Exception {
        try (RegistryFixture a = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp);
             RegistryFixture b = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp)) {
            assertThat(a.port()).isNotEqualTo(b.port());
            assertThat(a.storageDir()).isNotEqualTo(b.storageDir());
            new RegistryHttp(a).pushBlob("x/y", new byte[] {1, 2, 3});
            assertThat(a.requests()).hasSize(2);
            assertThat(b.requests()).isEmpty();
        }
    }

    @Test
    void basicAuthRejectsMissingAndWrongCredentialsAndAcceptsRightOnes() throws Exception {
        try (RegistryFixture r = RegistryFixture.start(RegistryFixture.Mode.BASIC_AUTH, tmp)) {
            assertThat(r.username()).isNotBlank();
            assertThat(r.password()).isNotBlank();
            HttpResponse<String> none = PLAIN_CLIENT.send(get(r.url() + "/v2/"), HttpResponse.BodyHandlers.ofString());
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic "));
            HttpResponse<String> wrong = PLAIN_CLIENT.send(get(r.url() + "/v2/", r.username(), r.password() + "x"), HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).isEqualTo(401);
            HttpResponse<String> right = PLAIN_CLIENT.send(get(r.url() + "/v2/", r.username(), r.password()), HttpResponse.BodyHandlers.ofString());
            assertThat(right.statusCode()).isEqualTo(200);
            assertThat(r.requests()).extracting(Request::status).containsExactly(401, 401, 200);
        }
    }

    @Test
    void tlsRegistryIsTrustedThroughItsCaFileOnly() throws Exception {
        try (RegistryFixture r = RegistryFixture.start(RegistryFixture.Mode.TLS_BASIC_AUTH, tmp)) {
            assertThat(r.url()).isEqualTo("https://" + r.host());
            assertThat(Files.readString(r.caFile())).startsWith("-----BEGIN CERTIFICATE-----");

            HttpClient trusting = HttpClient.newBuilder().sslContext(TestCertificates.trustOnly(r.caFile()))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            assertThat(trusting.send(get(r.url() + "/v2/"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            assertThat(trusting.send(get(r.url() + "/v2/", r.username(), r.password()), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);

            // the JDK's default trust store does not know the throw-away CA
            assertThatThrownBy(() -> PLAIN_CLIENT.send(get(r.url() + "/v2/"), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(SSLHandshakeException.class);
            // and a different CA is not accepted either
            TestCertificates other = TestCertificates.generate(tmp.resolve("other-ca"));
            HttpClient wrongCa = HttpClient.newBuilder().sslContext(TestCertificates.trustOnly(other.caFile())).build();
            assertThatThrownBy(() -> wrongCa.send(get(r.url() + "/v2/"), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(SSLHandshakeException.class);

            Digest d = new RegistryHttp(r).pushBlob("tls/repo", "over tls".getBytes(StandardCharsets.UTF_8));
            assertThat(new RegistryHttp(r).getBlob("tls/repo", d)).asString().isEqualTo("over tls");
        }
    }

    @Test
    void accessLogParserReadsDistributionsCombinedFormat() {
        var lines = java.util.List.of(
                "time=\"2026-11-26T11:12:15Z\" level=info msg=\"listening on 127.0.0.1:45123\"",
                "127.0.0.1 - - [26/Nov/2026:11:12:17 +0000] \"GET /v2/ HTTP/1.1\" 200 2 \"\" \"curl/7.88.1\"",
                "127.0.0.1 - - [26/Nov/2026:11:12:24 +0000] \"HEAD /v2/x/blobs/sha256:00 HTTP/1.1\" 404 157 \"\" \"Java-http-client/17\"",
                "127.0.0.1 - - [26/Nov/2026:11:12:24 +0000] \"POST /v2/a/blobs/uploads/?mount=sha256:11&from=b HTTP/1.1\" 201 0 \"\" \"x\"");
        assertThat(AccessLog.parse(lines)).containsExactly(
                new Request("GET", "/v2/", 200),
                new Request("HEAD", "/v2/x/blobs/sha256:00", 404),
                new Request("POST", "/v2/a/blobs/uploads/", 201));
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
    }

    private static HttpRequest get(String url, String user, String password) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .GET().build();
    }
}
