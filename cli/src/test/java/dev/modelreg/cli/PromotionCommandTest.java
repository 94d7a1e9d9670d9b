package dev.modelreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Json;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Safe promotion in-process: {@code tag}/{@code push --expect-digest} and {@code push --no-clobber} refuse a stale
 * view with exit 8 (conflict) in one line and leave the tag; {@code annotate} writes a new manifest over the same
 * config and layers and moves the tag (no blob request), guarded by the digest it read.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PromotionCommandTest {
    @TempDir Path tmp;

    Ran run(String... args) {
        return Ran.of(Map.of("MODELREG_CACHE", tmp.resolve("cache").toString(), "HOME", tmp.resolve("home").toString(),
                "MODELREG_RETRIES", "0"), args);
    }

    Ran ok(String... args) {
        Ran r = run(args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        return r;
    }

    /** Fails with {@code code}: one error line naming the tag, nothing on stdout (or, with --json, one document). */
    Ran fails(int code, String... args) {
        Ran r = run(args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r.out() + r.err()).isEqualTo(code);
        assertThat(r.errLines()).as(r.err()).hasSize(1);
        assertThat(r.err()).startsWith("modelreg: error: ");
        return r;
    }

    private Path models(String text) throws Exception {
        Path dir = tmp.resolve("models-" + text);
        Files.createDirectories(dir.resolve("m"));
        Files.writeString(dir.resolve("m/mfsim.nam"), "BEGIN options\nEND options\n");
        Files.writeString(dir.resolve("m/gwf.dis"), "# " + text + "\n");
        return dir;
    }

    private String push(Path dir, String destination, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("push", dir.toString(), destination, "--name", "ex"));
        a.addAll(List.of(more));
        return ok(a.toArray(String[]::new)).out().trim();
    }

    private static long files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void tagAndPushRefuseAStaleViewWithExitEight() throws Exception {
        String layout = "oci-layout:" + tmp.resolve("layout");
        String v1 = push(models("one"), layout + ":v1");
        String v2 = push(models("two"), layout + ":v2");

        assertThat(ok("tag", layout + ":v1", "prod", "--expect-digest", "none").out().trim()).isEqualTo("prod: " + v1 + " (new)");
        Ran again = fails(8, "tag", layout + ":v2", "prod", "--expect-digest", "none");
        assertThat(again.err()).contains("tag 'prod'", "points at " + v1, "expected not to exist");
        Ran stale = fails(8, "tag", layout + ":v2", "prod", "--expect-digest", v2, "--json");
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) ((Map<String, Object>) Json.parse(stale.out().strip())).get("error");
        assertThat(error).containsEntry("kind", "conflict").containsEntry("exitCode", 8L);
        assertThat(ok("tags", layout).out().lines()).contains("prod " + v1);
        assertThat(ok("tag", layout + ":v2", "prod", "--expect-digest", v1).out().trim()).isEqualTo("prod: " + v1 + " -> " + v2);

        // bad values and a conflicting pair of flags are usage errors (3), before anything is opened
        assertThat(fails(3, "tag", layout + ":v1", "prod", "--expect-digest", "sha256:abc").err()).contains("--expect-digest", "'sha256:abc'");
        assertThat(fails(3, "tag", layout + ":v1", "prod", "--expect-digest", "none", "--no-clobber").err()).contains("not both");

        // push --no-clobber: a tag at another manifest is refused before a blob is written; the same content passes
        long blobs = files(tmp.resolve("layout/blobs"));
        Ran clobber = fails(8, "push", models("three").toString(), layout + ":prod", "--name", "ex", "--no-clobber");
        assertThat(clobber.err()).contains("tag 'prod'", "points at " + v2, "no-clobber");
        assertThat(files(tmp.resolve("layout/blobs"))).as("nothing uploaded").isEqualTo(blobs);
        assertThat(push(models("two"), layout + ":prod", "--ref", "v2", "--no-clobber")).as("the same manifest").isEqualTo(v2);
        // push --expect-digest: from the digest the tag has, else conflict
        fails(8, "push", models("three").toString(), layout + ":prod", "--name", "ex", "--expect-digest", v1);
        String v3 = push(models("three"), layout + ":prod", "--expect-digest", v2);
        assertThat(ok("tags", layout).out().lines()).contains("prod " + v3);
        fails(8, "push", models("four").toString(), layout + ":new", "--name", "ex", "--expect-digest", v3);
        push(models("four"), layout + ":new", "--expect-digest", "none");
    }

    @Test
    void annotateRewritesTheManifestOnlyAndMovesTheTag() throws Exception {
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("reg"))) {
            String repo = reg.host() + "/models/annotated";
            String v1 = push(models("one"), repo + ":v1");
            Path metadata = Files.writeString(tmp.resolve("meta.toml"), "title = \"Test models\"\ndescription = \"first\"\n");

            reg.clearRequests();
            Ran moved = ok("annotate", repo + ":v1", "--metadata", metadata.toString(), "--annotation", "org.example.reviewed=yes");
            List<Request> requests = reg.requests();
            assertThat(requests).as("no blob request").noneMatch(q -> q.path().contains("/blobs/"));
            String line = moved.out().trim();
            assertThat(line).startsWith("v1: " + v1 + " -> sha256:");
            String v2 = line.substring(line.lastIndexOf(' ') + 1);
            Map<String, Object> inspected = Json.parseObject(ok("inspect", repo + ":v1", "--json").out().getBytes(), "inspect");
            assertThat(inspected.get("digest")).isEqualTo(v2);
            assertThat(inspected.toString()).contains("Test models", "first", "org.example.reviewed=yes");
            Map<String, Object> before = Json.parseObject(ok("inspect", repo + "@" + v1, "--json").out().getBytes(), "inspect");
            assertThat(inspected.get("layers")).as("same layers").isEqualTo(before.get("layers"));
            assertThat(inspected.get("models")).as("same config").isEqualTo(before.get("models"));
            assertThat(inspected.get("config")).isEqualTo(before.get("config"));

            // the same annotations again: the same manifest, nothing written
            assertThat(ok("annotate", repo + ":v1", "--metadata", metadata.toString(), "--annotation", "org.example.reviewed=yes")
                    .out().trim()).isEqualTo("v1: " + v2 + " (unchanged)");
            // a stale digest is a conflict; the tag stays
            Ran stale = fails(8, "annotate", repo + ":v1@" + v1, "--annotation", "org.example.reviewed=no");
            assertThat(stale.err()).contains("tag 'v1'", "points at " + v2, "expected at " + v1);
            Map<String, Object> third = Json.parseObject(ok("annotate", repo + ":v1@" + v2, "--annotation",
                    "org.opencontainers.image.description=second", "--json").out().getBytes(), "annotate");
            assertThat(third).containsEntry("old", v2).containsEntry("status", "moved").containsEntry("tag", "v1");
            assertThat(ok("pull", repo + ":v1", tmp.resolve("pulled").toString()).out()).startsWith((String) third.get("digest"));
            assertThat(tmp.resolve("pulled/m/gwf.dis")).hasContent("# one");
            assertThat(ok("pull", repo + "@" + v1, tmp.resolve("pinned").toString()).out()).as("the old digest resolves").startsWith(v1);

            fails(3, "annotate", repo + "@" + v1, "--annotation", "a=b");
            fails(3, "annotate", repo + ":v1");
            fails(4, "annotate", repo + ":nosuch", "--annotation", "a=b");
        }
    }

    @Test
    void annotateALayoutAndAnArchive() throws Exception {
        for (String dest : List.of("oci-layout:" + tmp.resolve("l"), "oci-archive:" + tmp.resolve("a.tar"))) {
            String v1 = push(models("one"), dest + ":v1");
            ok("tag", dest + ":v1", "stable");
            String line = ok("annotate", dest + ":v1", "--annotation", "org.opencontainers.image.title=T").out().trim();
            assertThat(line).startsWith("v1: " + v1 + " -> sha256:");
            String v2 = line.substring(line.lastIndexOf(' ') + 1);
            assertThat(ok("tags", dest).out().lines()).as(dest).contains("v1 " + v2, "stable " + v1);
            assertThat(ok("inspect", dest + ":v1").out()).contains("title: T");
        }
    }
}
