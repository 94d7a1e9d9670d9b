package dev.modelreg.cli;

import dev.modelreg.publisher.CreationTime;
import dev.modelreg.publisher.PublishException;
import dev.modelreg.publisher.Push;
import dev.modelreg.spec.GitHubUrls;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * push's provenance flags: where the models come from (a GitHub repository at a git ref) and when they were made,
 * recorded in the manifest's annotations ({@code org.opencontainers.image.created}, {@code .source}, the git ref).
 */
public final class ProvenanceFlags {
    @Option(names = "--created", paramLabel = "TIME|now",
            description = "org.opencontainers.image.created (default: SOURCE_DATE_EPOCH, else the git commit time, else 1970-01-01T00:00:00Z).")
    String created;

    @Option(names = "--source-url", paramLabel = "URL", description = "org.opencontainers.image.source (default: https://github.com/OWNER/NAME of --repo, else of a GitHub origin remote).")
    String sourceUrl;

    @Option(names = "--repo", paramLabel = "OWNER/NAME", description = "The GitHub repository the models come from.")
    String repo;

    @Option(names = "--ref", paramLabel = "REF",
            description = "The git ref (recorded verbatim); without a TAG, the tag is its escaped form (feature/x -> feature_2fx).")
    String ref;

    /** Sets the request's creation time ({@code --created}, else from {@code env}), source URL, GitHub repository and ref. */
    Push.Request.Builder applyTo(Push.Request.Builder request, Map<String, String> env) throws PublishException {
        return request.created(created != null ? CreationTime.parse(created) : CreationTime.fromEnvironment(env))
                .sourceUrl(sourceUrl).repo(repo == null ? null : GitHubUrls.Repo.parse(repo)).ref(ref);
    }
}
