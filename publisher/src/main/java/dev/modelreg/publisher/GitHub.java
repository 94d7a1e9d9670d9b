package dev.modelreg.publisher;

import java.util.Map;

/**
 * GitHub base URLs, from the environment ({@code MODELREG_GITHUB_URL}, {@code MODELREG_GITHUB_RAW_URL},
 * {@code MODELREG_GITHUB_API_URL}) with the real hosts as defaults, and the URL shapes built from them.
 */
public record GitHub(String webUrl, String rawUrl, String apiUrl) {
    public static final String DEFAULT_WEB = "https://github.com";
    public static final String DEFAULT_RAW = "https://raw.githubusercontent.com";
    public static final String DEFAULT_API = "https://api.github.com";

    public GitHub {
        webUrl = UrlPaths.trimTrailingSlash(webUrl);
        rawUrl = UrlPaths.trimTrailingSlash(rawUrl);
        apiUrl = UrlPaths.trimTrailingSlash(apiUrl);
    }

    public static GitHub fromEnvironment(Map<String, String> env) {
        return new GitHub(env.getOrDefault("MODELREG_GITHUB_URL", DEFAULT_WEB),
                env.getOrDefault("MODELREG_GITHUB_RAW_URL", DEFAULT_RAW),
                env.getOrDefault("MODELREG_GITHUB_API_URL", DEFAULT_API));
    }

    /** {raw}/{owner}/{name}/{ref}[/{pathInRepo}]: a file's url is this + "/" + its key. */
    public String rawBase(Repo repo, String ref, String pathInRepo) {
        String p = pathInRepo == null || pathInRepo.isEmpty() ? "" : "/" + UrlPaths.encodePath(pathInRepo);
        return rawUrl + "/" + repo.owner() + "/" + repo.name() + "/" + UrlPaths.encodePath(ref) + p;
    }

    public String zipball(Repo repo, String ref) {
        return apiUrl + "/repos/" + repo.owner() + "/" + repo.name() + "/zipball/" + UrlPaths.encodePath(ref);
    }

    public String releaseAsset(Repo repo, String tag, String asset) {
        return webUrl + "/" + repo.owner() + "/" + repo.name() + "/releases/download/" + UrlPaths.encodePath(tag)
                + "/" + UrlPaths.encodePath(asset);
    }

    public String repositoryPage(Repo repo) {
        return DEFAULT_WEB + "/" + repo.owner() + "/" + repo.name();
    }

    /** A GitHub repository, {@code owner/name}. */
    public record Repo(String owner, String name) {
        public static Repo parse(String text) {
            String[] parts = text.split("/", -1);
            if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                throw new IllegalArgumentException("invalid repository '" + text + "': want OWNER/NAME");
            }
            return new Repo(parts[0], parts[1]);
        }

        @Override
        public String toString() {
            return owner + "/" + name;
        }
    }
}
