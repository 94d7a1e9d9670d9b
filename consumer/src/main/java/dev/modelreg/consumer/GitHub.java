package dev.modelreg.consumer;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.http.Failures;
import dev.modelreg.spec.GitHubUrls;
import dev.modelreg.spec.SourceConfig;
import java.io.IOException;

/** Small rules of GitHub mode: statuses in modflow-devtools' words (its error messages embed them), a source's repository and registry path. */
final class GitHub {
    private GitHub() {}

    /** A status the modflow-devtools messages embed as Python's urllib words it. */
    static final class Status extends IOException {
        private final int status;

        Status(int status) {
            super(error(status));
            this.status = status;
        }

        ContentException.Kind kind() {
            return Failures.kindOf(status);
        }
    }

    /** Python urllib's wording ("HTTP Error 404: Not Found"). */
    static String error(int status) {
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

    /** The repository of a GitHub-mode source, or a one-line error naming it. */
    static GitHubUrls.Repo repoOf(SourceConfig s) throws ConsumerException {
        try {
            return GitHubUrls.Repo.parse(s.repo() == null ? "" : s.repo());
        } catch (IllegalArgumentException e) {
            throw new ConsumerException("source '" + s.key() + "': repo must be OWNER/NAME, got '" + s.repo() + "'");
        }
    }

    /** The directory of a source's models.toml in its repository, without leading or trailing '/' ("" for the root). */
    static String registryPath(SourceConfig s) {
        String p = s.registryPath() == null ? ".registry" : s.registryPath();
        while (p.startsWith("/")) p = p.substring(1);
        while (p.endsWith("/")) p = p.substring(0, p.length() - 1);
        return p.equals(".") ? "" : p;
    }
}
