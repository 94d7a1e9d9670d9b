package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Digest;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.ThrottleProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C (SIGINT) and SIGTERM in the middle of a pull: the process removes its staging directory and temp files,
 * keeps the resumable partial download, says it was interrupted, and exits with 128 + the signal number; the next run
 * resumes and finishes with nothing left behind.
 */
class SignalCliTest {
    @TempDir Path tmp;

    @Test
    void sigintAndSigtermCleanUpAndKeepThePartialForTheNextRun() throws Exception {
        Path models = tmp.resolve("models/big");
        Files.createDirectories(models);
        Files.writeString(models.resolve("mfsim.nam"), "BEGIN options\nEND options\n");
        byte[] weights = ResumeCliTest.random(3, ResumeCliTest.BIG);
        Files.write(models.resolve("weights.bin"), weights);
        Path cache = tmp.resolve("cache");
        Map<String, String> env = Map.of("MODELREG_CACHE", cache.toString());
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("reg"));
             ThrottleProxy slow = ThrottleProxy.start(reg.port(), ResumeCliTest.RATE)) {
            Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, Map.of(), "push", tmp.resolve("models").toString(),
                    reg.host() + "/models/big:v1", "--name", "ex"));
            Path out = tmp.resolve("out");
            long kept = 0;
            for (String signal : List.of("INT", "TERM")) {
                Modelreg.Started run = Modelreg.start(tmp, tmp, Modelreg.FAST_JVM, env, "pull", slow.host() + "/models/big:v1",
                        out.toString(), "--json");
                Path partial = ResumeCliTest.awaitPartial(cache, kept + (2 << 20), run.process());
                assertThat(ResumeCliTest.besideTarget(tmp, "out")).as("a staging directory while it runs")
                        .anySatisfy(n -> assertThat(n).startsWith(".out.staging-"));
                Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(run.process().pid())).start();
                assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
                Modelreg.Run r = run.finish();
                assertThat(r.code()).as("exit code after SIG%s", signal).isEqualTo(128 + ("INT".equals(signal) ? 2 : 15));
                assertThat(r.err()).contains("modelreg: interrupted");
                @SuppressWarnings("unchecked")
                Map<String, Object> error = (Map<String, Object>) r.json().get("error");
                assertThat(error).as("the one JSON document of an interrupted --json run")
                        .containsEntry("kind", "interrupted").containsEntry("exitCode", (long) r.code());
                assertThat(ResumeCliTest.besideTarget(tmp, "out")).as("staging removed on SIG%s", signal).isEmpty();
                assertThat(out).doesNotExist();
                try (Stream<Path> s = Files.list(cache.resolve("ingest"))) {
                    assertThat(s.map(p -> p.getFileName().toString()).toList()).as("only the resumable partial is kept")
                            .containsExactly(partial.getFileName().toString());
                }
                kept = Files.size(partial);
                assertThat(kept).isGreaterThanOrEqualTo(2 << 20);
            }
            Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, env, "pull", reg.host() + "/models/big:v1", out.toString()));
            assertThat(Digest.sha256Of(Files.readAllBytes(out.resolve("big/weights.bin")))).isEqualTo(Digest.sha256Of(weights));
            try (Stream<Path> s = Files.list(cache.resolve("ingest"))) {
                assertThat(s).as("nothing left in ingest/").isEmpty();
            }
            assertThat(ResumeCliTest.besideTarget(tmp, "out")).isEmpty();
        }
    }
}
