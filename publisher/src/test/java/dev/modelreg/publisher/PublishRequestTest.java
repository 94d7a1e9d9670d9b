package dev.modelreg.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.GitHubUrls;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.ModelregException;
import dev.modelreg.spec.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The publisher's requests as values: built, derived, and refused with a kinded {@link PublishException}. */
class PublishRequestTest {
    @TempDir Path tmp;

    private Path examples() {
        Path dir = tmp.resolve("models");
        TestTrees.copyTree(TestTrees.examples(), dir);
        return dir;
    }

    private Reference layout(String tag) {
        return Reference.parse("oci-layout:" + tmp.resolve("layout") + ":" + tag);
    }

    private Manifest manifest(Push.Result r) throws Exception {
        return Manifest.parse(Files.readAllBytes(tmp.resolve("layout/blobs/sha256/" + r.digest().hex())), "m");
    }

    private static void invalid(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(PublishException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((ModelregException) e).kind()).isEqualTo(ModelregException.Kind.INVALID));
    }

    @Test
    void badInputIsAPublishExceptionOfKindInvalid() {
        Path dir = examples();
        invalid(() -> Push.run(Push.Request.builder(dir, layout("v1")).build()), "give --name PREFIX");
        invalid(() -> Push.run(Push.Request.builder(dir, Reference.parse("oci-layout:" + tmp.resolve("l")
                + "@sha256:" + "a".repeat(64))).name("x").build()), "push needs a tag, not a digest");
        invalid(() -> Push.run(Push.Request.builder(dir, layout("v1")).name("x").maxLayers(0).build()), "--max-layers");
        invalid(() -> Push.run(Push.Request.builder(dir, layout("v1")).name("x")
                .created(CreationTime.fromEnvironment(Map.of("SOURCE_DATE_EPOCH", "soon"))).build()), "SOURCE_DATE_EPOCH 'soon'");
        invalid(() -> CreationTime.parse("yesterday"), "--created 'yesterday' is not an ISO-8601 time");
        invalid(() -> MakeRegistry.run(MakeRegistry.Request.builder("x").path(dir.toString())
                .repo(GitHubUrls.Repo.parse("o/n")).build()), "give both --repo OWNER/NAME and --ref REF");
        assertThat(tmp.resolve("layout")).doesNotExist();
    }

    @Test
    void aRequestIsAValueThatBuildersDeriveAndTheCreationTimeIsOneToo() throws Exception {
        Path dir = examples();
        Push.Request v1 = Push.Request.builder(dir, layout("v1")).name("example").ref("main")
                .created(CreationTime.at(Instant.parse("2024-05-01T12:00:00.750Z"))).build();
        Push.Request v2 = v1.toBuilder().created(CreationTime.fromEnvironment(Map.of("SOURCE_DATE_EPOCH", "1700000000")))
                .build();
        Push.Result r1 = Push.run(v1);
        Push.Result r2 = Push.run(v2);
        assertThat(manifest(r1).annotations()).containsEntry(Annotations.CREATED, "2024-05-01T12:00:00Z")
                .containsEntry(Annotations.REF, "main");
        assertThat(manifest(r2).annotations()).containsEntry(Annotations.CREATED, "2023-11-14T22:13:20Z");
        assertThat(r1.tag()).isEqualTo("v1");
        // the defaults read nothing from the environment: not a git checkout, so the epoch
        Push.Result plain = Push.run(Push.Request.builder(dir, layout("plain")).name("example").build());
        assertThat(manifest(plain).annotations()).containsEntry(Annotations.CREATED, CreationTime.EPOCH);
        assertThat(CreationTime.fromEnvironment(Map.of())).isSameAs(CreationTime.reproducible());
    }
}
