package dev.modelreg.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * A real CNCF distribution registry ({@code /usr/bin/docker-registry}, Debian package docker-registry, 2.8.x) on
 * 127.0.0.1 with an ephemeral port and a config this fixture writes itself (filesystem storage in the work dir,
 * delete enabled, access log on). Debian's /etc/docker/registry/config.yml turns on auth and is never used.
 *
 * <pre>{@code
 * try (RegistryFixture r = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tempDir)) {
 *     String ref = r.host() + "/models/demo:develop";
 *     ...
 *     assertThat(r.requests()).filteredOn(q -> q.method().equals("GET")) ...
 * }
 * }</pre>
 *
 * If the binary is missing, {@link #start} throws an IllegalStateException saying
 * {@code apt-get install -y docker-registry}; nothing is skipped.
 */
public final class RegistryFixture implements AutoCloseable {
    /** Where the registry binary must be. */
    public static final String BINARY = "/usr/bin/docker-registry";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    private static final int BIND_ATTEMPTS = 5;

    /** What the registry asks of clients. */
    public enum Mode {
        /** Plain HTTP, no auth. */
        PLAIN,
        /** Plain HTTP, htpasswd basic auth (bcrypt) with {@link #username()} / {@link #password()}. */
        BASIC_AUTH,
        /** HTTPS with a throw-away CA ({@link #caFile()}) and htpasswd basic auth. */
        TLS_BASIC_AUTH
    }

    private final Mode mode;
    private final Path dir;
    private final Process process;
    private final int port;
    private final String username;
    private final String password;
    private final TestCertificates certificates;
    private final AccessLog accessLog;
    private final Thread shutdownHook;
    private SSLContext sslContext;
    private volatile boolean closed;

    private RegistryFixture(Mode mode, Path dir, Process process, int port, String username, String password,
                            TestCertificates certificates, AccessLog accessLog) {
        this.mode = mode;
        this.dir = dir;
        this.process = process;
        this.port = port;
        this.username = username;
        this.password = password;
        this.certificates = certificates;
        this.accessLog = accessLog;
        this.shutdownHook = new Thread(process::destroyForcibly, "modelreg-registry-kill-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a registry in a fresh sub-directory of {@code workDir} and returns once {@code GET /v2/} answers
     * (200, or 401 with auth). Retries a few times if another process grabs the chosen port first.
     */
    public static RegistryFixture start(Mode mode, Path workDir) {
        return start(mode, workDir, Ports::freeLoopbackPort);
    }

    /** {@link #start(Mode, Path)} with the candidate ports from {@code ports} (tests of the bind-race retry). */
    static RegistryFixture start(Mode mode, Path workDir, java.util.function.IntSupplier ports) {
        return start(mode, workDir, ports, null);
    }

    /**
     * A plain-HTTP pull-through cache (distribution's proxy mode, {@code proxy: remoteurl:}) of {@code upstreamUrl},
     * e.g. another fixture's {@link #url()}: the first pull of a blob fetches it from the upstream and stores it,
     * later pulls are answered from its own storage. It refuses pushes.
     */
    public static RegistryFixture startProxy(String upstreamUrl, Path workDir) {
        return start(Mode.PLAIN, workDir, Ports::freeLoopbackPort, upstreamUrl);
    }

    private static RegistryFixture start(Mode mode, Path workDir, java.util.function.IntSupplier ports,
                                         String proxyRemote) {
        Path binary = Tools.require(BINARY, "docker-registry");
        try {
            Files.createDirectories(workDir);
            Path dir = Files.createTempDirectory(workDir, "registry-");
            Path storage = Files.createDirectories(dir.resolve("storage"));
            String username = null;
            String password = null;
            TestCertificates certs = null;
            Path htpasswd = null;
            if (mode != Mode.PLAIN) {
                username = "modelreg";
                password = "pw-" + randomHex(8);
                htpasswd = dir.resolve("htpasswd");
                Files.writeString(htpasswd, Htpasswd.line(username, password), StandardCharsets.UTF_8);
            }
            if (mode == Mode.TLS_BASIC_AUTH) certs = TestCertificates.generate(dir.resolve("certs"));

            String lastFailure = "";
            for (int attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
                int port = ports.getAsInt();
                Path config = dir.resolve("config.yml");
                Files.writeString(config, config(port, storage, htpasswd, certs, proxyRemote), StandardCharsets.UTF_8);
                Path out = dir.resolve("registry.out");
                Path err = dir.resolve("registry.err");
                Process p = new ProcessBuilder(binary.toString(), "serve", config.toString())
                        .directory(dir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                RegistryFixture f = new RegistryFixture(mode, dir, p, port, username, password, certs, new AccessLog(out));
                String failure = f.awaitReady();
                if (failure == null) return f;
                f.close();
                lastFailure = failure;
                if (!failure.contains("address already in use")) break;
            }
            throw new IllegalStateException("docker-registry did not start (" + mode + ", " + dir + "): " + lastFailure);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start docker-registry in " + workDir, e);
        }
    }

    public Mode mode() {
        return mode;
    }

    /** {@code 127.0.0.1:PORT}: the registry part of references such as {@code 127.0.0.1:PORT/repo:tag}. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT} or {@code https://127.0.0.1:PORT} (TLS mode), no trailing slash. */
    public String url() {
        return (mode == Mode.TLS_BASIC_AUTH ? "https://" : "http://") + host();
    }

    /** {@code host() + "/" + repositoryAndTag}, e.g. {@code reference("models/demo:develop")}. */
    public String reference(String repositoryAndTag) {
        return host() + "/" + repositoryAndTag;
    }

    /** The basic-auth user, or null in PLAIN mode. */
    public String username() {
        return username;
    }

    /** The basic-auth password (random per fixture), or null in PLAIN mode. */
    public String password() {
        return password;
    }

    /** The CA certificate (PEM) that signed the server certificate in TLS mode, else null. It is alone in its
     * directory, so {@code caFile().getParent()} works as a skopeo/containers {@code --cert-dir}. */
    public Path caFile() {
        return certificates == null ? null : certificates.caFile();
    }

    /** An SSLContext trusting only {@link #caFile()} (TLS mode), else null. */
    public synchronized SSLContext sslContext() {
        if (certificates != null && sslContext == null) sslContext = TestCertificates.trustOnly(certificates.caFile());
        return sslContext;
    }

    /** The registry's filesystem storage root (docker/registry/v2/... below it). */
    public Path storageDir() {
        return dir.resolve("storage");
    }

    /** The fixture's own directory (config.yml, registry.out = access log, registry.err = app log). */
    public Path dir() {
        return dir;
    }

    /**
     * The requests the registry logged since start or the last {@link #clearRequests()}, in log order, from
     * distribution's own access log. Waits briefly until the log stops growing, so requests whose response was
     * just received are included.
     */
    public List<Request> requests() {
        return accessLog.stable();
    }

    /** The digests of the blobs fetched ({@code GET .../blobs/DIGEST}) among {@link #requests()}. */
    public Set<String> blobsFetched() {
        return requests().stream().filter(r -> r.method().equals("GET") && r.path().contains("/blobs/"))
                .map(r -> r.path().substring(r.path().lastIndexOf('/') + 1)).collect(Collectors.toSet());
    }

    /** Polls the access log until {@code condition} holds (bounded by {@code timeout}), else an AssertionError. */
    public List<Request> awaitRequests(Predicate<List<Request>> condition, Duration timeout) {
        return accessLog.await(condition, timeout);
    }

    /** Forgets the requests logged so far; later {@link #requests()} calls return only newer ones. */
    public void clearRequests() {
        accessLog.clear();
    }

    /** The registry's application log (stderr) so far, for failure messages. */
    public String log() {
        return read(dir.resolve("registry.err"));
    }

    /** Stops the registry (SIGTERM, bounded wait, then SIGKILL). Storage stays on disk. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Tools.stop(process);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // JVM already shutting down: the hook runs anyway
        }
    }

    /** Null when ready, else why not. */
    private String awaitReady() {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1));
        SSLContext ssl = sslContext();
        if (ssl != null) b.sslContext(ssl);
        HttpClient client = b.build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/v2/")).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String lastError = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return "exited with code " + process.exitValue() + ": " + tail(log());
            }
            if (log().contains("listening on 127.0.0.1:" + port)) {
                try {
                    HttpResponse<String> r = client.send(probe, HttpResponse.BodyHandlers.ofString());
                    boolean registry = r.headers().firstValue("Docker-Distribution-Api-Version").isPresent();
                    if (registry && (r.statusCode() == 200 || r.statusCode() == 401) && process.isAlive()) {
                        accessLog.clear(); // the readiness probes are not the test's requests
                        return null;
                    }
                    lastError = "GET /v2/ answered " + r.statusCode();
                } catch (IOException e) {
                    lastError = "GET /v2/: " + e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return "interrupted";
                }
            }
            sleep(50);
        }
        return "not ready within " + READY_TIMEOUT.toSeconds() + " s (" + lastError + "): " + tail(log());
    }

    private static String config(int port, Path storage, Path htpasswd, TestCertificates certs, String proxyRemote) {
        StringBuilder y = new StringBuilder();
        y.append("version: 0.1\n");
        y.append("log:\n  level: info\n  formatter: text\n  accesslog:\n    disabled: false\n");
        y.append("storage:\n  filesystem:\n    rootdirectory: ").append(quote(storage)).append('\n');
        y.append("  delete:\n    enabled: true\n");
        y.append("  maintenance:\n    uploadpurging:\n      enabled: false\n");
        y.append("http:\n  addr: 127.0.0.1:").append(port).append('\n');
        y.append("  secret: ").append(randomHex(16)).append('\n');
        if (certs != null) {
            y.append("  tls:\n    certificate: ").append(quote(certs.certFile())).append('\n');
            y.append("    key: ").append(quote(certs.keyFile())).append('\n');
        }
        if (htpasswd != null) {
            y.append("auth:\n  htpasswd:\n    realm: modelreg-test\n    path: ").append(quote(htpasswd)).append('\n');
        }
        if (proxyRemote != null) y.append("proxy:\n  remoteurl: \"").append(proxyRemote).append("\"\n");
        y.append("health:\n  storagedriver:\n    enabled: false\n");
        return y.toString();
    }

    private static String quote(Path p) {
        return "\"" + p.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String tail(String log) {
        String s = log.strip();
        return s.length() > 2000 ? "..." + s.substring(s.length() - 2000) : s;
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? new String(Files.readAllBytes(p), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + p + ": " + e.getMessage() + ")";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
