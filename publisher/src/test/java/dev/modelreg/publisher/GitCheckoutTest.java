package dev.modelreg.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.GitHubUrls;
import dev.modelreg.spec.Reference;
import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a git checkout adds: created = commit time, revision = HEAD, raw urls with the path inside the repository. */
class GitCheckoutTest {
    @TempDir
    Path tmp;

    private void git(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("GIT_AUTHOR_DATE", "2024-03-01T10:00:00+02:00");
        pb.environment().put("GIT_COMMITTER_DATE", "2024-03-01T10:00:00+02:00");
        pb.environment().put("GIT_AUTHOR_NAME", "t");
        pb.environment().put("GIT_AUTHOR_EMAIL", "t@example.invalid");
        pb.environment().put("GIT_COMMITTER_NAME", "t");
        pb.environment().put("GIT_COMMITTER_EMAIL", "t@example.invalid");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    private Path checkout() throws Exception {
        Path repo = tmp.resolve("repo");
        TestTrees.copyTree(TestTrees.examples(), repo.resolve("examples/models"));
        git(repo, "init", "-q", "-b", "develop");
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "models");
        return repo;
    }

    @Test
    void createdAndRevisionComeFromTheCheckoutAndTheBranchIsTheDefaultRef() throws Exception {
        Path repo = checkout();
        Path models = repo.resolve("examples/models");
        Path layout = tmp.resolve("layout");
        Push.Result r = Push.run(Push.Request.builder(models, Reference.parse("oci-layout:" + layout)).name("example")
                .repo(GitHubUrls.Repo.parse("Org/Models")).build());
        assertThat(r.ref()).isEqualTo("develop");
        assertThat(r.tag()).isEqualTo("develop");
        Manifest m = Manifest.parse(Files.readAllBytes(layout.resolve("blobs/sha256/" + r.digest().hex())), "m");
        assertThat(m.annotations()).containsEntry(Annotations.CREATED, "2024-03-01T08:00:00Z")
                .containsEntry(Annotations.SOURCE, "https://github.com/Org/Models")
                .containsEntry(Annotations.REF, "develop");
        assertThat(m.annotations().get(Annotations.REVISION)).matches("[0-9a-f]{40}");

        // SOURCE_DATE_EPOCH wins over the commit time; --created now is the only way to get the current time
        Push.Result sde = Push.run(Push.Request.builder(models, Reference.parse("oci-layout:" + layout + ":sde"))
                .name("example").created(CreationTime.fromEnvironment(Map.of("SOURCE_DATE_EPOCH", "0"))).build());
        Manifest ms = Manifest.parse(Files.readAllBytes(layout.resolve("blobs/sha256/" + sde.digest().hex())), "m");
        assertThat(ms.annotations()).containsEntry(Annotations.CREATED, ManifestAnnotations.EPOCH);
        // only the manifest differs: every layer and the config are shared
        assertThat(ms.layers()).isEqualTo(m.layers());
        assertThat(ms.config()).isEqualTo(m.config());

        // without --repo/--source-url, a GitHub origin remote gives the source
        git(repo, "remote", "add", "origin", "git@github.com:Some-Org/some.models.git");
        Push.Result origin = Push.run(Push.Request.builder(models, Reference.parse("oci-layout:" + layout + ":origin"))
                .name("example").build());
        Manifest mo = Manifest.parse(Files.readAllBytes(layout.resolve("blobs/sha256/" + origin.digest().hex())), "m");
        assertThat(mo.annotations()).containsEntry(Annotations.SOURCE, "https://github.com/Some-Org/some.models");

        assertThatThrownBy(() -> Push.run(Push.Request.builder(models, Reference.parse("oci-layout:" + layout + ":bad"))
                .name("example").created(CreationTime.parse("yesterday")).build()))
                .hasMessageContaining("--created").hasMessageContaining("yesterday");
    }

    @Test
    void rawUrlsIncludeThePathInsideTheRepository() throws Exception {
        Path repo = checkout();
        MakeRegistry.Result r = MakeRegistry.run(MakeRegistry.Request.builder("example")
                .path(repo.resolve("examples/models").toString()).repo(GitHubUrls.Repo.parse("Org/Models"))
                .ref("develop")
                .github(GitHubUrls.fromEnvironment(Map.of("MODELREG_GITHUB_RAW_URL", "http://127.0.0.1:1"))).build());
        ModelsToml m = ModelsTomlCodec.read(Files.readAllBytes(r.registryFile()), "t");
        assertThat(m.files().get("ex-gwf-twri01/mfsim.nam").url())
                .isEqualTo("http://127.0.0.1:1/Org/Models/develop/examples/models/ex-gwf-twri01/mfsim.nam");
    }
}
