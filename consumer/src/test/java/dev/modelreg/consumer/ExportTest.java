package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.consumer.Results.Exported;
import dev.modelreg.content.store.OciLayout;
import dev.modelreg.publisher.CreationTime;
import dev.modelreg.publisher.Push;
import dev.modelreg.spec.BootstrapConfig;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.ModelregException;
import dev.modelreg.spec.Reference;
import dev.modelreg.spec.SourceConfig;
import dev.modelreg.testkit.GitHubFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ModelReg#export} as a library call: a GitHub-mode ref becomes a modelreg artifact, an OCI-mode ref is copied
 * as it is, each under the tag of its ref, with typed results; a request of the wrong shape writes nothing.
 */
class ExportTest {
    @TempDir Path tmp;
    GitHubFixture gh;
    Map<String, String> env;
    final Map<String, byte[]> files = new LinkedHashMap<>();

    @BeforeEach
    void setUp() {
        gh = GitHubFixture.start(tmp.resolve("gh"));
        env = new HashMap<>(gh.env());
        env.put("MODELREG_CACHE", tmp.resolve("cache").toString());
        files.put("ex1/mfsim.nam", "BEGIN options\nEND options\n".getBytes(StandardCharsets.UTF_8));
        files.put("ex1/gwf/k.bin", ConsumeGitHubTest.bytes(70000, 11));
        StringBuilder toml = new StringBuilder("schema_version = \"1.0\"\n");
        files.forEach((k, v) -> {
            gh.putRaw("org", "models", "feature/x", k, v);
            toml.append("\n[files.\"").append(k).append("\"]\nhash = \"").append(Digest.sha256Of(v).hex())
                    .append("\"\nurl = \"https://raw.githubusercontent.com/org/models/feature/x/").append(k).append("\"\n");
        });
        toml.append("\n[models]\n\"test/ex1\" = [\"ex1/mfsim.nam\", \"ex1/gwf/k.bin\"]\n");
        gh.putRaw("org", "models", "feature/x", ".registry/models.toml", toml.toString().getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void tearDown() {
        gh.close();
    }

    private ModelReg reg(Reference ociSource) {
        SourceConfig github = SourceConfig.builder("testmodels").repo("org/models").name("test")
                .refs(List.of("feature/x")).build();
        SourceConfig oci = SourceConfig.builder("published").name("example").oci(ociSource).refs(List.of("main")).build();
        return new ModelReg(new BootstrapConfig(Map.of("testmodels", github, "published", oci)), Settings.from(env));
    }

    @Test
    void aGitHubRefBecomesAnArtifactAndAnOciRefIsCopiedAsItIs() throws IOException {
        Reference src = Reference.parse("oci-layout:" + tmp.resolve("src"));
        Push.Result pushed = Push.run(Push.Request.builder(ConsumePublishedTest.examples(), src.withTag("main"))
                .name("example").build());
        Reference dst = Reference.parse("oci-layout:" + tmp.resolve("dst"));
        ModelReg reg = reg(src);

        List<Exported> github = reg.export("test", null, dst, CreationTime.reproducible());
        assertThat(github).singleElement().satisfies(e -> {
            assertThat(e.source()).isEqualTo("testmodels");
            assertThat(e.mode()).isEqualTo("github");
            assertThat(e.tag()).isEqualTo("feature_2fx");
            assertThat(e.reference()).isEqualTo(dst.withTag("feature_2fx").withDigest(e.digest()));
            assertThat(OciLayout.open(tmp.resolve("dst")).resolve("feature_2fx").digest()).isEqualTo(e.digest());
        });
        List<Exported> oci = reg.export("published", List.of("main"), dst, CreationTime.reproducible());
        assertThat(oci).singleElement().satisfies(e -> {
            assertThat(e.mode()).isEqualTo("oci");
            assertThat(e.digest()).isEqualTo(pushed.digest()); // copied as it is
            assertThat(e.toJson()).containsEntry("reference", dst + ":main@" + pushed.digest());
        });

        // what landed reads back, every file verified
        ModelReg other = new ModelReg(new BootstrapConfig(Map.of()), Settings.from(env).withCacheRoot(tmp.resolve("c2")));
        other.pull(github.get(0).reference(), tmp.resolve("out"), Selection.ALL, Placement.COPY);
        files.forEach((k, v) -> assertThat(tmp.resolve("out").resolve(k)).hasBinaryContent(v));
    }

    @Test
    void exportInternalizeCarriesFilesStoredOutsideTheRegistryInLayers() throws IOException {
        Map<String, byte[]> tree = ConsumeDeltaTest.tree(ConsumePublishedTest.examples());
        Map<String, byte[]> bins = ExternalFilesTest.bins(tree);
        Reference src = Reference.parse("oci-layout:" + tmp.resolve("src"));
        Reference dst = Reference.parse("oci-layout:" + tmp.resolve("dst"));
        Push.Result pushed;
        try (dev.modelreg.testkit.StubServer http = dev.modelreg.testkit.StubServer.http("127.0.0.1", x -> {
            byte[] b = bins.get(x.getRequestURI().getPath().substring("/files/".length()));
            dev.modelreg.testkit.StubServer.answer(x, b == null ? 404 : 200, b);
        })) {
            pushed = Push.run(Push.Request.builder(ConsumePublishedTest.examples(), src.withTag("main")).name("example")
                    .external(dev.modelreg.publisher.ExternalFiles.of(List.of("**/*.bin"), "http://" + http.host() + "/files"))
                    .build());
            List<Exported> in = reg(src).export("published", List.of("main"), dst, CreationTime.reproducible(),
                    ExportOptions.DEFAULT.withInternalize(true));
            assertThat(in).singleElement().satisfies(e -> assertThat(e.digest()).isNotEqualTo(pushed.digest()));
            assertThat(http.seen()).hasSize(bins.size());
        }
        // the HTTP server is gone: the export serves every file
        ModelReg other = new ModelReg(new BootstrapConfig(Map.of()), Settings.from(env).withCacheRoot(tmp.resolve("c3")));
        other.pull(dst.withTag("main"), tmp.resolve("out"), Selection.ALL, Placement.COPY);
        ConsumeDeltaTest.assertSameTree(tmp.resolve("out"), tree);
    }

    @Test
    void aDestinationWithATagIsAnInvalidRequestAndNothingIsWritten() {
        Path dst = tmp.resolve("tagged");
        ModelReg reg = reg(Reference.parse("oci-layout:" + tmp.resolve("src")));
        assertThatThrownBy(() -> reg.export("test", null, Reference.parse("oci-layout:" + dst + ":v1"), CreationTime.reproducible()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("takes no tag or digest")
                .satisfies(e -> assertThat(((ModelregException) e).kind()).isEqualTo(ModelregException.Kind.INVALID));
        assertThat(dst).doesNotExist();
    }
}
