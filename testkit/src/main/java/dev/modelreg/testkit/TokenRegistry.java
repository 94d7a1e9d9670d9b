package dev.modelreg.testkit;

import com.sun.net.httpserver.HttpServer;
import dev.modelreg.spec.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real distribution registry in token-auth mode (what ghcr.io and Docker Hub do): 401 with a Bearer challenge,
 * and a small loopback token server that checks basic credentials and issues ES256 JWTs signed by a throw-away
 * certificate the registry trusts. A random password per
 * instance and a record of every token issued (a secrecy scan looks for them in what a client printed and wrote).
 */
public final class TokenRegistry implements AutoCloseable {
    public static final String USER = "tokenuser";
    public final String password = "tokpw-" + randomHex();
    /** Every bearer token the token server handed out. */
    public final List<String> tokens = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final String SERVICE = "modelreg-registry";
    private static final String ISSUER = "modelreg-test-issuer";

    private final HttpServer tokenServer;
    private final Process registry;
    private final int port;
    public final AtomicInteger tokensIssued = new AtomicInteger();
    public final AtomicInteger tokenRefusals = new AtomicInteger();

    private TokenRegistry(HttpServer tokenServer, Process registry, int port) {
        this.tokenServer = tokenServer;
        this.registry = registry;
        this.port = port;
    }

    public String host() {
        return "127.0.0.1:" + port;
    }

    public static TokenRegistry start(Path dir) throws Exception {
        Files.createDirectories(dir);
        TestCertificates certs = TestCertificates.generate(dir.resolve("certs"));
        X509Certificate signer;
        try (InputStream in = Files.newInputStream(certs.certFile())) {
            signer = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificates(in).iterator().next();
        }
        String pem = Files.readString(certs.keyFile()).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));

        HttpServer ts = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        TokenRegistry[] self = new TokenRegistry[1];
        ts.createContext("/token", ex -> {
            String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + self[0].password).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                self[0].tokenRefusals.incrementAndGet();
                ex.sendResponseHeaders(401, -1);
                ex.close();
                return;
            }
            List<Object> access = new ArrayList<>();
            String query = ex.getRequestURI().getRawQuery();
            for (String kv : query == null ? new String[0] : query.split("&")) {
                String[] p = kv.split("=", 2);
                if (!p[0].equals("scope") || p.length < 2) continue;
                for (String scope : URLDecoder.decode(p[1], StandardCharsets.UTF_8).split(" ")) {
                    String[] parts = scope.split(":");
                    if (parts.length != 3) continue;
                    Map<String, Object> a = new LinkedHashMap<>();
                    a.put("type", parts[0]);
                    a.put("name", parts[1]);
                    a.put("actions", List.of(parts[2].split(",")));
                    access.add(a);
                }
            }
            byte[] body;
            try {
                String token = jwt(key, signer, access);
                self[0].tokens.add(token);
                body = Json.writeBytes(Map.of("token", token, "expires_in", 300L));
            } catch (Exception e) {
                throw new IOException(e);
            }
            self[0].tokensIssued.incrementAndGet();
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        ts.start();

        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("config.yml");
        Files.writeString(config, String.join("\n",
                "version: 0.1",
                "log:",
                "  level: warn",
                "storage:",
                "  filesystem:",
                "    rootdirectory: " + dir.resolve("storage"),
                "  delete:",
                "    enabled: true",
                "http:",
                "  addr: 127.0.0.1:" + port,
                "auth:",
                "  token:",
                "    realm: http://127.0.0.1:" + ts.getAddress().getPort() + "/token",
                "    service: " + SERVICE,
                "    issuer: " + ISSUER,
                "    rootcertbundle: " + certs.caFile(),
                ""));
        Process p = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
                .redirectOutput(dir.resolve("registry.out").toFile())
                .redirectError(dir.resolve("registry.err").toFile())
                .start();
        TokenRegistry r = new TokenRegistry(ts, p, port);
        self[0] = r;
        HttpClient probe = HttpClient.newHttpClient();
        for (int i = 0; i < 100; i++) {
            try {
                HttpResponse<Void> res = probe.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (res.statusCode() == 401) return r;
            } catch (IOException e) {
                // not up yet
            }
            if (!p.isAlive()) break;
            Thread.sleep(100);
        }
        r.close();
        throw new IllegalStateException("token-auth registry did not start: " + Files.readString(dir.resolve("registry.err")));
    }

    private static String jwt(PrivateKey key, X509Certificate signer, List<Object> access) throws Exception {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", "JWT");
        header.put("alg", "ES256");
        header.put("x5c", List.of(Base64.getEncoder().encodeToString(signer.getEncoded())));
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", USER);
        claims.put("aud", SERVICE);
        claims.put("exp", now + 300);
        claims.put("nbf", now - 10);
        claims.put("iat", now - 10);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("access", access);
        String signingInput = url.encodeToString(Json.writeBytes(header)) + "." + url.encodeToString(Json.writeBytes(claims));
        Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initSign(key);
        s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + url.encodeToString(s.sign());
    }

    private static String randomHex() {
        byte[] b = new byte[8];
        new java.security.SecureRandom().nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    @Override
    public void close() throws InterruptedException {
        tokenServer.stop(0);
        registry.destroy();
        if (!registry.waitFor(10, TimeUnit.SECONDS)) registry.destroyForcibly();
    }
}
