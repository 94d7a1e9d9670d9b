package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Digest;
import dev.modelreg.testkit.StubServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text a registry controls (an error body, model names; file keys with control characters are refused by the
 * models.toml reader on both sides) never reaches the terminal raw: ESC, BEL, CR, NUL
 * and bidirectional overrides are shown as {@code \\uXXXX} in human output, and JSON output keeps them exact.
 */
class HostileTextCliTest {
    static final String ATTACK = "X\u001b[31mRED\u001b]0;PWNED\u0007\u001b[0m\rmodelreg: ok\u0000\u202e";

    @TempDir Path tmp;

    static void assertNoRawControls(String text) {
        for (char c : List.of('\u001b', '\u0007', '\r', '\u0000', '\u202e')) {
            assertThat(text.indexOf(c)).as("raw U+%04X in %s", (int) c, text).isEqualTo(-1);
        }
    }

    @Test
    void aRegistryErrorBodyCannotRewriteTheErrorLine() throws Exception {
        byte[] body = ATTACK.getBytes(StandardCharsets.UTF_8);
        String digest = Digest.sha256Of(body).toString();
        // the tag resolves (HEAD), then the manifest GET fails with the hostile body
        try (StubServer stub = StubServer.http("127.0.0.1", x -> {
            if (x.getRequestMethod().equals("HEAD")) {
                StubServer.answer(x, 200, new byte[100], "Docker-Content-Digest", digest,
                        "Content-Type", "application/vnd.oci.image.manifest.v1+json");
            } else {
                StubServer.answer(x, 500, body, "Content-Type", "text/plain");
            }
        })) {
            Modelreg.Run r = Modelreg.run(tmp, Modelreg.FAST_JVM, Map.of("MODELREG_CACHE", tmp.resolve("c").toString()),
                    "pull", stub.host() + "/models/x:v1", tmp.resolve("out").toString());
            assertThat(r.code()).as("HTTP 500: unavailable").isEqualTo(7);
            assertNoRawControls(r.err());
            assertThat(r.err().strip().lines()).hasSize(1);
            assertThat(r.err()).startsWith("modelreg: error: ").contains(stub.host()).contains("\\u001b");
        }
    }

    @Test
    void hostileModelNamesAndFileKeysAreEscapedForPeopleAndExactInJson() throws Exception {
        String model = "ex/m\u001b]0;PWNED\u0007\r";
        Path dir = tmp.resolve("models/m");
        Files.createDirectories(dir);
        byte[] content = "data\n".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("input.txt"), content);
        String toml = "[files.\"m/input.txt\"]\nhash = \"" + Digest.sha256Of(content).hex() + "\"\n\n"
                + "[models]\n\"ex/m\\u001b]0;PWNED\\u0007\\r\" = [\"m/input.txt\"]\n";
        Path registry = Files.writeString(tmp.resolve("models.toml"), toml);
        String layout = "oci-layout:" + tmp.resolve("layout");
        Map<String, String> env = Map.of("MODELREG_CACHE", tmp.resolve("c").toString());
        Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, env, "push", tmp.resolve("models").toString(), layout + ":v1",
                "--registry-file", registry.toString()));
        Path config = Files.writeString(tmp.resolve("sources.toml"), "[sources.ex]\nname = \"ex\"\noci = \"" + layout
                + "\"\nrefs = [\"v1\"]\n");
        Map<String, String> cfg = Map.of("MODELREG_CACHE", tmp.resolve("c").toString(), "MODELREG_CONFIG", config.toString());
        Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, cfg, "sync"));

        Modelreg.Run list = Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, cfg, "list", "-v"));
        assertNoRawControls(list.out() + list.err());
        assertThat(list.out()).contains("ex/m\\u001b]0;PWNED\\u0007\\u000d");
        Modelreg.Run json = Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, cfg, "list", "--json"));
        assertThat(json.out()).contains("PWNED");
        assertThat(json.json().toString()).as("JSON keeps the exact name").contains(model);

        // and a model address with control characters is refused before anything is looked up
        Modelreg.Run copy = Modelreg.run(tmp, Modelreg.FAST_JVM, cfg, "copy", model, tmp.resolve("ws").toString());
        assertThat(copy.code()).isEqualTo(1);
        assertNoRawControls(copy.out() + copy.err());
        assertThat(copy.err()).contains("control character");
        assertThat(tmp.resolve("ws")).doesNotExist();
    }
}
