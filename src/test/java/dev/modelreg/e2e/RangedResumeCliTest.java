package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Digest;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.Request;
import dev.modelreg.testkit.ThrottleProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ranged download (spec 12.6) killed with SIGKILL while its ranges are written ahead of the frontier: the partial
 * has holes, the marker beside it a frontier; the rerun trusts only the marker's prefix, asks for the rest, and
 * ends with the verified blob and nothing left in ingest/.
 */
class RangedResumeCliTest {
    static final int BIG = 80 << 20; // 3 ranges of 32 MiB at most
    static final long RATE = 4 << 20; // per connection

    @TempDir Path tmp;

    @Test
    void aRangedPullKilledMidwayResumesFromItsMarkedFrontier() throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models/big"));
        Files.writeString(models.resolve("mfsim.nam"), "BEGIN options\nEND options\n");
        byte[] weights = ResumeCliTest.random(3, BIG);
        Files.write(models.resolve("weights.bin"), weights);
        Digest digest = Digest.sha256Of(weights);
        Path cache = tmp.resolve("cache");
        Map<String, String> env = Map.of("MODELREG_CACHE", cache.toString());
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("reg"));
             ThrottleProxy slow = ThrottleProxy.start(reg.port(), RATE)) {
            Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, Map.of(), "push", tmp.resolve("models").toString(),
                    reg.host() + "/models/big:v1", "--name", "ex"));
            Path out = tmp.resolve("out");
            Modelreg.Started first = Modelreg.start(tmp, tmp, Modelreg.FAST_JVM, env, "pull", slow.host() + "/models/big:v1", out.toString());
            Path partial = cache.resolve("ingest").resolve("sha256-" + digest.hex() + ".partial");
            Path marker = partial.resolveSibling(partial.getFileName() + ".ranged");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            long mark = 0;
            while (mark < (16 << 20) && System.nanoTime() < deadline) { // the frontier passed its first 16 MiB
                assertThat(first.process().isAlive()).as("the transfer ended before it could be killed").isTrue();
                Thread.sleep(20);
                try {
                    mark = Long.parseLong(Files.readString(marker).trim());
                } catch (java.io.IOException | NumberFormatException e) {
                    mark = 0; // not there yet, or being rewritten
                }
            }
            assertThat(mark).as("a marked frontier of at least 16 MiB").isGreaterThanOrEqualTo(16 << 20);
            ResumeCliTest.kill(first.process());
            long kept = Long.parseLong(Files.readString(marker).trim());
            assertThat(Files.size(partial)).as("ranges were written ahead of the frontier").isGreaterThan(kept);
            slow.close();
            String blob = "/blobs/" + digest;
            reg.awaitRequests(q -> q.stream().filter(r -> r.method().equals("GET") && r.path().endsWith(blob)).count() >= 3,
                    Duration.ofSeconds(30));
            Thread.sleep(500);
            reg.clearRequests();

            Modelreg.Run again = Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, env, "pull", reg.host() + "/models/big:v1",
                    out.toString()));
            assertThat(again.out()).contains("2 files");
            assertThat(Digest.sha256Of(Files.readAllBytes(out.resolve("big/weights.bin")))).isEqualTo(digest);
            List<Request> gets = reg.awaitRequests(q -> q.stream().filter(r -> r.path().endsWith(blob))
                            .mapToLong(Request::bytes).sum() >= BIG - kept, Duration.ofSeconds(10))
                    .stream().filter(r -> r.method().equals("GET") && r.path().endsWith(blob)).toList();
            assertThat(gets).allSatisfy(r -> assertThat(r.status()).isEqualTo(206));
            assertThat(gets.stream().mapToLong(Request::bytes).sum()).as("only what the marked frontier lacked").isEqualTo(BIG - kept);
            try (Stream<Path> s = Files.list(cache.resolve("ingest"))) {
                assertThat(s).as("nothing left in ingest/").isEmpty();
            }
        }
    }
}
