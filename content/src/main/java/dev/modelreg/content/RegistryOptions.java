package dev.modelreg.content;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How to talk to registries, immutable. Credentials, in the order they are used: an explicit bearer
 * {@link #token()}; explicit {@link #username()}/{@link #password()}; for ghcr.io, {@code GITHUB_TOKEN} from the
 * environment; otherwise the docker config / containers auth.json credentials (and credential helpers) found by
 * oras' AuthStore; otherwise anonymous. {@link #plainHttp()}: null = automatic (plain HTTP for loopback hosts only),
 * true = always plain HTTP, false = always HTTPS. {@link #caFile()}: a PEM file with extra CA certificates.
 */
public final class RegistryOptions {
    public static final int DEFAULT_CONCURRENCY = 4;

    private final String username;
    private final String password;
    private final String token;
    private final String githubToken;
    private final Path caFile;
    private final Boolean plainHttp;
    private final int concurrency;
    private final boolean useAuthStore;

    private RegistryOptions(String username, String password, String token, String githubToken, Path caFile,
            Boolean plainHttp, int concurrency, boolean useAuthStore) {
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("registry username and password must be given together");
        }
        this.username = username;
        this.password = password;
        this.token = token;
        this.githubToken = githubToken;
        this.caFile = caFile;
        this.plainHttp = plainHttp;
        this.concurrency = concurrency;
        this.useAuthStore = useAuthStore;
    }

    /** Anonymous, automatic scheme, no extra CA, concurrency 4, no docker config lookup. */
    public static RegistryOptions defaults() {
        return new RegistryOptions(null, null, null, null, null, null, DEFAULT_CONCURRENCY, false);
    }

    /** {@link #fromEnvironment(Map)} of the process environment. */
    public static RegistryOptions fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * MODELREG_REGISTRY_USER + MODELREG_REGISTRY_PASSWORD (basic credentials for any registry), GITHUB_TOKEN (used
     * for ghcr.io only), and the docker config / containers auth.json stores for everything else; MODELREG_CA_FILE
     * (extra CA certificates, PEM) and MODELREG_PLAIN_HTTP=1 (plain HTTP for registries not on loopback).
     */
    public static RegistryOptions fromEnvironment(Map<String, String> env) {
        String user = blankToNull(env.get("MODELREG_REGISTRY_USER"));
        String pass = blankToNull(env.get("MODELREG_REGISTRY_PASSWORD"));
        if (user == null || pass == null) {
            user = null;
            pass = null;
        }
        String ca = blankToNull(env.get("MODELREG_CA_FILE"));
        String plain = blankToNull(env.get("MODELREG_PLAIN_HTTP"));
        Boolean plainHttp = plain != null && ("1".equals(plain) || "true".equalsIgnoreCase(plain)) ? Boolean.TRUE : null;
        return new RegistryOptions(user, pass, null, blankToNull(env.get("GITHUB_TOKEN")), ca == null ? null : Path.of(ca),
                plainHttp, DEFAULT_CONCURRENCY, true);
    }

    public RegistryOptions withCredentials(String username, String password) {
        return new RegistryOptions(username, password, token, githubToken, caFile, plainHttp, concurrency, useAuthStore);
    }

    public RegistryOptions withToken(String token) {
        return new RegistryOptions(username, password, token, githubToken, caFile, plainHttp, concurrency, useAuthStore);
    }

    public RegistryOptions withCaFile(Path caFile) {
        return new RegistryOptions(username, password, token, githubToken, caFile, plainHttp, concurrency, useAuthStore);
    }

    public RegistryOptions withPlainHttp(Boolean plainHttp) {
        return new RegistryOptions(username, password, token, githubToken, caFile, plainHttp, concurrency, useAuthStore);
    }

    public RegistryOptions withConcurrency(int concurrency) {
        return new RegistryOptions(username, password, token, githubToken, caFile, plainHttp, concurrency, useAuthStore);
    }

    /** Whether to look up credentials in docker config.json / containers auth.json (and their helpers). */
    public RegistryOptions withAuthStore(boolean useAuthStore) {
        return new RegistryOptions(username, password, token, githubToken, caFile, plainHttp, concurrency, useAuthStore);
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public String token() {
        return token;
    }

    /** GITHUB_TOKEN from the environment; used for ghcr.io only. */
    public String githubToken() {
        return githubToken;
    }

    public Path caFile() {
        return caFile;
    }

    public Boolean plainHttp() {
        return plainHttp;
    }

    public int concurrency() {
        return concurrency;
    }

    public boolean useAuthStore() {
        return useAuthStore;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegistryOptions r && Objects.equals(username, r.username) && Objects.equals(password, r.password)
                && Objects.equals(token, r.token) && Objects.equals(githubToken, r.githubToken)
                && Objects.equals(caFile, r.caFile) && Objects.equals(plainHttp, r.plainHttp)
                && concurrency == r.concurrency && useAuthStore == r.useAuthStore;
    }

    @Override
    public int hashCode() {
        return Objects.hash(username, token, caFile, plainHttp, concurrency, useAuthStore);
    }

    /** Never shows secrets. */
    @Override
    public String toString() {
        return "RegistryOptions[user=" + username + ", password=" + (password == null ? "none" : "***")
                + ", token=" + (token == null ? "none" : "***") + ", githubToken=" + (githubToken == null ? "none" : "***")
                + ", caFile=" + caFile + ", plainHttp=" + plainHttp + ", concurrency=" + concurrency
                + ", authStore=" + useAuthStore + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
