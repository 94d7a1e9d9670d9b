package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Json;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job, end to end through the real CLI in its own JVM: publish examples/models into an OCI image
 * layout directory (no server), then pull the whole ref and copy one model out of it, verified.
 */
class ConsumeMainJobTest {
    @TempDir Path tmp;
    Path repoRoot;
    Path examples;
    String layout;

    record Run(int code, String out, String err) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return (Map<String, Object>) Json.parse(out.trim());
        }
    }

    @BeforeEach
    void setUp() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("examples/models"))) p = p.getParent();
        assertThat(p).as("repository root with examples/models").isNotNull();
        repoRoot = p;
        examples = p.resolve("examples/models");
        layout = "oci-layout:" + tmp.resolve("layout");
    }

    Run modelreg(String... args) throws IOException, InterruptedException {
        Process proc = start("run", args);
        if (!proc.waitFor(120, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            throw new AssertionError("modelreg " + String.join(" ", args) + " did not finish in 120 s");
        }
        return finished(proc, "run");
    }

    Run finished(Process proc, String id) throws IOException {
        return new Run(proc.exitValue(), Files.readString(tmp.resolve(id + ".out")), Files.readString(tmp.resolve(id + ".err")));
    }

    Process start(String id, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "dev.modelreg.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repoRoot.toFile());
        pb.environment().put("MODELREG_CACHE", tmp.resolve("cache").toString());
        pb.environment().put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
        pb.environment().remove("MODELREG_CONFIG");
        pb.environment().remove("MODELREG_OFFLINE");
        pb.redirectOutput(tmp.resolve(id + ".out").toFile()).redirectError(tmp.resolve(id + ".err").toFile());
        return pb.start();
    }

    Run ok(String... args) throws IOException, InterruptedException {
        Run r = modelreg(args);
        assertThat(r.code()).as("modelreg %s\nstderr: %s", String.join(" ", args), r.err()).isZero();
        return r;
    }

    @Test
    void pushThenPullAndCopyOneModelVerified() throws Exception {
        ModelsToml reg = ModelsTomlCodec.read(Files.readAllBytes(examples.resolve(".registry/models.toml")), "examples");
        Run push = ok("push", examples.toString(), layout + ":demo", "--name", "example", "--json");
        String digest = (String) push.json().get("digest");
        assertThat(digest).startsWith("sha256:");

        // pull: every file of the ref by its registry path
        Run pull = ok("pull", layout + ":demo", tmp.resolve("all").toString(), "--json");
        assertThat(pull.json().get("digest")).isEqualTo(digest);
        @SuppressWarnings("unchecked")
        List<String> pulled = (List<String>) pull.json().get("files");
        assertThat(pulled).containsExactlyInAnyOrderElementsOf(reg.files().keySet());
        for (String k : pulled) {
            assertThat(tmp.resolve("all").resolve(k)).hasSameBinaryContentAs(examples.resolve(k));
        }

        // copy one model (nested sub-folders and a nested model) out of the layout, no bootstrap entry needed
        Path ws = tmp.resolve("ws");
        Run copy = ok("copy", "--from", layout + ":demo", "example/ex-gwt-keating", ws.toString(), "--json");
        @SuppressWarnings("unchecked")
        List<String> copied = (List<String>) copy.json().get("files");
        assertThat(copied).hasSize(reg.models().get("example/ex-gwt-keating").size()).contains("gwf/flow.nam");
        for (String rel : copied) {
            assertThat(ws.resolve(rel)).hasSameBinaryContentAs(examples.resolve("ex-gwt-keating").resolve(rel));
        }
        assertThat(ws.resolve("mfsim.nam")).exists();

        // verify: 0 all match, 2 mismatch listing the file, 1 error
        ok("verify", "--from", layout + ":demo", "example/ex-gwt-keating", ws.toString());
        Files.writeString(ws.resolve("gwf/flow.nam"), "changed\n");
        Run bad = modelreg("verify", "--from", layout + ":demo", "example/ex-gwt-keating", ws.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.out()).contains("modified: gwf/flow.nam");
        Run badJson = modelreg("verify", "--json", "--from", layout + ":demo", "example/ex-gwt-keating", ws.toString());
        assertThat(badJson.code()).isEqualTo(2);
        assertThat(badJson.json().get("ok")).isEqualTo(false);
        Run err = modelreg("verify", "--from", layout + ":demo", "example/ex-gwt-keatin", ws.toString());
        assertThat(err.code()).isEqualTo(1);
        assertThat(err.err()).startsWith("modelreg: error: model 'example/ex-gwt-keatin' not found")
                .contains("closest: example/ex-gwt-keating");

        // an existing workspace is refused without --overwrite and kept as it was
        Run refused = modelreg("copy", "--from", layout + ":demo", "example/ex-gwt-keating", ws.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("--overwrite");
        assertThat(ws.resolve("gwf/flow.nam")).hasContent("changed");
        ok("cp", "--from", layout + ":demo", "example/ex-gwt-keating", ws.toString(), "--overwrite");
        ok("verify", "--from", layout + ":demo", "example/ex-gwt-keating", ws.toString());
    }

    @Test
    void configuredLayoutSourceSyncsCopiesAndWorksOffline() throws Exception {
        Run push = ok("push", examples.toString(), layout + ":demo", "--name", "example", "--json");
        String digest = (String) push.json().get("digest");
        Path config = tmp.resolve("sources.toml");
        Files.writeString(config, "[sources.demo]\nname = \"example\"\noci = \"" + layout + "\"\nrefs = [\"demo\"]\n",
                StandardCharsets.UTF_8);
        String cfg = config.toString();

        Run sync = ok("sync", "--config", cfg, "--json");
        assertThat(sync.json().get("synced")).isEqualTo(1L);
        assertThat(sync.out().trim().lines()).hasSize(1);
        Run again = ok("sync", "--config", cfg, "--json");
        assertThat(again.json().get("unchanged")).isEqualTo(1L);

        Run info = ok("info", "--config", cfg, "--json");
        assertThat(info.out()).contains(digest);
        Run list = ok("list", "--config", cfg, "--json");
        assertThat(list.out()).contains("example/ex-gwf-twri01");

        ok("copy", "--config", cfg, "example/ex-gwf-twri01", tmp.resolve("w1").toString());
        assertThat(tmp.resolve("w1/mfsim.nam")).hasSameBinaryContentAs(examples.resolve("ex-gwf-twri01/mfsim.nam"));
        ok("copy", "--config", cfg, "--offline", "demo@" + digest + "/ex-gwf-twri01", tmp.resolve("w2").toString());
        ok("verify", "--config", cfg, "--offline", "example/ex-gwf-twri01", tmp.resolve("w2").toString());
        Run missing = modelreg("copy", "--config", cfg, "--offline", "example/ex-gwf-bcf2ss", tmp.resolve("w3").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("offline");
        assertThat(tmp.resolve("w3")).doesNotExist();

        Run cleared = ok("clear", "--config", cfg, "--force", "--json");
        assertThat(cleared.out()).contains("example@demo");
        Run empty = ok("list", "--config", cfg);
        assertThat(empty.out()).contains("No cached registries");
    }

    @Test
    void twoProcessesCopyingAtOnceBothSucceed() throws Exception {
        ok("push", examples.toString(), layout + ":demo", "--name", "example");
        Process a = start("a", "copy", "--from", layout + ":demo", "example/ex-gwt-keating", tmp.resolve("wa").toString());
        Process b = start("b", "copy", "--from", layout + ":demo", "example/ex-gwt-keating", tmp.resolve("wb").toString());
        for (Process p : List.of(a, b)) {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("concurrent copy did not finish in 120 s");
            }
        }
        Run ra = finished(a, "a");
        Run rb = finished(b, "b");
        assertThat(ra.code()).as(ra.err()).isZero();
        assertThat(rb.code()).as(rb.err()).isZero();
        ok("verify", "--from", layout + ":demo", "example/ex-gwt-keating", tmp.resolve("wa").toString());
        ok("verify", "--from", layout + ":demo", "example/ex-gwt-keating", tmp.resolve("wb").toString());
        try (var s = Files.list(tmp.resolve("cache/ingest"))) {
            assertThat(s).isEmpty();
        }
    }
}
