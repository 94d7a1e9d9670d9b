package dev.modelreg.consumer;

import dev.modelreg.content.RegistryOptions;
import dev.modelreg.spec.GitHubUrls;
import dev.modelreg.spec.UserDirs;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything the consumer reads from the environment, resolved once: cache root, GitHub base URLs, offline mode,
 * fetch concurrency and registry credentials. Tests build one from a map instead of the process environment.
 */
public record Settings(Path cacheRoot, GitHubUrls github, boolean offline, int concurrency,
                       RegistryOptions registryOptions) {

    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    public static Settings from(Map<String, String> env) {
        return new Settings(cacheRoot(env),
                github(env),
                "1".equals(env.get("MODELREG_OFFLINE")) || "true".equalsIgnoreCase(env.get("MODELREG_OFFLINE")),
                concurrency(env.get("MODELREG_CONCURRENCY")),
                RegistryOptions.fromEnvironment(env));
    }

    public Settings withOffline(boolean offline) {
        return new Settings(cacheRoot, github, offline, concurrency, registryOptions);
    }

    public Settings withRegistryOptions(RegistryOptions options) {
        return new Settings(cacheRoot, github, offline, concurrency, options);
    }

    public Settings withCacheRoot(Path root) {
        return new Settings(root, github, offline, concurrency, registryOptions);
    }

    /** $MODELREG_CACHE, else $XDG_CACHE_HOME/modelreg, else $HOME/.cache/modelreg ({@link UserDirs#cache}). */
    static Path cacheRoot(Map<String, String> env) {
        return UserDirs.cache(env);
    }

    private static GitHubUrls github(Map<String, String> env) {
        return GitHubUrls.fromEnvironment(env); // a bad URL: one line naming the variable
    }

    private static int concurrency(String v) {
        if (v == null || v.isBlank()) return 8;
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1 && n <= 64) return n;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("MODELREG_CONCURRENCY: want an integer 1..64, got '" + v + "'");
    }

}
