package dev.modelreg.spec;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The GitHub URL shapes of the contract (spec/README.md, "Discovery order"), on configurable bases:
 * {@code MODELREG_GITHUB_URL} (default https://github.com), {@code MODELREG_GITHUB_RAW_URL} (default
 * https://raw.githubusercontent.com), {@code MODELREG_GITHUB_API_URL} (default https://api.github.com). Refs, paths
 * and asset names are percent-encoded per path segment, so any registry file key makes a valid URL.
 */
public record GitHubUrls(String webUrl, String rawUrl, String apiUrl) {
    /** The web base: {@value}. */
    public static final String DEFAULT_WEB = "https://github.com";
    /** The raw-file base: {@value}. */
    public static final String DEFAULT_RAW = "https://raw.githubusercontent.com";
    /** The REST API base: {@value}. */
    public static final String DEFAULT_API = "https://api.github.com";

    /** Drops a trailing slash from each base. */
    public GitHubUrls {
        webUrl = trimTrailingSlash(webUrl);
        rawUrl = trimTrailingSlash(rawUrl);
        apiUrl = trimTrailingSlash(apiUrl);
    }

    /** github.com: {@link #DEFAULT_WEB}, {@link #DEFAULT_RAW}, {@link #DEFAULT_API}. */
    public static GitHubUrls defaults() {
        return new GitHubUrls(DEFAULT_WEB, DEFAULT_RAW, DEFAULT_API);
    }

    /** {@link #fromEnvironment(Map)} of the process environment. */
    public static GitHubUrls fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * The bases from the environment ({@code MODELREG_GITHUB_URL}, {@code MODELREG_GITHUB_RAW_URL},
     * {@code MODELREG_GITHUB_API_URL}); a blank variable means the default, a malformed one is an error naming it.
     */
    public static GitHubUrls fromEnvironment(Map<String, String> env) {
        return new GitHubUrls(base(env, "MODELREG_GITHUB_URL", DEFAULT_WEB), base(env, "MODELREG_GITHUB_RAW_URL", DEFAULT_RAW),
                base(env, "MODELREG_GITHUB_API_URL", DEFAULT_API));
    }

    private static String base(Map<String, String> env, String name, String dflt) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return dflt;
        String s = v.trim();
        try {
            URI u = URI.create(s);
            if (u.getScheme() == null || u.getHost() == null) throw new IllegalArgumentException("not absolute");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": invalid URL '" + v + "' (want e.g. https://host[:port])");
        }
        return s;
    }

    /** {raw}/{owner}/{name}/{ref}/{path}: a file of a ref. */
    public String rawFile(Repo repo, String ref, String path) {
        return rawBase(repo, ref, null) + "/" + encodePath(path);
    }

    /** {raw}/{owner}/{name}/{ref}[/{pathInRepo}]: a file's url is this + "/" + its key. */
    public String rawBase(Repo repo, String ref, String pathInRepo) {
        String p = pathInRepo == null || pathInRepo.isEmpty() ? "" : "/" + encodePath(pathInRepo);
        return rawUrl + "/" + repo.owner() + "/" + repo.name() + "/" + encodePath(ref) + p;
    }

    /** {api}/repos/{owner}/{name}/zipball/{ref}. */
    public String zipball(Repo repo, String ref) {
        return apiUrl + "/repos/" + repo.owner() + "/" + repo.name() + "/zipball/" + encodePath(ref);
    }

    /** {web}/{owner}/{name}/releases/download/{tag}/{asset}. */
    public String releaseAsset(Repo repo, String tag, String asset) {
        return webUrl + "/" + repo.owner() + "/" + repo.name() + "/releases/download/" + encodePath(tag) + "/"
                + encodePath(asset);
    }

    /** The repository's page on github.com itself (for the image.source annotation), whatever the bases. */
    public static String repositoryPage(Repo repo) {
        return DEFAULT_WEB + "/" + repo.owner() + "/" + repo.name();
    }

    /** Re-bases a URL on one of the default GitHub hosts onto these bases (forks, mirrors, tests). */
    public String rebase(String url) {
        if (url.startsWith(DEFAULT_RAW + "/")) return rawUrl + url.substring(DEFAULT_RAW.length());
        if (url.startsWith(DEFAULT_WEB + "/")) return webUrl + url.substring(DEFAULT_WEB.length());
        if (url.startsWith(DEFAULT_API + "/")) return apiUrl + url.substring(DEFAULT_API.length());
        return url;
    }

    /** A GitHub repository, {@code owner/name}. */
    public record Repo(String owner, String name) {
        /** Parses {@code OWNER/NAME}; anything else is an error naming the text. */
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

    /** Percent-encoding of URL path segments (RFC 3986 pchar), keeping '/' between segments. */
    public static String encodePath(String path) {
        StringBuilder sb = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    private static String trimTrailingSlash(String s) {
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        return s;
    }
}
