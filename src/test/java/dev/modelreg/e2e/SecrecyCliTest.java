package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.testkit.GitHubFixture;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.TokenRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets never appear in any output or file. A TLS registry with htpasswd basic auth and a token-auth registry (a
 * loopback token service issuing bearer tokens) are given credentials every way the CLI reads them (the
 * MODELREG_REGISTRY_* variables, a docker config.json under DOCKER_CONFIG and under HOME with base64 {@code auth}, a
 * containers auth.json as REGISTRY_AUTH_FILE, under XDG_RUNTIME_DIR and under HOME, a credential helper by
 * {@code credHelpers} and by {@code credsStore}), with GITHUB_TOKEN set throughout. Every command that talks to a
 * registry or reads configuration runs, succeeding and failing (wrong password, wrong repository or tag, unreachable
 * host, malformed reference, missing CA, no credentials, a broken credentials file), plain, with {@code --json} and
 * with {@code -v}. Then every stdout, every stderr and every file under the test directory (caches, workspaces, pull
 * directories, layouts, archives, homes, registry storage) except the credential files planted on purpose is searched
 * for each password, its base64 {@code user:password} form, the GitHub token and every bearer token issued.
 */
class SecrecyCliTest {
    private static final Duration RUN_LIMIT = Duration.ofSeconds(40);
    private static final String HELPER = "modelregtest";
    private static final String MODEL = "example/ex-gwf-bcf2ss";

    @TempDir Path tmp;
    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final Set<Path> planted = ConcurrentHashMap.newKeySet();
    private final String githubToken = "ghp_" + hex(12);
    private final String wrongPassword = "wrongpw-" + hex(8);
    private Map<String, String> githubEnv = Map.of();

    private record Outcome(String what, Modelreg.Run run) {}

    private enum Expect { OK, FAIL }

