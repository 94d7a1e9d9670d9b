package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.RegistryHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same tree pushed from two separate JVMs, from two different directories, gives the same manifest digest. */
class PublishReproducibleTest {
    @TempDir
    Path tmp;

    @Test
    void twoJvmRunsGiveTheSameDigestAndTheConfigIsTheModelsToml() throws Exception {
        Path a = Modelreg.copyExamples(tmp.resolve("checkout-a/models"));
        Path b = Modelreg.copyExamples(tmp.resolve("elsewhere/b"));
        try (Stream<Path> s = Files.walk(b)) {
            for (Path p : (Iterable<Path>) s::iterator) Files.setLastModifiedTime(p, FileTime.fromMillis(946684800000L));
        }
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("reg"))) {
            Modelreg.Run first = Modelreg.ok(tmp, "push", a.toString(), reg.host() + "/models/examples:v1", "--name", "example");
            Modelreg.Run second = Modelreg.ok(tmp, "push", b.toString(), reg.host() + "/models/examples-again:v1", "--name", "example");
            String d1 = first.out().strip();
            assertThat(first.out()).matches("sha256:[0-9a-f]{64}\\n");
            assertThat(first.err()).isEmpty(); // no terminal: no progress
            assertThat(second.out().strip()).isEqualTo(d1);

            // and into an OCI layout, no server: the same digest again
            Modelreg.Run layout = Modelreg.ok(tmp, "push", a.toString(), "oci-layout:" + tmp.resolve("layout") + ":v1", "--name", "example");
            assertThat(layout.out().strip()).isEqualTo(d1);

            // config digest == sha256(models.toml) that make-registry writes for the same tree
            Modelreg.ok(tmp, "make-registry", "--path", a.toString(), "--name", "example", "--output", tmp.resolve("reg-out").toString());
            byte[] toml = Files.readAllBytes(tmp.resolve("reg-out/models.toml"));
            RegistryHttp http = new RegistryHttp(reg);
            byte[] manifest = http.getManifest("models/examples", "v1", MediaTypes.OCI_MANIFEST);
            assertThat(Digest.sha256Of(manifest).toString()).isEqualTo(d1);
            Manifest m = Manifest.parse(manifest, "m");
            assertThat(m.config().digest()).isEqualTo(Digest.sha256Of(toml));
            assertThat(http.getBlob("models/examples", m.config().digest())).isEqualTo(toml);

            // --json re-push: nothing uploaded, the documented fields present
            Modelreg.Run again = Modelreg.ok(tmp, "push", b.toString(), reg.host() + "/models/examples:v1", "--name", "example", "--json");
            Map<String, Object> j = again.json();
            assertThat(j).containsKeys("digest", "tag", "reference", "files", "layers", "bytesUploaded", "bytesSkipped");
            assertThat(j.get("digest")).isEqualTo(d1);
            assertThat(j.get("tag")).isEqualTo("v1");
            assertThat(j.get("bytesUploaded")).isEqualTo(0L);
            assertThat((Long) j.get("bytesSkipped")).isGreaterThan(1_000_000L);
            assertThat(j.get("layers")).isEqualTo((long) m.layers().size());
            assertThat(j.get("reference")).isEqualTo(reg.host() + "/models/examples:v1@" + d1);
            System.out.println("examples push: " + j + " first push " + first.millis() + " ms");
        }
    }

    @Test
    void aGitRefBecomesAnEscapedTagAndTheRefIsKept() throws Exception {
        Path a = Modelreg.copyExamples(tmp.resolve("m"));
        String layout = "oci-layout:" + tmp.resolve("layout");
        Modelreg.Run r = Modelreg.ok(tmp, "push", a.toString(), layout, "--ref", "feature/x", "--name", "example", "--json",
                "--annotation", "org.example.team=hydro");
        assertThat(r.json().get("tag")).isEqualTo("feature_2fx");
        assertThat(Files.readString(tmp.resolve("layout/index.json"))).contains("\"feature_2fx\"");
        String digest = (String) r.json().get("digest");
        Manifest m = Manifest.parse(Files.readAllBytes(tmp.resolve("layout/blobs/sha256/" + digest.substring(7))), "m");
        assertThat(m.annotations()).containsEntry("dev.modelreg.ref", "feature/x")
                .containsEntry("org.opencontainers.image.version", "feature/x")
                .containsEntry("org.example.team", "hydro")
                .containsEntry("org.opencontainers.image.created", "1970-01-01T00:00:00Z");
        assertThat(List.copyOf(m.layers())).isNotEmpty();
    }
}
