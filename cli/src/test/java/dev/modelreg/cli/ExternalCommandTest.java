package dev.modelreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Digest;
import dev.modelreg.testkit.StubServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Files stored outside the registry" commands, in process: push --external, pull, mirror --internalize. */
class ExternalCommandTest {
    @TempDir Path tmp;

    final Map<String, byte[]> served = new ConcurrentHashMap<>();

    Ran run(String cache, String... args) {
        return Ran.of(Map.of("MODELREG_CACHE", tmp.resolve(cache).toString(), "HOME", tmp.resolve("home").toString(),
                "MODELREG_RETRIES", "0"), args);
    }

    static Path examples() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("examples/models"))) p = p.getParent();
        assertThat(p).isNotNull();
        return p.resolve("examples/models");
    }

    @Test
    void pushExternalPullAndMirrorInternalizeAsTheReadmeShows() throws IOException {
        Path models = examples();
        try (Stream<Path> s = Files.walk(models)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".bin")).toList()) {
                served.put(models.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        String layout = "oci-layout:" + tmp.resolve("ext");
        String mirror = "oci-layout:" + tmp.resolve("airgap");
        try (StubServer http = StubServer.http("127.0.0.1", x -> {
            byte[] b = served.get(x.getRequestURI().getPath().substring("/models/".length()));
            StubServer.answer(x, b == null ? 404 : 200, b);
        })) {
            String base = "http://" + http.host() + "/models";
            Ran none = run("c0", "push", models.toString(), layout + ":v1", "--name", "example",
                    "--external", 'x' + "/**", "--external-url-base", base);
            assertThat(none.code()).as(none.err()).isEqualTo(ExitCodes.NOT_FOUND);
            assertThat(none.errLines()).containsExactly("modelreg: error: --external 'x/**' matches no file of the models of "
                    + models);

            Ran push = run("c0", "push", models.toString(), layout + ":v1", "--name", "example",
                    "--external", "**/*.bin", "--external-url-base", base);
            assertThat(push.code()).as(push.err()).isZero();

            Ran pull = run("c1", "pull", layout + ":v1", tmp.resolve("ws").toString());
            assertThat(pull.code()).as(pull.err()).isZero();
            for (var e : served.entrySet()) assertThat(tmp.resolve("ws").resolve(e.getKey())).hasBinaryContent(e.getValue());
            assertThat(http.seen()).hasSize(served.size());

            String key = "ex-gwf-bcf2ss/arrays/strt.bin";
            byte[] good = served.get(key);
            byte[] bad = good.clone();
            bad[0] ^= 1;
            served.put(key, bad);
            Ran tampered = run("c2", "pull", layout + ":v1", tmp.resolve("ws2").toString());
            assertThat(tampered.code()).isEqualTo(ExitCodes.INTEGRITY);
            assertThat(tampered.errLines()).singleElement().asString().contains("file '" + key + "'").contains(base + "/" + key);
            assertThat(tmp.resolve("c2/blobs/sha256/" + Digest.sha256Of(good).hex())).doesNotExist();
            served.put(key, good);

            Ran m = run("c3", "mirror", "--internalize", layout + ":v1", mirror);
            assertThat(m.code()).as(m.err()).isZero();
        }
        Ran offline = run("c4", "pull", mirror + ":v1", tmp.resolve("ws3").toString()); // the HTTP server is gone
        assertThat(offline.code()).as(offline.err()).isZero();
        for (var e : served.entrySet()) assertThat(tmp.resolve("ws3").resolve(e.getKey())).hasBinaryContent(e.getValue());
    }
}
