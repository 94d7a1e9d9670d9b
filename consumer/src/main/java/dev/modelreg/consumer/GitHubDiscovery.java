package dev.modelreg.consumer;

import dev.modelreg.content.http.HttpTransport;
import dev.modelreg.content.http.Request;
import dev.modelreg.content.http.Response;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.GitHubUrls;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import dev.modelreg.spec.RegistryFormatException;
import dev.modelreg.spec.SourceConfig;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Finds the registry file of a GitHub-mode ref as modflow-devtools does: the release asset
 * {@code {github}/{owner}/{repo}/releases/download/{ref}/models.toml} first (a 404 falls through), then the raw file
 * {@code {raw}/{owner}/{repo}/{ref}/{registry_path}/models.toml}; the same error texts for the same failures.
 */
final class GitHubDiscovery {
    private final Settings settings;
    private final Supplier<HttpTransport> http;
    private final AtomicLong requests;

    GitHubDiscovery(Settings settings, Supplier<HttpTransport> http, AtomicLong requests) {
        this.settings = settings;
        this.http = http;
        this.requests = requests;
    }

    /** The discovered registry file: its exact bytes, the mode and where it came from. */
    record Discovered(byte[] bytes, ModelsToml registry, String transport, String url) {}

    Discovered discover(SourceConfig s, String ref) throws IOException {
        String label = "'" + s.name() + "@" + ref + "'";
        GitHubUrls.Repo repo = GitHub.repoOf(s);
        String release = settings.github().releaseAsset(repo, ref, "models.toml");
        try {
            byte[] b = fetchBytes(release, "registry file of " + label);
            if (b != null) return parsed(b, RefState.GITHUB_RELEASE, release, label);
        } catch (GitHub.Status e) {
            throw new ConsumerException(e.kind(), "Error fetching registry from release assets for " + label + ": " + e.getMessage());
        } catch (ConsumerException e) {
            throw e; // said in its own words already
        } catch (IOException e) {
            throw new ConsumerException("Registry discovery failed for " + label + ": " + e.getMessage(), e);
        }
        String path = GitHub.registryPath(s);
        String raw = settings.github().rawFile(repo, ref, (path.isEmpty() ? "" : path + "/") + "models.toml");
        try {
            byte[] b = fetchBytes(raw, "registry file of " + label);
            if (b == null) {
                throw ConsumerException.notFound("Registry file 'models.toml' not found in " + s.registryPath() + " for " + label);
            }
            return parsed(b, RefState.GITHUB_RAW, raw, label);
        } catch (GitHub.Status e) {
            throw new ConsumerException(e.kind(), "Error fetching registry from repository for " + label + ": " + e.getMessage());
        } catch (ConsumerException e) {
            throw e; // said in its own words already
        } catch (IOException e) {
            throw new ConsumerException("Registry discovery failed for " + label + ": " + e.getMessage(), e);
        }
    }

    static RefState stateFor(SourceConfig s, String ref, Discovered d) {
        Digest digest = Digest.sha256Of(d.bytes());
        return new RefState(s.key(), s.name(), ref, d.transport(), digest, digest, null, d.url(),
                Instant.now().toString(), Map.of());
    }

    private Discovered parsed(byte[] b, String transport, String url, String label) throws ConsumerException {
        try {
            return new Discovered(b, ModelsTomlCodec.read(b, url), transport, url);
        } catch (RegistryFormatException e) {
            throw new ConsumerException("Registry discovery failed for " + label + ": " + e.getMessage(), e);
        }
    }

    /** Null on 404; the body on 2xx; {@link GitHub.Status} otherwise. */
    private byte[] fetchBytes(String url, String what) throws IOException {
        requests.incrementAndGet();
        try (Response r = http.get().send(Request.get(URI.create(url), what, null))) {
            if (r.status() == 404) return null;
            if (!r.ok()) throw new GitHub.Status(r.status());
            return r.bytes(Limits.MAX_REGISTRY_BYTES);
        }
    }
}
