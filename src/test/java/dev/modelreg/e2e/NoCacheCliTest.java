package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Digest;
import dev.modelreg.testkit.RegistryFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pull --no-cache} and {@code copy --no-cache} through the CLI (spec 9.1): the files verified into the target,
 * nothing downloaded in the cache's blobs, nothing left beside the target, and the JSON result as usual; the default
 * copy afterwards fills the cache.
 */
class NoCacheCliTest {
    @TempDir Path tmp;

    @Test
    void pullAndCopyWithNoCacheWriteOnlyTheTarget() throws Exception {
        byte[] weights = Modelreg.bigModel(tmp.resolve("models/big"), "weights.bin", 3 << 20);
        Digest blob = Digest.sha256Of(weights);
        Path cache = tmp.resolve("cache");
        Map<String, String> env = Map.of("MODELREG_CACHE", cache.toString());
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("reg"))) {
            String ref = reg.host() + "/models/big:v1";
            Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, Map.of(), "push", tmp.resolve("models").toString(), ref, "--name", "ex"));

            Path out = tmp.resolve("out");
            Modelreg.Run pull = Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, env, "pull", "--no-cache", "--json", ref, out.toString()));
            assertThat(pull.out()).contains("\"workspace\"").contains("big/weights.bin");
            assertThat(out.resolve("big/weights.bin")).hasBinaryContent(weights);
            assertThat(cache.resolve("blobs/sha256/" + blob.hex())).doesNotExist();

            Path ws = tmp.resolve("ws");
            Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, env, "copy", "--no-cache", "--from", ref, "ex/big", ws.toString()));
            assertThat(ws.resolve("weights.bin")).hasBinaryContent(weights);
            assertThat(ws.resolve("mfsim.nam")).hasContent("BEGIN options\nEND options");
            assertThat(cache.resolve("blobs/sha256/" + blob.hex())).doesNotExist();
            try (Stream<Path> s = Files.list(tmp)) {
                assertThat(s.map(p -> p.getFileName().toString()).toList())
                        .noneMatch(n -> n.startsWith(".out.") || n.startsWith(".ws."));
            }

            Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, env, "copy", "--from", ref, "ex/big", tmp.resolve("ws2").toString()));
            assertThat(tmp.resolve("ws2/weights.bin")).hasBinaryContent(weights);
            assertThat(cache.resolve("blobs/sha256/" + blob.hex())).hasBinaryContent(weights);
            assertThat(List.of(ws, out)).allSatisfy(d -> assertThat(d).isDirectory());
        }
    }
}
