package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Digest;
import dev.modelreg.testkit.GitHubFixture;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.Request;
import dev.modelreg.testkit.ThrottleProxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transfer killed with SIGKILL midway and run again: the rerun sends a Range request for what the partial file
 * lacks (bytes counted where they are served: the registry's access log, the GitHub fixture), and afterwards nothing
 * is left in the cache's ingest/ or beside the target. The first run goes through a throttling proxy (or a throttled
 * fixture) so that it can be caught midway.
 */
class ResumeCliTest {
    static final int BIG = 24 << 20;
    static final long RATE = 4 << 20;
    static final long KILL_AT = 6 << 20;

    @TempDir Path tmp;

    static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Waits (bounded) until the cache holds a partial download of at least {@code bytes}; returns it. */
    static Path awaitPartial(Path cache, long bytes, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            Path ingest = cache.resolve("ingest");
            if (Files.isDirectory(ingest)) {
                try (Stream<Path> s = Files.list(ingest)) {
                    for (Path f : s.toList()) {
                        try {
                            if (f.getFileName().toString().endsWith(".partial") && Files.size(f) >= bytes) return f;
                        } catch (java.nio.file.NoSuchFileException e) {
                            // a small blob's partial, verified and moved into blobs/ since the listing
                        }
                    }
                }
            }
            assertThat(p.isAlive()).as("the transfer ended before it could be killed").isTrue();
            Thread.sleep(20);
        }
        throw new AssertionError("no partial download of " + bytes + " bytes appeared in " + cache.resolve("ingest"));
    }

    static void kill(Process p) throws InterruptedException {
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    static List<String> besideTarget(Path dir, String name) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("." + name + ".")).toList();
        }
    }

    @Test
    void aRegistryPullKilledMidwayResumesWithARange() throws Exception {
        Path models = tmp.resolve("models/big");
        Files.createDirectories(models);
        Files.writeString(models.resolve("mfsim.nam"), "BEGIN options\nEND options\n");
        byte[] weights = random(1, BIG);
        Files.write(models.resolve("weights.bin"), weights);
        Path cache = tmp.resolve("cache");
        Map<String, String> env = Map.of("MODELREG_CACHE", cache.toString());
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("reg"));
             ThrottleProxy slow = ThrottleProxy.start(reg.port(), RATE)) {
            Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, Map.of(), "push", tmp.resolve("models").toString(),
                    reg.host() + "/models/big:v1", "--name", "ex"));
            Path out = tmp.resolve("out");
            Modelreg.Started first = Modelreg.start(tmp, tmp, Modelreg.FAST_JVM, env, "pull", slow.host() + "/models/big:v1", out.toString());
            Path partial = awaitPartial(cache, KILL_AT, first.process());
            kill(first.process());
            long have = Files.size(partial);
            assertThat(besideTarget(tmp, "out")).as("the killed run left its staging directory").isNotEmpty();
            // the registry logs the killed run's GET once it notices the client is gone: wait for it, then start counting
            slow.close();
            String blob = "/blobs/" + Digest.sha256Of(weights);
            reg.awaitRequests(q -> q.stream().anyMatch(r -> r.method().equals("GET") && r.path().endsWith(blob)), Duration.ofSeconds(30));
            reg.clearRequests();
            Modelreg.Run again = Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, env, "pull", reg.host() + "/models/big:v1",
                    out.toString()));
            assertThat(again.out()).contains("2 files");
            assertThat(Digest.sha256Of(Files.readAllBytes(out.resolve("big/weights.bin")))).isEqualTo(Digest.sha256Of(weights));
            List<Request> gets = reg.awaitRequests(q -> q.stream().anyMatch(r -> r.path().endsWith(blob)), Duration.ofSeconds(10))
                    .stream().filter(r -> r.method().equals("GET") && r.path().endsWith(blob)).toList();
            assertThat(gets).as("one GET of the big blob in the rerun").hasSize(1);
            Request big = gets.get(0);
            assertThat(big.status()).isEqualTo(206);
            assertThat(big.bytes()).as("the rerun moved the remainder of the %d-byte partial only", have).isEqualTo(BIG - have);
            try (Stream<Path> s = Files.list(cache.resolve("ingest"))) {
                assertThat(s).as("nothing left in ingest/").isEmpty();
            }
            assertThat(besideTarget(tmp, "out")).as("nothing left beside the target").isEmpty();
        }
    }

    @Test
    void aGitHubModeCopyKilledMidwayResumesWithARange() throws Exception {
        try (GitHubFixture gh = GitHubFixture.start(tmp.resolve("gh"))) {
            byte[] nam = "BEGIN options\nEND options\n".getBytes(StandardCharsets.UTF_8);
            byte[] weights = random(2, BIG);
            String raw = "https://raw.githubusercontent.com/org/models/main/";
            String toml = "[files.\"big/mfsim.nam\"]\nhash = \"" + Digest.sha256Of(nam).hex() + "\"\nurl = \"" + raw + "big/mfsim.nam\"\n\n"
                    + "[files.\"big/weights.bin\"]\nhash = \"" + Digest.sha256Of(weights).hex() + "\"\nurl = \"" + raw + "big/weights.bin\"\n\n"
                    + "[models]\n\"gh/big\" = [\"big/mfsim.nam\", \"big/weights.bin\"]\n";
            gh.putRaw("org", "models", "main", ".registry/models.toml", toml.getBytes(StandardCharsets.UTF_8));
            gh.putRaw("org", "models", "main", "big/mfsim.nam", nam);
            gh.putRaw("org", "models", "main", "big/weights.bin", weights);
            Path bootstrap = Files.writeString(tmp.resolve("sources.toml"),
                    "[sources.gh]\nrepo = \"org/models\"\nname = \"gh\"\nrefs = [\"main\"]\n");
            Path cache = tmp.resolve("cache");
            Map<String, String> env = new HashMap<>(gh.env());
            env.put("MODELREG_CACHE", cache.toString());
            env.put("MODELREG_CONFIG", bootstrap.toString());
            Path ws = tmp.resolve("ws");

            gh.throttle(RATE);
            Modelreg.Started first = Modelreg.start(tmp, tmp, Modelreg.FAST_JVM, env, "copy", "gh/big", ws.toString());
            Path partial = awaitPartial(cache, KILL_AT, first.process());
            kill(first.process());
            long have = Files.size(partial);

            gh.throttle(0);
            gh.clearRequests();
            Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, env, "copy", "gh/big", ws.toString()));
            assertThat(Digest.sha256Of(Files.readAllBytes(ws.resolve("weights.bin")))).isEqualTo(Digest.sha256Of(weights));
            Request big = gh.requests().stream().filter(r -> r.path().endsWith("/big/weights.bin")).findFirst().orElseThrow();
            assertThat(big.status()).isEqualTo(206);
            assertThat(big.bytes()).as("the rerun moved the remainder of the %d-byte partial only", have).isEqualTo(BIG - have);
            try (Stream<Path> s = Files.list(cache.resolve("ingest"))) {
                assertThat(s).as("nothing left in ingest/").isEmpty();
            }
            assertThat(besideTarget(tmp, "ws")).as("nothing left beside the workspace").isEmpty();
        }
    }
}
