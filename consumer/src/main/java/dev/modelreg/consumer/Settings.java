package dev.modelreg.consumer;

import dev.modelreg.content.RegistryOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything the consumer reads from the environment, resolved once: cache root, GitHub base URLs, offline mode,
 * fetch concurrency and registry credentials. Tests build one from a map instead of the process environment.
 */
public record Settings(Path cacheRoot, URI githubUrl, URI rawUrl, URI apiUrl, boolean offline, int concurrency,
                       RegistryOptions registryOptions) {
    public static final String DEFAULT_GITHUB = "https://github.com";
    public static final String DEFAULT_RAW = "https://raw.githubusercontent.com";
    public static final String DEFAULT_API = "https://api.github.com";

    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    public static Settings from(Map<String, String> env) {
        return new Settings(cacheRoot(env),
                base(env, "MODELREG_GITHUB_URL", DEFAULT_GITHUB),
                base(env, "MODELREG_GITHUB_RAW_URL", DEFAULT_RAW),
                base(env, "MODELREG_GITHUB_API_URL", DEFAULT_API),
                "1".equals(env.get("MODELREG_OFFLINE")) || "true".equalsIgnoreCase(env.get("MODELREG_OFFLINE")),
                concurrency(env.get("MODELREG_CONCURRENCY")),
                RegistryOptions.fromEnvironment(env));
    }

    public Settings withOffline(boolean offline) {
        return new Settings(cacheRoot, githubUrl, rawUrl, apiUrl, offline, concurrency, registryOptions);
    }

    public Settings withRegistryOptions(RegistryOptions options) {
        return new Settings(cacheRoot, githubUrl, rawUrl, apiUrl, offline, concurrency, options);
    }

    public Settings withCacheRoot(Path root) {
        return new Settings(root, githubUrl, rawUrl, apiUrl, offline, concurrency, registryOptions);
    }

    /** $MODELREG_CACHE, else $XDG_CACHE_HOME/modelreg, else ~/.cache/modelreg. */
    static Path cacheRoot(Map<String, String> env) {
        String c = env.get("MODELREG_CACHE");
        if (c != null && !c.isBlank()) return Path.of(c).toAbsolutePath();
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "modelreg").toAbsolutePath();
        return Path.of(System.getProperty("user.home"), ".cache", "modelreg");
    }

    private static URI base(Map<String, String> env, String name, String dflt) {
        String v = env.get(name);
        String s = v == null || v.isBlank() ? dflt : v.trim();
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        try {
            return URI.create(s);
        } catch (IllegalArgumentException e) {
            throw new ConsumerException(name + ": invalid URL '" + v + "'");
        }
    }

    private static int concurrency(String v) {
        if (v == null || v.isBlank()) return 8;
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1 && n <= 64) return n;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new ConsumerException("MODELREG_CONCURRENCY: want an integer 1..64, got '" + v + "'");
    }

    /** Re-bases a URL on the default GitHub hosts onto the configured bases (forks, mirrors, tests). */
    public String rebase(String url) {
        if (url.startsWith(DEFAULT_RAW + "/")) return rawUrl + url.substring(DEFAULT_RAW.length());
        if (url.startsWith(DEFAULT_GITHUB + "/")) return githubUrl + url.substring(DEFAULT_GITHUB.length());
        if (url.startsWith(DEFAULT_API + "/")) return apiUrl + url.substring(DEFAULT_API.length());
        return url;
    }
}
