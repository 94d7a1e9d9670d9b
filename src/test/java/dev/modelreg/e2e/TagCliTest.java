package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code modelreg tag}: promotion by moving tags, in a registry (no blob traffic), a layout and an archive. */
class TagCliTest {
    @TempDir
    Path tmp;

    /** Pushes examples/models (v1) and a changed copy (v2) to {@code base:candidate} in turn; returns their digests. */
    private String[] pushTwo(String base) throws Exception {
        Path dir = Modelreg.copyExamples(tmp.resolve("m-" + Math.abs(base.hashCode())));
        String v1 = Modelreg.ok(tmp, "push", dir.toString(), base + ":candidate", "--name", "example").out().trim();
        Modelreg.ok(tmp, "tag", base + ":candidate", "production", "latest");
        Files.writeString(dir.resolve("ex-gwf-twri01/notes.txt"), "changed\n");
        String v2 = Modelreg.ok(tmp, "push", dir.toString(), base + ":candidate", "--name", "example").out().trim();
        assertThat(v2).isNotEqualTo(v1);
        return new String[] {v1, v2};
    }

    @Test
    void registryTagMovesWithoutBlobTrafficAndTheOldPinStillResolves() throws Exception {
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("reg"))) {
            String repo = reg.host() + "/models/example";
            String[] d = pushTwo(repo);

            reg.clearRequests();
            Modelreg.Run moved = Modelreg.ok(tmp, "tag", repo + ":candidate", "production", "latest", "--json");
            List<Request> requests = reg.requests();
            assertThat(requests).as("tag sends no blob request").noneMatch(q -> q.path().contains("/blobs/"));
            assertThat(requests).filteredOn(q -> q.method().equals("PUT")).hasSize(2)
                    .allMatch(q -> q.path().startsWith("/v2/models/example/manifests/"));
            System.out.println("tag (2 tags moved) requests: " + requests.size() + " " + requests);
            Map<String, Object> j = moved.json();
            assertThat(j.get("digest")).isEqualTo(d[1]);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> tags = (List<Map<String, Object>>) j.get("tags");
            assertThat(tags).extracting(t -> t.get("tag")).containsExactly("production", "latest");
            assertThat(tags).allMatch(t -> t.get("status").equals("moved") && t.get("old").equals(d[0]) && t.get("digest").equals(d[1]));

            Modelreg.Run text = Modelreg.ok(tmp, "tag", repo + "@" + d[0], "production", "stable", "latest");
            assertThat(text.out().lines()).containsExactly("production: " + d[1] + " -> " + d[0], "stable: " + d[0] + " (new)",
                    "latest: " + d[1] + " -> " + d[0]);
            assertThat(Modelreg.ok(tmp, "tag", repo + ":stable", "production").out().trim()).isEqualTo("production: " + d[0] + " (unchanged)");
            assertThat(Modelreg.ok(tmp, "tags", repo).out().lines()).contains("candidate " + d[1] + " " + repo,
                    "production " + d[0] + " " + repo, "stable " + d[0] + " " + repo);

            // a pin by the digest the tag pointed at before still resolves
            Modelreg.ok(tmp, "tag", repo + ":candidate", "production");
            Path pulled = tmp.resolve("pulled");
            Modelreg.Run pull = Modelreg.ok(tmp, "pull", repo + "@" + d[0], pulled.toString());
            assertThat(pull.out()).startsWith(d[0]);
            assertThat(pulled.resolve("ex-gwf-twri01/notes.txt")).doesNotExist();
            assertThat(pulled.resolve("ex-gwf-twri01/mfsim.nam")).exists();

            Modelreg.Run missing = Modelreg.run(tmp, Modelreg.FAST_JVM, Map.of(), "tag", repo + ":nope", "x");
            assertThat(missing.code()).as("not found").isEqualTo(4);
            assertThat(missing.err().lines()).hasSize(1);
            assertThat(missing.err()).startsWith("modelreg: error: ").contains("nope");
            Modelreg.Run digestTag = Modelreg.run(tmp, Modelreg.FAST_JVM, Map.of(), "tag", repo + ":candidate", d[0]);
            assertThat(digestTag.code()).isEqualTo(1);
            assertThat(digestTag.err()).contains("is a digest, not a tag");
            Modelreg.Run noRef = Modelreg.run(tmp, Modelreg.FAST_JVM, Map.of(), "tag", repo, "x");
            assertThat(noRef.code()).as("usage").isEqualTo(3);
        }
    }

    @Test
    void tagAndInspectUseTheCredentialChain() throws Exception {
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.BASIC_AUTH, tmp.resolve("reg"))) {
            String repo = reg.host() + "/models/example";
            Map<String, String> creds = Map.of("MODELREG_REGISTRY_USER", reg.username(), "MODELREG_REGISTRY_PASSWORD", reg.password());
            Path dir = Modelreg.copyExamples(tmp.resolve("m"));
            String digest = Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, creds, "push", dir.toString(), repo + ":candidate",
                    "--name", "example"), "push").out().trim();

            Modelreg.Run anonymous = Modelreg.run(tmp, Modelreg.FAST_JVM, Map.of(), "tag", repo + ":candidate", "production");
            assertThat(anonymous.code()).as("authentication").isEqualTo(5);
            assertThat(anonymous.err().lines()).hasSize(1);
            assertThat(anonymous.err()).startsWith("modelreg: error: ").contains("no credentials for " + reg.host());

            Modelreg.Run ok = Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, creds, "tag", repo + ":candidate", "production"), "tag");
            assertThat(ok.out().trim()).isEqualTo("production: " + digest + " (new)");
            Modelreg.Run inspect = Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, creds, "inspect", repo + ":production", "--json"), "inspect");
            assertThat(inspect.json().get("digest")).isEqualTo(digest);
            assertThat(inspect.out() + inspect.err()).doesNotContain(reg.password());
        }
    }

    @Test
    void layoutAndArchiveTagsMoveAndTheirBlobsStay() throws Exception {
        String layout = "oci-layout:" + tmp.resolve("layout");
        String[] l = pushTwo(layout);
        Modelreg.Run moved = Modelreg.ok(tmp, "tag", layout + ":candidate", "production");
        assertThat(moved.out().trim()).isEqualTo("production: " + l[0] + " -> " + l[1]);
        assertThat(Modelreg.ok(tmp, "tags", layout).out().lines())
                .containsExactlyInAnyOrder("candidate " + l[1], "production " + l[1], "latest " + l[0]);
        Modelreg.ok(tmp, "pull", layout + "@" + l[0], tmp.resolve("from-layout").toString());

        Path file = tmp.resolve("models.tar");
        String archive = "oci-archive:" + file;
        String[] a = pushTwo(archive);
        assertThat(a).isEqualTo(l); // the same content gives the same digests
        long before = Files.size(file);
        Modelreg.Run json = Modelreg.ok(tmp, "tag", archive + ":candidate", "production", "--json");
        assertThat(json.json().get("tags").toString()).contains("status=moved", "old=" + a[0]);
        assertThat(Files.size(file)).as("only index.json changed").isBetween(before - 512, before + 512);
        assertThat(Modelreg.ok(tmp, "tags", archive).out().lines())
                .containsExactlyInAnyOrder("candidate " + a[1], "production " + a[1], "latest " + a[0]);
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".models.tar."));
        }
        // both manifests' blobs are still in the archive, verified as they are read
        Modelreg.ok(tmp, "pull", archive + "@" + a[0], tmp.resolve("from-archive-old").toString());
        Modelreg.ok(tmp, "pull", archive + ":production", tmp.resolve("from-archive-new").toString());
        assertThat(tmp.resolve("from-archive-new/ex-gwf-twri01/notes.txt")).hasContent("changed");
    }
}
