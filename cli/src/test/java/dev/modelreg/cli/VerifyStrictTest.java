package dev.modelreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verify} lists files the model does not list; {@code --strict} fails on them (exit 2). In process. */
class VerifyStrictTest {
    @TempDir Path tmp;

    Ran run(String... args) {
        return Ran.of(Map.of("MODELREG_CACHE", tmp.resolve("cache").toString(), "HOME", tmp.resolve("home").toString()), args);
    }

    @Test
    void extraFilesAreListedAndFailOnlyWithStrict() throws IOException {
        Path models = tmp.resolve("models");
        DiffCommandTest.copyTree(ExternalCommandTest.examples(), models);
        String layout = "oci-layout:" + tmp.resolve("layout") + ":v1";
        assertThat(run("push", models.toString(), layout, "--name", "example").code()).isZero();
        Path ws = tmp.resolve("ws");
        Ran copy = run("copy", "--from", layout, "example/ex-gwf-bcf2ss", ws.toString());
        assertThat(copy.code()).as(copy.err()).isZero();

        Ran clean = run("verify", "--strict", "--from", layout, "example/ex-gwf-bcf2ss", ws.toString());
        assertThat(clean.code()).as(clean.err()).isZero();
        assertThat(clean.out()).doesNotContain("extra");

        Files.writeString(ws.resolve("notes.txt"), "mine\n");
        Files.createDirectories(ws.resolve("out"));
        Files.writeString(ws.resolve("out/run.lst"), "output\n");
        Ran lenient = run("verify", "--from", layout, "example/ex-gwf-bcf2ss", ws.toString());
        assertThat(lenient.code()).as(lenient.err()).isZero();
        assertThat(lenient.out()).contains("extra: notes.txt\nextra: out/run.lst\n").contains("OK: ");

        Ran strict = run("verify", "--strict", "--from", layout, "example/ex-gwf-bcf2ss", ws.toString());
        assertThat(strict.code()).isEqualTo(ExitCodes.MISMATCH);
        assertThat(strict.out()).contains("extra: notes.txt\n").endsWith("EXTRA: 2 files not in the model (--strict)\n");

        Ran json = run("verify", "--strict", "--json", "--from", layout, "example/ex-gwf-bcf2ss", ws.toString());
        assertThat(json.code()).isEqualTo(ExitCodes.MISMATCH);
        Map<String, Object> j = Json.parseObject(json.out().getBytes(StandardCharsets.UTF_8), "out");
        assertThat(j).containsEntry("ok", false).containsEntry("extra", List.of("notes.txt", "out/run.lst"));
    }
}
