package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.Skopeo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Air-gapped transfer through the CLI: publish, export to an oci-archive tar, carry the file to "the other side" (a
 * copy), import it into a real registry and consume it there, or straight from the tar.
 */
class AirGapCliTest {
    @TempDir Path tmp;

    @Test
    void exportCarryImportConsume() throws Exception {
        Path examples = Modelreg.copyExamples(tmp.resolve("models"));
        ModelsToml reg = ModelsTomlCodec.read(Files.readAllBytes(examples.resolve(".registry/models.toml")), "examples");
        String layout = "oci-layout:" + tmp.resolve("layout");
        String digest = (String) Modelreg.ok(tmp, "push", examples.toString(), layout + ":develop", "--name", "example",
                "--json").json().get("digest");

        // connected side: export
        Path tar = tmp.resolve("outbox/models.tar");
        Modelreg.Run export = Modelreg.ok(tmp, "mirror", "--json", layout + ":develop", "oci-archive:" + tar);
        assertThat(export.json()).containsEntry("digest", digest).containsEntry("tag", "develop");
        try (var s = Files.list(tar.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("models.tar");
        }
        // carry it over
        Path carried = Files.createDirectories(tmp.resolve("inbox")).resolve("models.tar");
        Files.copy(tar, carried);

        try (RegistryFixture registry = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("registry"))) {
            // internal side: import into the registry, then consume from it
            String internal = registry.host() + "/mirror/models";
            Modelreg.Run imp = Modelreg.ok(tmp, "mirror", "--json", "oci-archive:" + carried + ":develop", internal + ":develop");
            assertThat(imp.json()).containsEntry("digest", digest);
            assertThat(Skopeo.inspectRaw(internal + ":develop", false)).contains("application/vnd.modelreg.modelset.v1");
            Modelreg.Run pull = withCache(tmp.resolve("cache1"), "pull", internal + ":develop",
                    tmp.resolve("from-registry").toString(), "--json");
            assertThat(pull.json().get("digest")).isEqualTo(digest);
        }
        // or straight from the tar
        Modelreg.Run direct = withCache(tmp.resolve("cache2"), "pull", "oci-archive:" + carried + ":develop",
                tmp.resolve("from-tar").toString(), "--json");
        assertThat(direct.json().get("digest")).isEqualTo(digest);
        for (String key : reg.files().keySet()) {
            byte[] want = Files.readAllBytes(examples.resolve(key));
            assertThat(Files.readAllBytes(tmp.resolve("from-registry").resolve(key))).as(key).isEqualTo(want);
            assertThat(Files.readAllBytes(tmp.resolve("from-tar").resolve(key))).as(key).isEqualTo(want);
        }
        // skopeo reads the carried tar as well
        Skopeo.copy("oci-archive:" + carried + ":develop", "oci:" + tmp.resolve("skopeo") + ":develop");
    }

    /**
     * Two repositories, every tag, one tar: restored under a prefix in a second registry with the same digests; the
     * re-run uploads nothing (the registry's access log); a truncated copy of the tar is refused with nothing tagged.
     */
    @SuppressWarnings("unchecked")
    @Test
    void manyRepositoriesThroughOneTar() throws Exception {
        Path examples = Modelreg.copyExamples(tmp.resolve("models"));
        try (RegistryFixture a = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("a"));
             RegistryFixture b = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("b"))) {
            String d1 = (String) Modelreg.ok(tmp, "push", examples.toString(), a.host() + "/org/models:v1", "--name", "example",
                    "--json").json().get("digest");
            Modelreg.ok(tmp, "mirror", a.host() + "/org/models:v1", a.host() + "/org/models:v2");
            Modelreg.ok(tmp, "mirror", a.host() + "/org/models:v1", a.host() + "/other:latest");

            Path tar = tmp.resolve("outbox/all.tar");
            Modelreg.ok(tmp, "mirror", "--all-tags", a.host() + "/org/models", "oci-archive:" + tar);
            Modelreg.ok(tmp, "mirror", "--tags", "lat*", a.host() + "/other", "oci-archive:" + tar);
            java.util.List<Map<String, Object>> tags = (java.util.List<Map<String, Object>>)
                    Modelreg.ok(tmp, "tags", "--json", "oci-archive:" + tar).json().get("tags");
            assertThat(tags).extracting(t -> t.get("repository") + ":" + t.get("tag") + "@" + t.get("digest"))
                    .containsExactlyInAnyOrder(a.host() + "/org/models:v1@" + d1, a.host() + "/org/models:v2@" + d1,
                            a.host() + "/other:latest@" + d1);

            Modelreg.Run imp = Modelreg.ok(tmp, "mirror", "oci-archive:" + tar, b.host() + "/site");
            assertThat(imp.out().lines()).containsExactlyInAnyOrder(b.host() + "/site/org/models:v1@" + d1,
                    b.host() + "/site/org/models:v2@" + d1, b.host() + "/site/other:latest@" + d1);
            assertThat(Skopeo.inspectRaw(b.host() + "/site/other:latest", false)).contains("application/vnd.modelreg.modelset.v1");

            b.clearRequests();
            Modelreg.Run again = Modelreg.ok(tmp, "mirror", "--json", "oci-archive:" + tar, b.host() + "/site");
            assertThat(again.json()).containsEntry("unchanged", 3L).containsEntry("bytesCopied", 0L);
            assertThat(b.requests()).allMatch(q -> q.method().equals("GET") || q.method().equals("HEAD"));

            Path cut = tmp.resolve("cut.tar");
            byte[] bytes = Files.readAllBytes(tar);
            Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
            Modelreg.Run bad = Modelreg.run(tmp, Modelreg.FAST_JVM, Map.of(), "mirror", "oci-archive:" + cut, b.host() + "/cut");
            assertThat(bad.code()).isEqualTo(1);
            assertThat(Modelreg.run(tmp, Modelreg.FAST_JVM, Map.of(), "tags", b.host() + "/cut/org/models").code()).as("nothing tagged").isEqualTo(4);
        }
    }

    private Modelreg.Run withCache(Path cache, String... args) throws Exception {
        return Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, Map.of("MODELREG_CACHE", cache.toString()), args), args);
    }
}
