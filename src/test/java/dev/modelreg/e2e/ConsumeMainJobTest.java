package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job, end to end through the CLI: publish examples/models into an OCI image layout directory (no
 * server), then pull the whole ref and copy one model out of it, verified; two processes copying at once.
 */
class ConsumeMainJobTest {
    @TempDir Path tmp;
    Path repoRoot;
    Path examples;
    String layout;

    @BeforeEach
    void setUp() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("examples/models"))) p = p.getParent();
        assertThat(p).as("repository root with examples/models").isNotNull();
        repoRoot = p;
        examples = p.resolve("examples/models");
        layout = "oci-layout:" + tmp.resolve("layout");
    }

    /** The CLI runs in the repository root (like the README's commands) with a cache of its own. */
    Map<String, String> env() {
        return Map.of("MODELREG_CACHE", tmp.resolve("cache").toString());
    }

    /** A process of its own, started now. */
    Modelreg.Started start(String... args) throws IOException {
        return Modelreg.start(tmp, repoRoot, Modelreg.FAST_JVM, env(), args);
    }

    Modelreg.Run modelreg(String... args) throws IOException, InterruptedException {
        return Modelreg.runIn(tmp, repoRoot, env(), args);
    }

    Modelreg.Run ok(String... args) throws IOException, InterruptedException {
        return Modelreg.ok(modelreg(args), args);
    }

    @Test
    void pushThenPullAndCopyOneModelVerified() throws Exception {
        ModelsToml reg = ModelsTomlCodec.read(Files.readAllBytes(examples.resolve(".registry/models.toml")), "examples");
        Modelreg.Run push = ok("push", examples.toString(), layout + ":demo", "--name", "example", "--json");
        String digest = (String) push.json().get("digest");
        assertThat(digest).startsWith("sha256:");

        // pull: every file of the ref by its registry path
        Modelreg.Run pull = ok("pull", layout + ":demo", tmp.resolve("all").toString(), "--json");
        assertThat(pull.json().get("digest")).isEqualTo(digest);
        @SuppressWarnings("unchecked")
        List<String> pulled = (List<String>) pull.json().get("files");
        assertThat(pulled).containsExactlyInAnyOrderElementsOf(reg.files().keySet());
        for (String k : pulled) {
            assertThat(tmp.resolve("all").resolve(k)).hasSameBinaryContentAs(examples.resolve(k));
        }

        // copy one model (nested sub-folders and a nested model) out of the layout, no bootstrap entry needed
        Path ws = tmp.resolve("ws");
        Modelreg.Run copy = ok("copy", "--from", layout + ":demo", "example/ex-gwt-keating", ws.toString(), "--json");
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
        Modelreg.Run bad = modelreg("verify", "--from", layout + ":demo", "example/ex-gwt-keating", ws.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.out()).contains("modified: gwf/flow.nam");
        Modelreg.Run badJson = modelreg("verify", "--json", "--from", layout + ":demo", "example/ex-gwt-keating", ws.toString());
        assertThat(badJson.code()).isEqualTo(2);
        assertThat(badJson.json().get("ok")).isEqualTo(false);
        Modelreg.Run err = modelreg("verify", "--from", layout + ":demo", "example/ex-gwt-keatin", ws.toString());
        assertThat(err.code()).isEqualTo(4);
        assertThat(err.err()).startsWith("modelreg: error: model 'example/ex-gwt-keatin' not found")
                .contains("closest: example/ex-gwt-keating");

        // an existing workspace is refused without --overwrite and kept as it was
        Modelreg.Run refused = modelreg("copy", "--from", layout + ":demo", "example/ex-gwt-keating", ws.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("--overwrite");
        assertThat(ws.resolve("gwf/flow.nam")).hasContent("changed");
        ok("cp", "--from", layout + ":demo", "example/ex-gwt-keating", ws.toString(), "--overwrite");
        ok("verify", "--from", layout + ":demo", "example/ex-gwt-keating", ws.toString());
    }

    @Test
    void configuredLayoutSourceSyncsCopiesAndWorksOffline() throws Exception {
        Modelreg.Run push = ok("push", examples.toString(), layout + ":demo", "--name", "example", "--json");
        String digest = (String) push.json().get("digest");
        Path config = tmp.resolve("sources.toml");
        Files.writeString(config, "[sources.demo]\nname = \"example\"\noci = \"" + layout + "\"\nrefs = [\"demo\"]\n",
                StandardCharsets.UTF_8);
        String cfg = config.toString();

        Modelreg.Run sync = ok("sync", "--config", cfg, "--json");
        assertThat(sync.json().get("synced")).isEqualTo(1L);
        assertThat(sync.out().trim().lines()).hasSize(1);
        Modelreg.Run again = ok("sync", "--config", cfg, "--json");
        assertThat(again.json().get("unchanged")).isEqualTo(1L);

        Modelreg.Run info = ok("info", "--config", cfg, "--json");
        assertThat(info.out()).contains(digest);
        Modelreg.Run list = ok("list", "--config", cfg, "--json");
        assertThat(list.out()).contains("example/ex-gwf-twri01");

        ok("copy", "--config", cfg, "example/ex-gwf-twri01", tmp.resolve("w1").toString());
        assertThat(tmp.resolve("w1/mfsim.nam")).hasSameBinaryContentAs(examples.resolve("ex-gwf-twri01/mfsim.nam"));
        ok("copy", "--config", cfg, "--offline", "demo@" + digest + "/ex-gwf-twri01", tmp.resolve("w2").toString());
        ok("verify", "--config", cfg, "--offline", "example/ex-gwf-twri01", tmp.resolve("w2").toString());
        Modelreg.Run missing = modelreg("copy", "--config", cfg, "--offline", "example/ex-gwf-bcf2ss", tmp.resolve("w3").toString());
        assertThat(missing.code()).isEqualTo(7);
        assertThat(missing.err()).contains("offline");
        assertThat(tmp.resolve("w3")).doesNotExist();

        Modelreg.Run cleared = ok("clear", "--config", cfg, "--force", "--json");
        assertThat(cleared.out()).contains("example@demo");
        Modelreg.Run empty = ok("list", "--config", cfg);
        assertThat(empty.out()).contains("No cached registries");
    }

    @Test
    void twoProcessesCopyingAtOnceBothSucceed() throws Exception {
        ok("push", examples.toString(), layout + ":demo", "--name", "example");
        Modelreg.Started a = start("copy", "--from", layout + ":demo", "example/ex-gwt-keating", tmp.resolve("wa").toString());
        Modelreg.Started b = start("copy", "--from", layout + ":demo", "example/ex-gwt-keating", tmp.resolve("wb").toString());
        Modelreg.Run ra = a.finish();
        Modelreg.Run rb = b.finish();
        assertThat(ra.code()).as(ra.err()).isZero();
        assertThat(rb.code()).as(rb.err()).isZero();
        ok("verify", "--from", layout + ":demo", "example/ex-gwt-keating", tmp.resolve("wa").toString());
        ok("verify", "--from", layout + ":demo", "example/ex-gwt-keating", tmp.resolve("wb").toString());
        try (var s = Files.list(tmp.resolve("cache/ingest"))) {
            assertThat(s).isEmpty();
        }
    }
}
