package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consumer {@code [mirrors]} rules through the real CLI against real registries on loopback: A is the upstream,
 * B a mirror filled by the {@code mirror} command, P a pull-through cache of A (distribution's proxy mode).
 * <p>
 * No wall-clock bound on a whole test: each step is bounded by its own work, every command by {@link Modelreg#LIMIT},
 * the fixtures' start-up and the wait for the proxy's store by theirs, so a hang fails the step that hangs, by name.
 */
class MirrorRulesCliTest {
    @TempDir Path tmp;

    /** A is stopped: tag and original digest are served by B, every file verified; info names B. */
    @SuppressWarnings("unchecked")
    @Test
    void mirrorServesWhenUpstreamIsDown() throws Exception {
        Path examples = Modelreg.copyExamples(tmp.resolve("models"));
        try (RegistryFixture a = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("a"));
             RegistryFixture b = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("b"))) {
            String upstream = a.host() + "/org/models";
            String mirror = b.host() + "/mirror/org/models";
            String digest = (String) Modelreg.ok(tmp, "push", examples.toString(), upstream + ":v1", "--name", "example",
                    "--json").json().get("digest");
            Modelreg.ok(tmp, "mirror", upstream + ":v1", mirror + ":v1");
            // the user overlay: a source for A and a rule to B
            Path overlay = Files.createDirectories(tmp.resolve("xdg-config/modelreg")).resolve("models.toml");
            Files.writeString(overlay, "[sources.mirrored]\nname = \"example\"\noci = \"" + upstream + "\"\n"
                    + "refs = [\"v1\"]\n\n[mirrors]\n\"" + a.host() + "/org\" = \"" + b.host() + "/mirror/org\"\n");
            a.close();

            run("c1", "pull", upstream + ":v1", tmp.resolve("by-tag").toString());
            run("c2", "pull", upstream + "@" + digest, tmp.resolve("by-digest").toString());
            assertSameFiles(examples, tmp.resolve("by-tag"));
            assertSameFiles(examples, tmp.resolve("by-digest"));

            run("c3", "sync", "--source", "mirrored");
            assertThat(run("c3", "sync", "--source", "mirrored", "--json").json().get("unchanged")).isEqualTo(1L);
            Map<String, Object> info = run("c3", "info", "--json").json();
            Map<String, Object> src = ((List<Map<String, Object>>) info.get("sources")).stream()
                    .filter(s -> "mirrored".equals(s.get("source"))).findFirst().orElseThrow();
            Map<String, Object> cached = ((List<Map<String, Object>>) src.get("cached")).get(0);
            assertThat(cached).containsEntry("served_by", mirror).containsEntry("reference", upstream)
                    .containsEntry("digest", digest);
            assertThat(run("c3", "info").out()).contains("v1 (via " + mirror + ")");
            run("c3", "copy", "example@v1/ex-gwf-bcf2ss", tmp.resolve("ws").toString());
            run("c3", "verify", "example@v1/ex-gwf-bcf2ss", tmp.resolve("ws").toString());
            run("c4", "verify", "--from", upstream + ":v1", "example/ex-gwf-bcf2ss", tmp.resolve("ws").toString());
        }
    }

    /** B lacks the ref: a mirror-only rule fails in one line naming B; a plain rule falls back to A. */
    @Test
    void mirrorOnlyFailsAndPlainRuleFallsBack() throws Exception {
        Path examples = Modelreg.copyExamples(tmp.resolve("models"));
        try (RegistryFixture a = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("a"));
             RegistryFixture b = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("b"))) {
            String upstream = a.host() + "/org/models";
            Modelreg.ok(tmp, "push", examples.toString(), upstream + ":v1", "--name", "example");
            Path only = tmp.resolve("only.toml");
            Files.writeString(only, "[mirrors]\n\"" + a.host() + "\" = { endpoints = [\"" + b.host()
                    + "/mirror\"], mirror_only = true }\n");
            a.clearRequests();
            Modelreg.Run bad = Modelreg.run(tmp, Modelreg.FAST_JVM, env("c1", only), "pull", upstream + ":v1",
                    tmp.resolve("none").toString());
            assertThat(bad.code()).as(bad.err()).isNotZero();
            List<String> lines = bad.err().lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).contains(b.host() + "/mirror/org/models").contains("mirror-only");
            System.out.println("mirror-only: " + lines.get(0));
            assertThat(a.requests()).isEmpty();

            Path fallback = tmp.resolve("fallback.toml");
            Files.writeString(fallback, "[mirrors]\n\"" + a.host() + "\" = [\"" + b.host() + "/mirror\"]\n");
            Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, env("c2", fallback), "pull", upstream + ":v1",
                    tmp.resolve("out").toString()), "pull");
            assertSameFiles(examples, tmp.resolve("out"));
            assertThat(b.requests()).anyMatch(q -> q.path().startsWith("/v2/mirror/org/models/manifests/")
                    && q.status() == 404);
        }
    }

    /** A mirror serving a layer that is not its digest: an error naming the mirror, never a fall-through to A. */
    @Test
    void tamperedMirrorIsAnErrorNamingIt() throws Exception {
        Path examples = Modelreg.copyExamples(tmp.resolve("models"));
        try (RegistryFixture a = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("a"));
             RegistryFixture b = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("b"))) {
            String upstream = a.host() + "/org/models";
            Modelreg.ok(tmp, "push", examples.toString(), upstream + ":v1", "--name", "example");
            Modelreg.ok(tmp, "mirror", upstream + ":v1", b.host() + "/mirror/org/models:v1");
            Path largest;
            try (var w = Files.walk(b.storageDir())) {
                largest = w.filter(f -> f.getFileName().toString().equals("data"))
                        .max(java.util.Comparator.comparingLong(f -> f.toFile().length())).orElseThrow();
            }
            byte[] bytes = Files.readAllBytes(largest);
            bytes[bytes.length / 2] ^= 1;
            Files.write(largest, bytes);
            Path cfg = tmp.resolve("mirrors.toml");
            Files.writeString(cfg, "[mirrors]\n\"" + a.host() + "\" = \"" + b.host() + "/mirror\"\n");
            a.clearRequests();
            Modelreg.Run bad = Modelreg.run(tmp, Modelreg.FAST_JVM, env("c1", cfg), "pull", upstream + ":v1",
                    tmp.resolve("out").toString());
            assertThat(bad.code()).as(bad.err()).isNotZero();
            assertThat(bad.err()).contains(b.host() + "/mirror/org/models");
            System.out.println("tampered mirror: " + bad.err().strip());
            assertThat(a.requests()).noneMatch(q -> q.path().contains("/blobs/"));
        }
    }

    /** Three consumers with separate caches pull through a pull-through cache: A serves each blob once. */
    @Test
    void pullThroughCacheServesEachBlobOnce() throws Exception {
        Path examples = Modelreg.copyExamples(tmp.resolve("models"));
        try (RegistryFixture a = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("a"));
             RegistryFixture p = RegistryFixture.startProxy(a.url(), tmp.resolve("p"))) {
            String upstream = a.host() + "/org/models";
            Modelreg.ok(tmp, "push", examples.toString(), upstream + ":v1", "--name", "example");
            Path cfg = tmp.resolve("proxy.toml");
            Files.writeString(cfg, "[mirrors]\n\"" + a.host() + "\" = { endpoints = [\"" + p.host()
                    + "\"], mirror_only = true }\n");
            a.clearRequests();
            pullThrough(examples, upstream, cfg, 1);
            Map<String, Long> first = blobGets(a.requests());
            assertThat(first).isNotEmpty();
            // distribution 2.8 answers a miss with one upstream fetch for the client and one to store it
            assertThat(first.values()).as("upstream blob GETs: %s", first).allMatch(n -> n <= 2L);
            awaitStored(p, first.keySet());
            a.clearRequests();
            pullThrough(examples, upstream, cfg, 2);
            pullThrough(examples, upstream, cfg, 3);
            Map<String, Long> later = blobGets(a.requests());
            assertThat(later).as("upstream blob GETs of consumers 2 and 3").isEmpty();
            System.out.println("pull-through: " + first.size() + " blobs; upstream blob GETs: consumer 1 "
                    + first.values().stream().mapToLong(Long::longValue).sum() + ", consumers 2 and 3: 0");
        }
    }

    private void pullThrough(Path examples, String upstream, Path cfg, int i) throws Exception {
        Path out = tmp.resolve("out" + i);
        Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, env("c" + i, cfg), "pull", upstream + ":v1", out.toString()),
                "pull");
        assertSameFiles(examples, out);
    }

    private static Map<String, Long> blobGets(List<Request> reqs) {
        return reqs.stream().filter(q -> q.method().equals("GET") && q.path().startsWith("/v2/org/models/blobs/"))
                .collect(Collectors.groupingBy(Request::path, Collectors.counting()));
    }

    /** Waits (bounded) until the proxy has stored every blob it fetched from the upstream. */
    private static void awaitStored(RegistryFixture p, java.util.Set<String> paths) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (String path : paths) {
            String hex = path.substring(path.lastIndexOf(':') + 1);
            Path data = p.storageDir().resolve("docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
            while (!Files.exists(data)) {
                assertThat(System.nanoTime()).as("proxy stored " + hex).isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    private Map<String, String> env(String cache, Path config) {
        Map<String, String> e = new HashMap<>();
        e.put("MODELREG_CACHE", tmp.resolve(cache).toString());
        if (config != null) e.put("MODELREG_CONFIG", config.toString());
        return e;
    }

    private Modelreg.Run run(String cache, String... args) throws Exception {
        return Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, env(cache, null), args), args);
    }

    private static void assertSameFiles(Path examples, Path dir) throws Exception {
        ModelsToml reg = ModelsTomlCodec.read(Files.readAllBytes(examples.resolve(".registry/models.toml")), "examples");
        for (String key : reg.files().keySet()) {
            assertThat(Files.readAllBytes(dir.resolve(key))).as(key).isEqualTo(Files.readAllBytes(examples.resolve(key)));
        }
    }
}
