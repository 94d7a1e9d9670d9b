package dev.modelreg.testkit;

import static dev.modelreg.testkit.OciTestData.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Digest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the Debian registry (distribution 2.8.2) really behaves on the calls our RegistryStore makes; pinned here so a
 * registry upgrade that changes them shows up as a failing test, not as a mystery in the product's tests.
 */
class DistributionFactsTest {
    @TempDir Path tmp;
    private RegistryFixture r;
    private RegistryHttp http;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() {
        r = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp);
        http = new RegistryHttp(r);
    }

    @AfterEach
    void stop() {
        r.close();
    }

    @Test
    void monolithicPostWithDigestIsNotSupported_itOnlyOpensAnUploadSession() throws Exception {
        byte[] blob = utf8("single request upload");
        Digest d = Digest.sha256Of(blob);
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(r.url() + "/v2/a/b/blobs/uploads/?digest=" + d))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(202);
        assertThat(post.headers().firstValue("Location")).isPresent();
        assertThat(http.send("HEAD", "/v2/a/b/blobs/" + d, null).statusCode()).as("the body was ignored").isEqualTo(404);
    }

    @Test
    void streamedChunkedPutFinishesAnUpload() throws Exception {
        byte[] blob = new byte[200_000];
        new java.util.Random(3).nextBytes(blob);
        Digest d = Digest.sha256Of(blob);
        HttpResponse<String> start = http.send("POST", "/v2/a/b/blobs/uploads/", null);
        URI location = URI.create(r.url()).resolve(start.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> put = client.send(HttpRequest.newBuilder(URI.create(location + "&digest=" + d))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(blob))) // no Content-Length
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("Docker-Content-Digest")).hasValue(d.toString());
        assertThat(http.getBlob("a/b", d)).isEqualTo(blob);
    }

    @Test
    void wrongDigestOnPutIsRejectedAndNothingIsStored() throws Exception {
        byte[] blob = utf8("real content");
        Digest claimed = Digest.sha256Of(utf8("other content"));
        HttpResponse<String> start = http.send("POST", "/v2/a/b/blobs/uploads/", null);
        URI location = URI.create(r.url()).resolve(start.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> put = client.send(HttpRequest.newBuilder(URI.create(location + "&digest=" + claimed))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(put.body()).contains("DIGEST_INVALID");
        assertThat(http.send("HEAD", "/v2/a/b/blobs/" + claimed, null).statusCode()).isEqualTo(404);
        assertThat(http.send("HEAD", "/v2/a/b/blobs/" + Digest.sha256Of(blob), null).statusCode()).isEqualTo(404);
    }

    @Test
    void crossRepositoryMountAnswers201WhenTheSourceHasTheBlobElse202() {
        Digest d = http.pushBlob("src/repo", utf8("mount me"));
        r.clearRequests();
        HttpResponse<String> mounted = http.send("POST", "/v2/dst/repo/blobs/uploads/?mount=" + d + "&from=src/repo", null);
        assertThat(mounted.statusCode()).isEqualTo(201);
        assertThat(mounted.headers().firstValue("Docker-Content-Digest")).hasValue(d.toString());
        assertThat(http.getBlob("dst/repo", d)).asString().isEqualTo("mount me");

        Digest absent = Digest.sha256Of(utf8("not anywhere"));
        HttpResponse<String> fallback = http.send("POST", "/v2/dst/repo/blobs/uploads/?mount=" + absent + "&from=src/repo", null);
        assertThat(fallback.statusCode()).as("falls back to a normal upload session").isEqualTo(202);
        assertThat(r.requests()).contains(new Request("POST", "/v2/dst/repo/blobs/uploads/", 201),
                new Request("POST", "/v2/dst/repo/blobs/uploads/", 202));
    }

    @Test
    void manifestReferencingAMissingBlobIsRejected() {
        Digest config = http.pushBlob("a/b", utf8("{}"));
        Digest missing = Digest.sha256Of(utf8("never pushed"));
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.modelreg.registry.v1+toml\",\"digest\":\"" + config + "\",\"size\":2},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.modelreg.file.v1\",\"digest\":\"" + missing + "\",\"size\":12}]}";
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        http.putManifest("a/b", "t", "application/vnd.oci.image.manifest.v1+json", utf8(manifest)))
                .hasMessageContaining("400").hasMessageContaining("MANIFEST_BLOB_UNKNOWN").hasMessageContaining(missing.toString());
    }

    @Test
    void referrersApiIsNotImplemented() {
        assertThat(http.send("GET", "/v2/a/b/referrers/" + Digest.sha256Of(utf8("x")), null).statusCode()).isEqualTo(404);
    }
}
