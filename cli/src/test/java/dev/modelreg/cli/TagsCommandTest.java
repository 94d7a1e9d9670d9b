package dev.modelreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.content.store.OciLayout;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.testkit.RegistryFixture;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code mirror --all-tags/--tags}, many-ref archives through the CLI, and the {@code tags} command. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TagsCommandTest {
    @TempDir Path tmp;

    private static MirrorCommandTest.Run run(String... args) {
        return MirrorCommandTest.run(args);
    }

    private static MirrorCommandTest.Run ok(String... args) {
        MirrorCommandTest.Run r = run(args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        return r;
    }

    private static Descriptor artifact(OciLayout layout, String text, String tag) throws Exception {
        byte[] config = ("[files]\n# " + text + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] file = "shared model bytes\n".getBytes(StandardCharsets.UTF_8);
        Descriptor cd = Descriptor.of(MediaTypes.CONFIG, Digest.sha256Of(config), config.length);
        Descriptor fd = Descriptor.of(MediaTypes.FILE_LAYER, Digest.sha256Of(file), file.length);
        layout.push(cd, new ByteArrayInputStream(config));
        layout.push(fd, new ByteArrayInputStream(file));
        Manifest m = new Manifest(MediaTypes.ARTIFACT_TYPE, cd, List.of(fd), Map.of());
        layout.push(m.descriptor(), new ByteArrayInputStream(m.toBytes()));
        layout.tag(m.descriptor(), tag);
        return m.descriptor();
    }

    @SuppressWarnings("unchecked")
    @Test
    void allTagsIntoOneArchiveThenRestoreUnderAPrefix() throws Exception {
        String src = "oci-layout:" + tmp.resolve("src");
        OciLayout l = OciLayout.open(tmp.resolve("src"));
        Descriptor a = artifact(l, "a", "v1");
        Descriptor b = artifact(l, "b", "v2");
        Descriptor c = artifact(l, "c", "rc1");
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("reg"))) {
            String h = reg.host();
            ok("mirror", src + ":v1", h + "/models/one:v1");
            ok("mirror", src + ":v2", h + "/models/one:v2");
            ok("mirror", src + ":rc1", h + "/models/one:rc1");
            ok("mirror", src + ":v1", h + "/two:v1");

            // usage: a registry source needs a tag or a selection; a tag and a selection do not mix
            assertThat(run("mirror", h + "/models/one", "oci-archive:" + tmp.resolve("x.tar")).code()).isEqualTo(ExitCodes.USAGE);
            assertThat(run("mirror", "--all-tags", h + "/models/one:v1", "oci-archive:" + tmp.resolve("x.tar")).code())
                    .isEqualTo(ExitCodes.USAGE);

            String tar = "oci-archive:" + tmp.resolve("all.tar");
            MirrorCommandTest.Run m = ok("mirror", "--json", "--tags", "v*", h + "/models/one", tar);
            Map<String, Object> j = Json.parseObject(m.out().getBytes(StandardCharsets.UTF_8), "out");
            assertThat((List<Object>) j.get("refs")).hasSize(2);
            ok("mirror", "--all-tags", h + "/two", tar);

            // tags: text and JSON, with repositories
            MirrorCommandTest.Run t = ok("tags", tar);
            assertThat(t.out().lines()).containsExactlyInAnyOrder(
                    "v1 " + a.digest() + " " + h + "/models/one", "v2 " + b.digest() + " " + h + "/models/one",
                    "v1 " + a.digest() + " " + h + "/two");
            Map<String, Object> tj = Json.parseObject(ok("tags", "--json", tar).out().getBytes(StandardCharsets.UTF_8), "out");
            assertThat((List<Map<String, Object>>) tj.get("tags")).extracting(e -> e.get("repository") + ":" + e.get("tag"))
                    .containsExactlyInAnyOrder(h + "/models/one:v1", h + "/models/one:v2", h + "/two:v1");
            assertThat(ok("tags", h + "/models/one").out().lines()).containsExactlyInAnyOrder(
                    "v1 " + a.digest() + " " + h + "/models/one", "v2 " + b.digest() + " " + h + "/models/one",
                    "rc1 " + c.digest() + " " + h + "/models/one");
            assertThat(run("tags", tar + ":v1").code()).isEqualTo(ExitCodes.USAGE);
            // a reference that does not parse is invalid input, as for pull, mirror, inspect and copy --from
            for (String[] args : List.of(new String[] {"tags", "bad::ref"}, new String[] {"tag", "bad::ref", "new"},
                    new String[] {"mirror", "bad::ref", h + "/x:v1"})) {
                assertThat(run(args).code()).as(String.join(" ", args)).isEqualTo(ExitCodes.ERROR);
            }

            // restore under a prefix; a second run changes nothing
            MirrorCommandTest.Run r = ok("mirror", tar, h + "/site");
            assertThat(r.out().lines()).containsExactlyInAnyOrder(h + "/site/models/one:v1@" + a.digest(),
                    h + "/site/models/one:v2@" + b.digest(), h + "/site/two:v1@" + a.digest());
            MirrorCommandTest.Run again = ok("mirror", "--json", tar, h + "/site");
            Map<String, Object> aj = Json.parseObject(again.out().getBytes(StandardCharsets.UTF_8), "out");
            assertThat(aj).containsEntry("unchanged", 3L).containsEntry("blobsCopied", 0L).containsEntry("bytesCopied", 0L);
            assertThat(ok("tags", h + "/site/two").out().trim()).isEqualTo("v1 " + a.digest() + " " + h + "/site/two");
        }
    }

    /** Writes {@code entries} (tag, repository or null, manifest) as the layout's index.json. */
    private static void index(java.nio.file.Path layout, List<Object[]> entries) throws Exception {
        List<Object> ms = new java.util.ArrayList<>();
        for (Object[] e : entries) {
            Map<String, Object> entry = new java.util.LinkedHashMap<>(Manifest.descriptorJson((Descriptor) e[2]));
            Map<String, Object> annotations = new java.util.LinkedHashMap<>();
            if (e[1] != null) annotations.put("io.containerd.image.name", e[1] + ":" + e[0]);
            annotations.put("org.opencontainers.image.ref.name", e[0]);
            entry.put("annotations", annotations);
            ms.add(entry);
        }
        java.nio.file.Files.write(layout.resolve("index.json"), Json.writeBytes(Map.of("schemaVersion", 2L, "manifests", ms)));
    }

    /** Exit 1 (invalid), one error line containing {@code want}, and one JSON document of kind invalid. */
    private static void invalid(String want, String... args) {
        String[] withJson = java.util.stream.Stream.concat(java.util.stream.Stream.of(args), java.util.stream.Stream.of("--json"))
                .toArray(String[]::new);
        MirrorCommandTest.Run r = run(withJson);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).startsWith("modelreg: error: ").contains(want);
        assertThat(Json.parseObject(r.out().getBytes(StandardCharsets.UTF_8), "out").get("error"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("kind", "invalid");
    }

    @Test
    void refsThatWouldShareATagAreRefusedAndABadRepositoryIsInvalidNotUsage() throws Exception {
        java.nio.file.Path dir = tmp.resolve("src");
        OciLayout l = OciLayout.open(dir);
        Descriptor a = artifact(l, "a", "v1");
        Descriptor b = artifact(l, "b", "v2");
        String src = "oci-layout:" + dir;
        java.nio.file.Path tar = tmp.resolve("out/all.tar");
        java.nio.file.Path layout = tmp.resolve("out/layout");
        String two = "names different manifests in " + src + " (";

        // one tag twice (the same repository, none, or none beside one): refused before anything is written
        index(dir, List.<Object[]>of(new Object[] {"v1", null, a}, new Object[] {"v1", null, b}));
        invalid("tag 'v1' " + two + "v1 " + a.digest() + ", v1 " + b.digest() + "), which would get one tag in oci-archive:"
                + tar + ": mirror one of them by digest", "mirror", src, "oci-archive:" + tar);
        invalid("tag 'v1' " + two, "mirror", src, "oci-layout:" + layout);
        index(dir, List.<Object[]>of(new Object[] {"v1", "example.com/m", a}, new Object[] {"v1", "example.com/m", b}));
        invalid("tag 'v1' " + two + "example.com/m:v1 " + a.digest(), "mirror", src, "oci-archive:" + tar);
        index(dir, List.<Object[]>of(new Object[] {"v1", "example.com/m", a}, new Object[] {"v1", null, b}));
        invalid("tag 'v1' " + two, "mirror", src, "oci-archive:" + tar);
        // into a registry, two repositories that become one path there (the registry is not contacted)
        index(dir, List.<Object[]>of(new Object[] {"v1", "a.example.com/m", a}, new Object[] {"v1", "b.example.com/m", b}));
        invalid("tag 'v1' " + two + "a.example.com/m:v1 " + a.digest() + ", b.example.com/m:v1 " + b.digest()
                + "), which would get one tag in 127.0.0.1:9/site/m", "mirror", src, "127.0.0.1:9/site");
        assertThat(tmp.resolve("out")).doesNotExist();

        // a repository the source names that cannot be one at the destination: invalid content (1), not usage (3)
        index(dir, List.<Object[]>of(new Object[] {"v1", "example.com/Not Lowercase", a}));
        invalid("oci-layout:" + dir + ": ref 'example.com/Not Lowercase:v1' names a repository that cannot be one under"
                + " 127.0.0.1:9/site: invalid OCI reference", "mirror", src, "127.0.0.1:9/site");

        // the same tag of two repositories into an archive, or the same manifest twice: both kept, nothing refused
        index(dir, List.<Object[]>of(new Object[] {"v1", "example.com/m", a}, new Object[] {"v1", "example.com/n", b},
                new Object[] {"v2", null, b}, new Object[] {"v2", null, b}));
        assertThat(ok("mirror", src, "oci-archive:" + tar).out().lines()).containsExactly("oci-archive:" + tar + ":v1@"
                + a.digest(), "oci-archive:" + tar + ":v1@" + b.digest(), "oci-archive:" + tar + ":v2@" + b.digest());
        assertThat(ok("tags", "oci-archive:" + tar).out().lines()).containsExactlyInAnyOrder(
                "v1 " + a.digest() + " example.com/m", "v1 " + b.digest() + " example.com/n", "v2 " + b.digest());
    }
}
