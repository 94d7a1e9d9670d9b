package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Json;
import dev.modelreg.testkit.RegistryFixture;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a contract with scripts: every command, given a failing input with {@code --json}, prints
 * exactly one JSON document on stdout ({@code error.kind}, {@code error.message}, {@code error.exitCode}) and exits
 * with the documented code of its kind; every documented exit code is produced here (130/143: SignalCliTest).
 */
class ErrorContractCliTest {
    @TempDir Path tmp;
    Path models;
    String layout;
    Path config;
    Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        models = Modelreg.copyExamples(tmp.resolve("models"));
        layout = "oci-layout:" + tmp.resolve("layout");
        config = Files.writeString(tmp.resolve("sources.toml"),
                "[sources.example]\nname = \"example\"\noci = \"" + layout + "\"\nrefs = [\"demo\"]\n");
        env = new HashMap<>(Map.of("MODELREG_CACHE", tmp.resolve("cache").toString(), "MODELREG_RETRIES", "0"));
        Modelreg.ok(run("push", models.toString(), layout + ":demo", "--name", "example"), "push");
    }

    Modelreg.Run run(String... args) throws IOException, InterruptedException {
        return Modelreg.run(tmp, Modelreg.FAST_JVM, env, args);
    }

    /** Runs a failing command with --json: one parseable document, its kind, its code, one error line on stderr. */
    @SuppressWarnings("unchecked")
    Modelreg.Run fails(String kind, int code, String... args) throws IOException, InterruptedException {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--json");
        Modelreg.Run r = run(a.toArray(String[]::new));
        String what = "modelreg " + String.join(" ", a) + "\nstdout: " + r.out() + "\nstderr: " + r.err();
        assertThat(r.out().strip().lines()).as("exactly one line, one document: " + what).hasSize(1);
        Map<String, Object> doc = (Map<String, Object>) Json.parse(r.out().strip());
        Map<String, Object> error = (Map<String, Object>) doc.get("error");
        assertThat(error).as(what).isNotNull();
        assertThat(error.get("kind")).as(what).isEqualTo(kind);
        assertThat(error.get("exitCode")).as(what).isEqualTo((long) code);
        assertThat((String) error.get("message")).as(what).isNotBlank().doesNotContain("\n");
        assertThat(r.code()).as(what).isEqualTo(code);
        assertThat(r.err()).as(what).contains("modelreg: error: ").doesNotContain("\tat ");
        return r;
    }

    @Test
    void everyCommandFailsWithOneJsonDocumentAndTheCodeOfItsKind() throws Exception {
        String missing = tmp.resolve("no-such-dir").toString();
        fails("not_found", 4, "make-registry", "--path", missing, "--name", "x");
        fails("not_found", 4, "push", missing, layout + ":v2", "--name", "x");
        fails("not_found", 4, "sync", "--config", config.toString(), "--source", "nosuch");
        fails("invalid", 1, "info", "--config", Files.writeString(tmp.resolve("bad.toml"), "[sources.x\n").toString());
        fails("not_found", 4, "list", "--config", config.toString(), "--source", "nosuch");
        fails("not_found", 4, "copy", "--from", layout + ":demo", "example/no-such-model", tmp.resolve("ws").toString());
        fails("not_found", 4, "pull", layout + ":no-such-tag", tmp.resolve("out").toString());
        fails("not_found", 4, "verify", "--config", config.toString(), "example/ex-gwf-twri01", missing);
        fails("usage", 3, "clear", "--config", config.toString());
        fails("not_found", 4, "mirror", layout + ":no-such-tag", "oci-archive:" + tmp.resolve("x.tar") + ":v1");
        fails("not_found", 4, "tags", "oci-layout:" + missing);
        fails("not_found", 4, "export", "--config", config.toString(), "--source", "nosuch", "--output", tmp.resolve("e.tar").toString());
        fails("usage", 3, "completion", "fish");
        fails("not_found", 4, "tag", layout + ":no-such-tag", "production");
        fails("not_found", 4, "inspect", layout + ":no-such-tag");
        fails("not_found", 4, "annotate", layout + ":no-such-tag", "--annotation", "k=v");
        fails("conflict", 8, "tag", layout + ":demo", "demo", "--expect-digest", "none");
        assertThat(tmp.resolve("out")).doesNotExist();
        assertThat(tmp.resolve("ws")).doesNotExist();
    }

    @Test
    void usageErrorsExitThreeWithTheDocumentAndAHint() throws Exception {
        Modelreg.Run unknown = fails("usage", 3, "pull", "--bogus", layout + ":demo", tmp.resolve("out").toString());
        assertThat(unknown.err()).contains("--bogus");
        fails("usage", 3, "copy", "only-one-argument");
        fails("usage", 3, "push", models.toString(), layout + ":v4", "--name", "x", "--to-tar", tmp.resolve("i.tar").toString());
        assertThat(tmp.resolve("i.tar")).doesNotExist();
        Modelreg.Run plain = run("pull");
        assertThat(plain.code()).isEqualTo(3);
        assertThat(plain.out()).isEmpty();
        assertThat(plain.err()).contains("modelreg: error: Missing required parameters").contains("modelreg pull --help");
        Modelreg.Run annotation = run("push", models.toString(), layout + ":v3", "--name", "x", "--annotation", "novalue");
        assertThat(annotation.code()).isEqualTo(3);
        assertThat(annotation.err()).doesNotContain("option option");
    }

    @Test
    void verifyKeepsZeroMatchTwoMismatch() throws Exception {
        Path ws = tmp.resolve("ws");
        Modelreg.ok(run("copy", "--from", layout + ":demo", "example/ex-gwf-twri01", ws.toString()), "copy");
        Modelreg.Run match = run("verify", "--from", layout + ":demo", "example/ex-gwf-twri01", ws.toString(), "--json");
        assertThat(match.code()).isZero();
        assertThat(match.json()).containsEntry("ok", true);
        try (Stream<Path> s = Files.walk(ws)) {
            Path f = s.filter(Files::isRegularFile).findFirst().orElseThrow();
            Files.writeString(f, "edited in place\n");
        }
        Modelreg.Run mismatch = run("verify", "--from", layout + ":demo", "example/ex-gwf-twri01", ws.toString(), "--json");
        assertThat(mismatch.code()).isEqualTo(2);
        assertThat(mismatch.json()).containsEntry("ok", false).doesNotContainKey("error");
    }

    @Test
    void integrityFailuresExitSix() throws Exception {
        // a layout whose one blob was changed on disk: its digest no longer matches the manifest
        Path blobs = tmp.resolve("layout/blobs/sha256");
        Path victim;
        try (Stream<Path> s = Files.list(blobs)) {
            victim = s.filter(p -> {
                try {
                    return Files.size(p) > 1000 && Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1).contains("BEGIN");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(victim);
        b[b.length / 2] ^= 1;
        Files.write(victim, b);
        Modelreg.Run r = fails("integrity", 6, "pull", layout + ":demo", tmp.resolve("out").toString());
        assertThat(r.out()).contains(victim.getFileName().toString());
        assertThat(tmp.resolve("out")).doesNotExist();
        fails("integrity", 6, "mirror", layout + ":demo", "oci-layout:" + tmp.resolve("copy") + ":demo");
    }

    @Test
    void networkFailuresExitSevenAndOfflineMissesToo() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        fails("unavailable", 7, "tags", "127.0.0.1:" + closed + "/models");
        fails("unavailable", 7, "pull", "127.0.0.1:" + closed + "/models:v1", tmp.resolve("out").toString());
        fails("unavailable", 7, "copy", "--offline", "--config", config.toString(), "example/ex-gwf-twri01", tmp.resolve("ws").toString());
        // sync: the failures' shared kind gives the code, and the result document carries the error
        Path down = Files.writeString(tmp.resolve("down.toml"),
                "[sources.down]\nname = \"down\"\noci = \"127.0.0.1:" + closed + "/models\"\nrefs = [\"v1\", \"v2\"]\n");
        Modelreg.Run sync = fails("unavailable", 7, "sync", "--config", down.toString());
        assertThat(sync.json()).containsEntry("failed", 2L);
    }

    @Test
    void authenticationFailuresExitFive() throws Exception {
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.BASIC_AUTH, tmp.resolve("reg"))) {
            fails("unauthorized", 5, "tags", reg.host() + "/models");
            env.put("MODELREG_REGISTRY_USER", reg.username());
            env.put("MODELREG_REGISTRY_PASSWORD", "wrong-" + reg.password());
            Modelreg.Run wrong = fails("unauthorized", 5, "push", models.toString(), reg.host() + "/models:v1", "--name", "x");
            assertThat(wrong.out() + wrong.err()).doesNotContain(reg.password());
        }
    }

    @Test
    void verboseBeforeOrAfterTheCommandPrintsTheStackTrace() throws Exception {
        String missing = tmp.resolve("no-such-dir").toString();
        for (List<String> args : List.of(List.of("-v", "tags", "oci-layout:" + missing), List.of("tags", "-v", "oci-layout:" + missing),
                List.of("--verbose", "tags", "oci-layout:" + missing))) {
            Modelreg.Run r = run(args.toArray(String[]::new));
            assertThat(r.code()).as(args.toString()).isEqualTo(4);
            assertThat(r.err()).as(args.toString()).contains("modelreg: error: ").contains("\tat dev.modelreg.");
        }
        Modelreg.Run quiet = run("tags", "oci-layout:" + missing);
        assertThat(quiet.err().strip().lines()).hasSize(1);
    }
}