    /** Where credentials come from; each way gets its own HOME, DOCKER_CONFIG and XDG_RUNTIME_DIR. */
    private enum Way { ENV, DOCKER_CONFIG, HOME_DOCKER_CONFIG, REGISTRY_AUTH_FILE, XDG_RUNTIME_AUTH, HOME_CONTAINERS_AUTH,
        CRED_HELPER, CREDS_STORE }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void noSecretInAnyOutputOrFile() throws Exception {
        long t0 = System.nanoTime();
        Path models = Modelreg.copyExamples(tmp.resolve("models"));
        try (RegistryFixture tls = RegistryFixture.start(RegistryFixture.Mode.TLS_BASIC_AUTH, tmp.resolve("fixtures/tls"));
             TokenRegistry tok = TokenRegistry.start(tmp.resolve("fixtures/token"));
             GitHubFixture gh = GitHubFixture.start(tmp.resolve("fixtures/github"))) {
            Modelreg.copyExamples(gh.rawDir("org", "models", "main"));
            githubEnv = gh.env();
            String ca = tls.caFile().toString();
            String user = tls.username();
            String pass = tls.password();
            String tlsRef = tls.reference("secret/models:v1");
            String tokRef = tok.host() + "/secret/models:v1";
            String unreachable = "127.0.0.1:" + closedPort();
            Path cfg = tmp.resolve("sources.toml");
            Files.writeString(cfg, "[sources.secret]\nname = \"example\"\noci = \"" + tls.host() + "/secret/models\"\n"
                    + "refs = [\"v1\"]\n");

            Map<String, String> good = creds("good", Way.ENV, tls.host(), user, pass);
            Map<String, String> wrong = creds("wrong", Way.ENV, tls.host(), user, wrongPassword);
            Map<String, String> tokGood = creds("tok-good", Way.ENV, tok.host(), TokenRegistry.USER, tok.password);
            Map<String, String> tokWrong = creds("tok-wrong", Way.ENV, tok.host(), TokenRegistry.USER, wrongPassword);
            Map<String, String> none = creds("none", null, tls.host(), null, null);

            // what everything else reads: pushed one after the other
            run(good, Expect.OK, "push", models.toString(), tlsRef, "--name", "example", "--ca-file", ca);
            run(tokGood, Expect.OK, "push", models.toString(), tokRef, "--name", "example");

            List<List<Step>> chains = new ArrayList<>();
            // publishing, moving and consuming by reference, environment credentials
            String archive = "oci-archive:" + tmp.resolve("out/archive.tar") + ":v1";
            chains.add(List.of(
                    step(good, Expect.OK, "push", models.toString(), tlsRef, "--name", "example", "--ca-file", ca, "--json", "-v"),
                    step(good, Expect.OK, "mirror", tlsRef, archive, "--ca-file", ca, "--json", "-v"),
                    step(good, Expect.OK, "mirror", archive, tls.reference("secret/mirrored:v1"), "--ca-file", ca, "-v"),
                    step(good, Expect.OK, "pull", tlsRef, dir("pull/json"), "--ca-file", ca, "--json", "-v"),
                    step(good, Expect.OK, "copy", "--from", tlsRef, MODEL, dir("ws/from"), "--ca-file", ca, "-v"),
                    step(good, Expect.OK, "verify", "--from", tlsRef, MODEL, dir("ws/from"), "--ca-file", ca, "--json", "-v"),
                    step(good, Expect.OK, "make-registry", "--repo", "org/models", "--ref", "main", "--name", "example",
                            "--output", dir("out/registry"), "--json", "-v"),
                    step(good, Expect.FAIL, "make-registry", "--repo", "org/nope", "--ref", "main", "--name", "example",
                            "--output", dir("out/registry-nope"), "-v")));
            // a configured source: sync, info, list, copy, verify, clear (CA by MODELREG_CA_FILE)
            Map<String, String> goodCa = with(good, "MODELREG_CA_FILE", ca, "MODELREG_CONFIG", cfg.toString(),
                    "MODELREG_CACHE", tmp.resolve("caches/configured").toString());
            chains.add(List.of(
                    step(goodCa, Expect.OK, "sync"),
                    step(goodCa, Expect.OK, "sync", "--force", "--json", "-v"),
                    step(goodCa, Expect.FAIL, "sync", "--ref", "nope", "-v"),
                    step(goodCa, Expect.OK, "info", "--json", "-v"),
                    step(goodCa, Expect.OK, "list"),
                    step(goodCa, Expect.OK, "copy", "example@v1/ex-gwf-bcf2ss", dir("ws/configured"), "--json", "-v"),
                    step(goodCa, Expect.OK, "verify", MODEL, dir("ws/configured"), "--json", "-v"),
                    step(goodCa, Expect.OK, "clear", "--force", "--json", "-v")));
            // failures against the TLS registry
            chains.add(List.of(
                    step(wrong, Expect.FAIL, "pull", tlsRef, dir("fail/p1"), "--ca-file", ca),
                    step(wrong, Expect.FAIL, "push", models.toString(), tls.reference("secret/other:v1"), "--name", "example",
                            "--ca-file", ca, "-v"),
                    step(wrong, Expect.FAIL, "mirror", tlsRef, "oci-layout:" + tmp.resolve("fail/layout"), "--ca-file", ca,
                            "--json", "-v"),
                    step(with(wrong, "MODELREG_CA_FILE", ca, "MODELREG_CONFIG", cfg.toString()), Expect.FAIL, "sync", "-v"),
                    step(good, Expect.FAIL, "pull", tls.reference("secret/nope:v1"), dir("fail/p2"), "--ca-file", ca, "-v"),
                    step(good, Expect.FAIL, "pull", unreachable + "/secret/models:v1", dir("fail/p3"), "--json", "-v"),
                    step(good, Expect.FAIL, "pull", tls.host() + "/Secret//models::v1", dir("fail/p4"), "-v"),
                    step(good, Expect.FAIL, "pull", tlsRef, dir("fail/p5"), "-v"),
                    step(none, Expect.FAIL, "pull", tlsRef, dir("fail/p6"), "--ca-file", ca, "--json", "-v")));
            // the token-auth registry: the bearer token is a secret too
            String tokLayout = "oci-layout:" + tmp.resolve("tok/layout") + ":v1";
            chains.add(List.of(
                    step(tokGood, Expect.OK, "pull", tokRef, dir("tok/pull"), "--model", MODEL, "-v"),
                    step(tokGood, Expect.OK, "mirror", tokRef, tokLayout, "--json", "-v"),
                    step(tokGood, Expect.OK, "mirror", tokLayout, tok.host() + "/secret/mirrored:v1", "-v"),
                    step(tokWrong, Expect.FAIL, "pull", tokRef, dir("tok/fail1"), "-v"),
                    step(tokWrong, Expect.FAIL, "push", models.toString(), tok.host() + "/secret/other:v1", "--name",
                            "example", "--json", "-v"),
                    step(tokGood, Expect.FAIL, "pull", tok.host() + "/secret/nope:v1", dir("tok/fail2"), "--json", "-v")));
            // every other way credentials are read, a rejection for two of them, and broken files
            List<Step> ways = new ArrayList<>();
            List<Step> moreWays = new ArrayList<>();
            for (Way w : Way.values()) {
                if (w == Way.ENV) continue;
                List<Step> chain = w.ordinal() <= Way.REGISTRY_AUTH_FILE.ordinal() ? ways : moreWays;
                String name = w.name().toLowerCase(java.util.Locale.ROOT);
                Map<String, String> ok = with(creds(name, w, tls.host(), user, pass), "MODELREG_CA_FILE", ca);
                chain.add(step(ok, Expect.OK, "pull", tlsRef, dir("ways/" + name), "--model", MODEL, "-v"));
                if (w == Way.DOCKER_CONFIG || w == Way.CRED_HELPER) {
                    Map<String, String> bad = with(creds(name + "-wrong", w, tls.host(), user, wrongPassword),
                            "MODELREG_CA_FILE", ca);
                    chain.add(step(bad, Expect.FAIL, "pull", tlsRef, dir("ways/" + name + "-wrong"), "--json", "-v"));
                }
            }
            ways.add(step(with(broken("broken-auth", tls.host(), "{\"auths\": {\"" + tls.host() + "\": {\"auth\": "
                    + basic(user, pass) + "}}}"), "MODELREG_CA_FILE", ca), Expect.FAIL, "pull", tlsRef, dir("ways/broken1"), "-v"));
            moreWays.add(step(with(broken("broken-password", tls.host(), "{\"auths\": {\"" + tls.host()
                    + "\": {\"username\": \"" + user + "\", \"password\": " + pass + "}}}"), "MODELREG_CA_FILE", ca),
                    Expect.FAIL, "pull", tlsRef, dir("ways/broken2"), "--json", "-v"));
            chains.add(ways);
            chains.add(moreWays);
            chains.sort(java.util.Comparator.comparingInt((List<Step> c) -> -c.size()));

            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (List<Step> chain : chains) {
                    futures.add(pool.submit(() -> {
                        for (Step s : chain) run(s.env(), s.expect(), s.args());
                        return null;
                    }));
                }
                for (Future<?> f : futures) f.get(100, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }

            // the secrets, now that every token has been issued
            Map<String, String> secrets = new LinkedHashMap<>();
            addSecret(secrets, "TLS registry password", pass);
            addSecret(secrets, "TLS registry user:password (base64)", basic(user, pass));
            addSecret(secrets, "token registry password", tok.password);
            addSecret(secrets, "token registry user:password (base64)", basic(TokenRegistry.USER, tok.password));
            addSecret(secrets, "wrong password", wrongPassword);
            addSecret(secrets, "wrong user:password (base64)", basic(user, wrongPassword));
            addSecret(secrets, "GITHUB_TOKEN", githubToken);
            assertThat(tok.tokens).as("bearer tokens issued").isNotEmpty();
            for (String t : tok.tokens) {
                addSecret(secrets, "bearer token", t);
                addSecret(secrets, "bearer token signature", t.substring(t.lastIndexOf('.') + 1));
            }

            List<String> leaks = new ArrayList<>();
            for (Outcome o : outcomes) {
                leaks.addAll(find(secrets, o.run().out(), "stdout of " + o.what()));
                leaks.addAll(find(secrets, o.run().err(), "stderr of " + o.what()));
            }
            int files = 0;
            long bytes = 0;
            try (Stream<Path> s = Files.walk(tmp)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    if (!Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) || planted.contains(p)) continue;
                    if (p.getParent().equals(tmp) && p.getFileName().toString().matches("std(out|err)-.*\\.txt")) continue;
                    byte[] b = Files.readAllBytes(p);
                    files++;
                    bytes += b.length;
                    leaks.addAll(find(secrets, new String(b, StandardCharsets.ISO_8859_1), tmp.relativize(p).toString()));
                }
            }
            long ok = outcomes.stream().filter(o -> o.run().code() == 0).count();
            outcomes.stream().sorted(java.util.Comparator.comparingLong((Outcome o) -> -o.run().millis())).limit(5)
                    .forEach(o -> System.out.printf("  slowest: %d ms %s%n", o.run().millis(), o.what()));
            System.out.printf("SecrecyCliTest: %d runs (%d succeeded, %d failed as expected), %d outputs, %d files"
                            + " (%d bytes) scanned for %d secrets (%d bearer tokens) in %d s%n",
                    outcomes.size(), ok, outcomes.size() - ok, 2 * outcomes.size(), files, bytes, secrets.size(),
                    tok.tokens.size(), (System.nanoTime() - t0) / 1_000_000_000);
            assertThat(leaks).as("secrets found").isEmpty();
            assertThat(files).as("files scanned").isGreaterThan(100);
        }
    }

    private record Step(Map<String, String> env, Expect expect, String[] args) {}

    private static Step step(Map<String, String> env, Expect expect, String... args) {
        return new Step(env, expect, args);
    }

    private Modelreg.Run run(Map<String, String> env, Expect expect, String... args) throws Exception {
        Modelreg.Run r = Modelreg.run(tmp, Modelreg.FAST_JVM, env, RUN_LIMIT, args);
        String what = "modelreg " + String.join(" ", args);
        outcomes.add(new Outcome(what, r));
        System.out.printf("  %5d ms exit %d %s%n", r.millis(), r.code(), what);
        if (expect == Expect.OK) {
            assertThat(r.code()).as("%s\nstderr: %s", what, r.err()).isZero();
        } else {
            assertThat(r.code()).as("%s should fail\nstdout: %s", what, r.out()).isNotZero();
            assertThat(r.err()).as("%s: the error", what).isNotBlank();
        }
        return r;
    }

    /**
     * A fresh HOME, DOCKER_CONFIG, XDG_RUNTIME_DIR and cache for {@code name}, GITHUB_TOKEN set and no retries; with
     * {@code way} the credentials {@code user}/{@code pass} for {@code host} are supplied that way (null: none).
     */
    private Map<String, String> creds(String name, Way way, String host, String user, String pass) throws IOException {
        Path base = Files.createDirectories(tmp.resolve("homes").resolve(name));
        Path home = Files.createDirectories(base.resolve("home"));
        Map<String, String> env = new HashMap<>(githubEnv);
        env.put("HOME", home.toString());
        env.put("DOCKER_CONFIG", base.resolve("docker-config").toString());
        env.put("XDG_RUNTIME_DIR", base.resolve("runtime").toString());
        env.put("XDG_CONFIG_HOME", base.resolve("xdg-config").toString());
        env.put("XDG_CACHE_HOME", base.resolve("xdg-cache").toString());
        env.put("MODELREG_CACHE", tmp.resolve("caches").resolve(name).toString());
        env.put("MODELREG_RETRIES", "0");
        env.put("GITHUB_TOKEN", githubToken);
        String auth = "{\"auth\": \"" + basic(user, pass) + "\"}";
        if (way == null) return env;
        switch (way) {
            case ENV -> {
                env.put("MODELREG_REGISTRY_USER", user);
                env.put("MODELREG_REGISTRY_PASSWORD", pass);
            }
            case DOCKER_CONFIG -> plant(base.resolve("docker-config/config.json"), "{\"auths\": {\"" + host + "\": " + auth + "}}");
            case HOME_DOCKER_CONFIG -> {
                env.put("DOCKER_CONFIG", "");
                plant(home.resolve(".docker/config.json"), "{\"auths\": {\"https://" + host + "/v2/\": " + auth + "}}");
            }
            case REGISTRY_AUTH_FILE -> {
                Path f = base.resolve("auth.json");
                plant(f, "{\"auths\": {\"" + host + "\": {\"username\": \"" + user + "\", \"password\": \"" + pass + "\"}}}");
                env.put("REGISTRY_AUTH_FILE", f.toString());
            }
            case XDG_RUNTIME_AUTH -> plant(base.resolve("runtime/containers/auth.json"),
                    "{\"auths\": {\"" + host + "/secret\": " + auth + "}}");
            case HOME_CONTAINERS_AUTH -> plant(home.resolve(".config/containers/auth.json"),
                    "{\"auths\": {\"" + host + "\": " + auth + "}}");
            case CRED_HELPER, CREDS_STORE -> {
                plant(base.resolve("docker-config/config.json"), way == Way.CRED_HELPER
                        ? "{\"credHelpers\": {\"" + host + "\": \"" + HELPER + "\"}}"
                        : "{\"credsStore\": \"" + HELPER + "\"}");
                Path helper = base.resolve("bin/docker-credential-" + HELPER);
                plant(helper, "#!/bin/sh\ncat >/dev/null\nprintf '%s\\n' '{\"ServerURL\": \"" + host + "\", \"Username\": \""
                        + user + "\", \"Secret\": \"" + pass + "\"}'\n");
                helper.toFile().setExecutable(true);
                env.put("PATH", helper.getParent() + java.io.File.pathSeparator + System.getenv("PATH"));
            }
        }
        return env;
    }

    /** A docker config.json that is not valid JSON, with a secret near the error. */
    private Map<String, String> broken(String name, String host, String content) throws IOException {
        Map<String, String> env = creds(name, null, host, null, null);
        plant(Path.of(env.get("DOCKER_CONFIG"), "config.json"), content);
        return env;
    }

    private void plant(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        planted.add(file);
    }

    private String dir(String rel) {
        return tmp.resolve(rel).toString();
    }

    private static Map<String, String> with(Map<String, String> env, String... kv) {
        Map<String, String> m = new HashMap<>(env);
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    /** The secret, and a random part of it alone (a message may cut a secret short, e.g. at a '-'). */
    private static void addSecret(Map<String, String> secrets, String what, String value) {
        secrets.put(value, what);
        int dash = value.indexOf('-');
        if (what.contains("base64")) {
            int mid = value.length() / 2;
            secrets.put(value.substring(mid - 6, mid + 6), what + " (middle part)");
        } else if (dash > 0 && value.length() - dash > 12) {
            secrets.put(value.substring(dash + 1), what + " (random part)");
        }
    }

    /** Each secret in {@code text}, with the line it is on (every secret in it masked). */
    private static List<String> find(Map<String, String> secrets, String text, String where) {
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, String> s : secrets.entrySet()) {
            int at = text.indexOf(s.getKey());
            if (at < 0) continue;
            int from = text.lastIndexOf('\n', at) + 1;
            int to = text.indexOf('\n', at);
            String line = text.substring(from, to < 0 ? text.length() : to);
            for (String secret : secrets.keySet()) line = line.replace(secret, "<SECRET>");
            if (line.length() > 300) line = line.substring(0, 300) + "...";
            found.add(s.getValue() + " in " + where + ": " + line);
        }
        return found;
    }

    private static String basic(String user, String pass) {
        return Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
