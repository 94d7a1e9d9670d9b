package dev.modelreg.testkit;

import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * A deliberately tiny, independent registry client (plain java.net.http, OCI distribution API by hand) so tests
 * can seed or inspect a {@link RegistryFixture} without going through the code under test. Every non-success
 * answer throws an AssertionError with the status and body.
 */
public final class RegistryHttp {
    private final RegistryFixture registry;
    private final HttpClient client;

    public RegistryHttp(RegistryFixture registry) {
        this.registry = registry;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (registry.sslContext() != null) b.sslContext(registry.sslContext());
        this.client = b.build();
    }

    /** Uploads a blob (POST to start, PUT with ?digest= to finish) and returns its digest. */
    public Digest pushBlob(String repository, byte[] content) {
        Digest digest = Digest.sha256Of(content);
        HttpResponse<String> start = send(request("/v2/" + repository + "/blobs/uploads/")
                .POST(HttpRequest.BodyPublishers.noBody()), 202, "start blob upload");
        String location = start.headers().firstValue("Location")
                .orElseThrow(() -> new AssertionError("blob upload start without Location header"));
        URI uri = URI.create(registry.url()).resolve(location);
        String sep = uri.getRawQuery() == null ? "?" : "&";
        send(authorized(HttpRequest.newBuilder(URI.create(uri + sep + "digest=" + digest)))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)), 201, "finish blob upload " + digest);
        return digest;
    }

    /** PUTs manifest bytes under a tag or digest reference and returns the digest the registry reports. */
    public Digest putManifest(String repository, String reference, String mediaType, byte[] manifest) {
        HttpResponse<String> r = send(request("/v2/" + repository + "/manifests/" + reference)
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)), 201, "put manifest " + repository + ":" + reference);
        return Digest.parse(r.headers().firstValue("Docker-Content-Digest")
                .orElseThrow(() -> new AssertionError("manifest PUT without Docker-Content-Digest")));
    }

    /** GETs a manifest's exact bytes, accepting the given media type. */
    public byte[] getManifest(String repository, String reference, String accept) {
        HttpRequest req = request("/v2/" + repository + "/manifests/" + reference).header("Accept", accept).GET().build();
        HttpResponse<byte[]> r = exchange(req, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new AssertionError("get manifest " + repository + ":" + reference + ": HTTP " + r.statusCode()
                    + " " + new String(r.body(), StandardCharsets.UTF_8));
        }
        return r.body();
    }

    /** GETs a blob's bytes. */
    public byte[] getBlob(String repository, Digest digest) {
        HttpRequest req = request("/v2/" + repository + "/blobs/" + digest).GET().build();
        HttpResponse<byte[]> r = exchange(req, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) throw new AssertionError("get blob " + digest + ": HTTP " + r.statusCode());
        return r.body();
    }

    /** Sends any request (path relative to the registry root, e.g. {@code /v2/}) and returns the raw answer. */
    public HttpResponse<String> send(String method, String path, String accept) {
        HttpRequest.Builder b = request(path).method(method, HttpRequest.BodyPublishers.noBody());
        if (accept != null) b.header("Accept", accept);
        return exchange(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return authorized(HttpRequest.newBuilder(URI.create(registry.url() + path)));
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder b) {
        b.timeout(Duration.ofSeconds(30));
        if (registry.username() != null) {
            String token = registry.username() + ":" + registry.password();
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    private HttpResponse<String> send(HttpRequest.Builder b, int expected, String what) {
        HttpResponse<String> r = exchange(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new AssertionError(what + ": expected HTTP " + expected + ", got " + r.statusCode() + " " + r.body());
        }
        return r;
    }

    private <T> HttpResponse<T> exchange(HttpRequest req, HttpResponse.BodyHandler<T> handler) {
        try {
            return client.send(req, handler);
        } catch (IOException e) {
            throw new AssertionError(req.method() + " " + req.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + req.method() + " " + req.uri(), e);
        }
    }
}
