package dev.modelreg.content;

import dev.modelreg.content.auth.Credential;
import dev.modelreg.content.auth.CredentialSource;
import dev.modelreg.content.auth.EnvironmentCredentials;
import dev.modelreg.content.http.HttpOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How to talk to registries, immutable (withers return copies).
 *
 * @param credentials where credentials come from (sent only after a registry asks): {@link EnvironmentCredentials}
 *                    from {@link #fromEnvironment}, fixed ones from {@link #withCredentials}, none by default
 * @param plainHttp   null = automatic (plain HTTP for loopback registries without a CA file), true = always plain
 *                    HTTP, false = always HTTPS
 * @param concurrency blobs moved at once by a copy
 * @param http        the transport's TLS, timeouts and retries
 * @param ranges      big blobs downloaded over several ranged connections (MODELREG_RANGED_MIN_MIB,
 *                    MODELREG_RANGED_CONNECTIONS)
 */
public record RegistryOptions(CredentialSource credentials, Boolean plainHttp, int concurrency, HttpOptions http,
                              RangeOptions ranges) {
    public static final int DEFAULT_CONCURRENCY = 4;

    public RegistryOptions {
        if (credentials == null) credentials = CredentialSource.NONE;
        if (http == null) http = HttpOptions.defaults();
        if (ranges == null) ranges = RangeOptions.DEFAULTS;
        if (concurrency < 1 || concurrency > 64) throw new IllegalArgumentException("concurrency must be 1..64, got " + concurrency);
    }

    /** Anonymous, automatic scheme, no extra CA, default timeouts and retries, concurrency 4. */
    public static RegistryOptions defaults() {
        return new RegistryOptions(CredentialSource.NONE, null, DEFAULT_CONCURRENCY, HttpOptions.defaults(), RangeOptions.DEFAULTS);
    }

    /** {@link #fromEnvironment(Map)} of the process environment. */
    public static RegistryOptions fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Credentials from the environment in the order of {@link EnvironmentCredentials}; MODELREG_PLAIN_HTTP=1 (plain
     * HTTP for registries not on loopback); MODELREG_CA_FILE, MODELREG_TIMEOUT, MODELREG_STALL_TIMEOUT and
     * MODELREG_RETRIES ({@link HttpOptions#fromEnvironment}).
     */
    public static RegistryOptions fromEnvironment(Map<String, String> env) {
        String plain = env.get("MODELREG_PLAIN_HTTP");
        Boolean plainHttp = plain != null && ("1".equals(plain.trim()) || "true".equalsIgnoreCase(plain.trim())) ? Boolean.TRUE : null;
        return new RegistryOptions(EnvironmentCredentials.of(env), plainHttp, DEFAULT_CONCURRENCY, HttpOptions.fromEnvironment(env),
                RangeOptions.fromEnvironment(env));
    }

    public RegistryOptions withCredentials(String username, String password) {
        return withCredentialSource(CredentialSource.fixed(new Credential(username, password, "the given user and password")));
    }

    /** A registry token sent as {@code Bearer} once the registry asks. */
    public RegistryOptions withToken(String token) {
        return withCredentialSource(CredentialSource.fixed(new Credential("", token, "the given token")));
    }

    public RegistryOptions withCredentialSource(CredentialSource source) {
        return new RegistryOptions(source, plainHttp, concurrency, http, ranges);
    }

    public RegistryOptions withCaFile(Path caFile) {
        return withHttp(http.withCaFile(caFile));
    }

    public RegistryOptions withPlainHttp(Boolean plain) {
        return new RegistryOptions(credentials, plain, concurrency, http, ranges);
    }

    public RegistryOptions withConcurrency(int n) {
        return new RegistryOptions(credentials, plainHttp, n, http, ranges);
    }

    public RegistryOptions withRanges(RangeOptions r) {
        return new RegistryOptions(credentials, plainHttp, concurrency, http, r);
    }

    public RegistryOptions withHttp(HttpOptions o) {
        return new RegistryOptions(credentials, plainHttp, concurrency, o, ranges);
    }

    public RegistryOptions withStallTimeout(Duration d) {
        return withHttp(http.withStallTimeout(d));
    }

    public RegistryOptions withRequestTimeout(Duration d) {
        return withHttp(http.withRequestTimeout(d));
    }

    public Path caFile() {
        return http.caFile();
    }

    public Duration stallTimeout() {
        return http.stallTimeout();
    }
}
