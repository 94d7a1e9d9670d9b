package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Digest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.RegistryHttp;
import dev.modelreg.testkit.Request;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code modelreg inspect} and {@code push --metadata}: manifest and config only, referrers, metadata round trips. */
class InspectCliTest {
    static final String META = """
            title = "Synthetic models"
            description = "5,000 small files in 100 models"
            authors = ["Ann Modeller", "Bob Hydro"]
            license = "CC0-1.0"
            documentation = "https://example.org/docs"
            grid = "structured"
            """;

    @TempDir
    Path tmp;

    /** 100 models of 50 small files each (mfsim.nam included): 5,000 files. */
    private Path bigRepo() throws Exception {
        Path root = tmp.resolve("big");
        for (int m = 0; m < 100; m++) {
            Path d = Files.createDirectories(root.resolve(String.format("model-%03d", m)));
            Files.writeString(d.resolve("mfsim.nam"), "BEGIN models " + m + "\nEND models\n");
            for (int f = 1; f < 50; f++) Files.writeString(d.resolve(String.format("f%02d.txt", f)), "model " + m + " file " + f + "\n");
        }
        return root;
    }

    @Test
    @SuppressWarnings("unchecked")
    void inspectOfAFiveThousandFileRefReadsOnlyManifestAndConfigAndRoundTripsMetadata() throws Exception {
        Path meta = Files.writeString(tmp.resolve("meta.toml"), META);
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("reg"))) {
            String ref = reg.host() + "/models/big:v1";
            String digest = Modelreg.ok(tmp, "push", bigRepo().toString(), ref, "--name", "big", "--metadata", meta.toString(),
                    "--annotation", "org.opencontainers.image.vendor=Example Org").out().trim();

            reg.clearRequests();
            Modelreg.Run r = Modelreg.run(tmp, Modelreg.FAST_JVM, Map.of("MODELREG_CACHE", tmp.resolve("cache1").toString()),
                    "inspect", ref, "--json");
            Modelreg.ok(r, "inspect");
            List<Request> requests = reg.requests();
            System.out.println("inspect of 5,000 files: " + r.millis() + " ms, " + requests.size() + " requests: " + requests);
            Map<String, Object> j = r.json();
            Map<String, Object> config = (Map<String, Object>) j.get("config");
            assertThat(requests).filteredOn(q -> q.path().contains("/blobs/"))
                    .containsExactly(new Request("GET", "/v2/models/big/blobs/" + config.get("digest"), 200));
            assertThat(requests).allMatch(q -> q.method().equals("GET") || q.method().equals("HEAD"));
            assertThat(requests).filteredOn(q -> q.path().contains("/manifests/" + digest)).hasSize(1);
            assertThat(requests).contains(new Request("GET", "/v2/models/big/referrers/" + digest, 404));

            assertThat(j.get("digest")).isEqualTo(digest);
            assertThat(j.get("mediaType")).isEqualTo(MediaTypes.OCI_MANIFEST);
            assertThat(j.get("artifactType")).isEqualTo(MediaTypes.ARTIFACT_TYPE);
            assertThat(j.get("created")).isEqualTo("1970-01-01T00:00:00Z");
            assertThat(config.get("files")).isEqualTo(5000L);
            assertThat(config.get("models")).isEqualTo(100L);
            List<Map<String, Object>> models = (List<Map<String, Object>>) j.get("models");
            assertThat(models).hasSize(100).allMatch(m -> m.get("files").equals(50L) && m.get("layers").equals(1L)
                    && (Long) m.get("bytes") > 50 * 512);
            List<Map<String, Object>> layers = (List<Map<String, Object>>) j.get("layers");
            assertThat(layers).hasSize(100).allMatch(l -> l.get("kind").equals("tar") && l.get("files").equals(50L));
            assertThat(layers.get(0).get("groups")).isEqualTo(List.of("big/model-000"));
            assertThat((Map<String, Object>) j.get("metadata")).containsExactly(
                    Map.entry("title", "Synthetic models"), Map.entry("description", "5,000 small files in 100 models"),
                    Map.entry("version", "v1"), Map.entry("authors", "Ann Modeller, Bob Hydro"),
                    Map.entry("license", "CC0-1.0"), Map.entry("vendor", "Example Org"),
                    Map.entry("documentation", "https://example.org/docs"), Map.entry("grid", "structured"));
            assertThat((Map<String, Object>) j.get("annotations")).containsEntry("org.opencontainers.image.licenses", "CC0-1.0")
                    .containsEntry("dev.modelreg.metadata.grid", "structured").containsEntry("dev.modelreg.ref", "v1");
            Map<String, Object> referrers = (Map<String, Object>) j.get("referrers");
            assertThat(referrers).containsEntry("api", false).containsEntry("via", "none").containsEntry("count", 0L);

            Modelreg.Run text = Modelreg.ok(tmp, "inspect", ref);
            assertThat(text.out()).contains("  digest:       " + digest, "  description: 5,000 small files in 100 models",
                    "  big/model-042: 50 files, ", "tar of big/model-042, 50 files",
                    "referrers (0, the registry does not support the referrers API, and there is no referrers tag sha256-"
                            + Digest.parse(digest).hex() + ")");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aReferrerPushedThroughTheTagSchemeIsListedByArtifactType() throws Exception {
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("reg"))) {
            String ref = reg.host() + "/models/example:v1";
            Path dir = Modelreg.copyExamples(tmp.resolve("m"));
            Digest subject = Digest.parse(Modelreg.ok(tmp, "push", dir.toString(), ref, "--name", "example").out().trim());
            RegistryHttp http = new RegistryHttp(reg);
            byte[] subjectBytes = http.getManifest("models/example", subject.toString(), MediaTypes.OCI_MANIFEST);

            // a referrer by hand, as a client does on a registry without the referrers API (distribution spec 1.1):
            // the manifest with a subject, then the image index under the tag sha256-HEX listing it
            byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
            byte[] sbom = "{\"files\":[]}".getBytes(StandardCharsets.UTF_8);
            Digest emptyDigest = http.pushBlob("models/example", empty);
            Digest sbomDigest = http.pushBlob("models/example", sbom);
            String type = "application/vnd.example.sbom.v1+json";
            byte[] referrer = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"artifactType\":\"" + type
                    + "\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + emptyDigest + "\",\"size\":2},"
                    + "\"layers\":[{\"mediaType\":\"application/json\",\"digest\":\"" + sbomDigest + "\",\"size\":" + sbom.length + "}],"
                    + "\"subject\":{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + subject + "\",\"size\":"
                    + subjectBytes.length + "}}").getBytes(StandardCharsets.UTF_8);
            Digest rd = http.putManifest("models/example", Digest.sha256Of(referrer).toString(), MediaTypes.OCI_MANIFEST, referrer);
            byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
                    + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + rd + "\",\"size\":" + referrer.length + ",\"artifactType\":\""
                    + type + "\"}]}").getBytes(StandardCharsets.UTF_8);
            http.putManifest("models/example", "sha256-" + subject.hex(), MediaTypes.OCI_INDEX, index);

            Modelreg.Run r = Modelreg.ok(tmp, "inspect", ref, "--json");
            Map<String, Object> referrers = (Map<String, Object>) r.json().get("referrers");
            assertThat(referrers).containsEntry("api", false).containsEntry("via", "tag").containsEntry("count", 1L)
                    .containsEntry("tag", "sha256-" + subject.hex());
            Map<String, Object> by = (Map<String, Object>) referrers.get("byArtifactType");
            assertThat(by).containsOnlyKeys(type);
            assertThat(((List<Map<String, Object>>) by.get(type)).get(0)).containsEntry("digest", rd.toString());

            Modelreg.Run text = Modelreg.ok(tmp, "inspect", ref);
            assertThat(text.out()).contains("referrers (1, the referrers tag sha256-" + subject.hex()
                    + "; the registry does not support the referrers API):", "  " + type + ":", "    " + rd + " " + referrer.length + " bytes");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void metadataIsReproducibleAndShownForLayoutsArchivesAndSourcesAndBadFilesAreOneLine() throws Exception {
        Path dir = Modelreg.copyExamples(tmp.resolve("m"));
        Path toml = Files.writeString(tmp.resolve("meta.toml"), "description = \"Examples\"\nurl = \"https://example.org\"\nbasin = \"Ohio\"\n");
        Path json = Files.writeString(tmp.resolve("meta.json"), "{\"basin\": \"Ohio\", \"url\": \"https://example.org\", \"description\": \"Examples\"}");
        String layout = "oci-layout:" + tmp.resolve("layout");
        String archive = "oci-archive:" + tmp.resolve("a.tar");
        String d1 = Modelreg.ok(tmp, "push", dir.toString(), layout + ":v1", "--name", "example", "--metadata", toml.toString()).out().trim();
        String d2 = Modelreg.ok(tmp, "push", dir.toString(), archive + ":v1", "--name", "example", "--metadata", json.toString()).out().trim();
        assertThat(d2).as("same inputs and metadata, same digest").isEqualTo(d1);
        String d3 = Modelreg.ok(tmp, "push", dir.toString(), layout + ":v2", "--name", "example", "--metadata", toml.toString(),
                "--annotation", "org.opencontainers.image.description=Overridden").out().trim();
        assertThat(d3).isNotEqualTo(d1);

        Map<String, Object> l = Modelreg.ok(tmp, "inspect", layout + ":v1", "--json").json();
        Map<String, Object> a = Modelreg.ok(tmp, "inspect", archive + "@" + d1, "--json").json();
        assertThat(l.get("digest")).isEqualTo(d1);
        assertThat(a.get("digest")).isEqualTo(d1);
        assertThat(a.get("metadata")).isEqualTo(l.get("metadata"));
        assertThat((Map<String, Object>) l.get("metadata")).containsEntry("description", "Examples").containsEntry("basin", "Ohio");
        assertThat(((Map<String, Object>) l.get("referrers"))).containsEntry("api", null).containsEntry("via", "none");
        assertThat(((Map<String, Object>) Modelreg.ok(tmp, "inspect", layout + ":v2", "--json").json().get("metadata")))
                .containsEntry("description", "Overridden");

        // annotations are the publisher's text: shown escaped, never driving the terminal
        Modelreg.ok(tmp, "push", dir.toString(), layout + ":v3", "--name", "example",
                "--annotation", "org.opencontainers.image.description=a\u001b[2Jb\u202ec");
        Modelreg.Run hostile = Modelreg.ok(tmp, "inspect", layout + ":v3");
        assertThat(hostile.out()).doesNotContain("\u001b", "\u202e").contains("description: a\\u001b[2Jb\\u202ec");

        // a configured source: inspect SOURCE@REF, and list -v shows the metadata of the cached manifest
        Path config = Files.writeString(tmp.resolve("sources.toml"), "[sources.ex]\nname = \"example\"\noci = \"" + layout
                + "\"\nrefs = [\"v1\"]\n");
        Map<String, String> env = Map.of("MODELREG_CONFIG", config.toString(), "MODELREG_CACHE", tmp.resolve("cache").toString());
        Map<String, Object> s = Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, env, "inspect", "ex@v1", "--json"), "inspect").json();
        assertThat(s.get("digest")).isEqualTo(d1);
        Modelreg.Run list = Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, env, "list", "-v"), "list");
        assertThat(list.out()).contains("example@v1:\n  description: Examples\n", "  url: https://example.org\n", "  basin: Ohio\n");

        for (String[] bad : List.of(new String[] {"bad.toml", "Basin = \"x\"\n", "key 'Basin'"},
                new String[] {"bad.json", "{\"size\": 3}", "key 'size': want a string"},
                new String[] {"bad2.toml", "description = \"a\\u001b[2Jb\"\n", "control character"})) {
            Path f = Files.writeString(tmp.resolve(bad[0]), bad[1]);
            Modelreg.Run r = Modelreg.run(tmp, Modelreg.FAST_JVM, Map.of(), "push", dir.toString(), layout + ":bad", "--name",
                    "example", "--metadata", f.toString());
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err().lines()).hasSize(1);
            assertThat(r.err()).startsWith("modelreg: error: " + f + ": ").contains(bad[2]);
        }
        assertThat(Modelreg.ok(tmp, "tags", layout).out()).doesNotContain("bad");
    }
}
