package dev.modelreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.testkit.RegistryFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code sync} says, in-process with its own cache: a failed ref is named once per line (not "x@r: x@r: ..."),
 * the summary heading says whether the sync completed, and a ref served through a {@code [mirrors]} rule names the
 * endpoints tried and the one that served it, not the upstream alone; {@code sync --repo OWNER/NAME --ref REF}
 * (devtools' form) syncs the configured sources of that repository, or says the supported form in one line.
 */
class SyncMessagesTest {
    @TempDir Path tmp;

    Ran run(String... args) {
        return Ran.of(Map.of("MODELREG_CACHE", tmp.resolve("cache").toString(), "MODELREG_RETRIES", "0",
                "HOME", tmp.resolve("home").toString()), args);
    }

    @Test
    void aFailedRefIsNamedOnceAndTheSyncIsNotCalledComplete() throws Exception {
        Path config = Files.writeString(tmp.resolve("sources.toml"),
                "[sources.ex]\nname = \"ex\"\noci = \"127.0.0.1:9/models/p\"\nrefs = [\"main\"]\n");
        Ran r = run("sync", "--config", config.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(r.out()).startsWith("Sync failed:").contains("  Failed: 1").doesNotContain("complete");
        for (String line : (r.out() + r.err()).lines().toList()) {
            assertThat(line.split("ex@main", -1).length - 1).as("the ref named once: " + line).isLessThanOrEqualTo(1);
        }
        assertThat(r.err()).contains("  [-] Failed to sync ex@main: ").contains("modelreg: error: ex@main: ");
        assertThat(r.out()).contains("Failed syncs:\n  ex@main: ");
    }

    @Test
    void syncByRepositoryAsDevtoolsDocumentsIt() throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models/m"));
        Files.writeString(models.resolve("mfsim.nam"), "BEGIN options\nEND options\n");
        String layout = "oci-layout:" + tmp.resolve("layout");
        assertThat(run("push", tmp.resolve("models").toString(), layout + ":develop", "--name", "ex").code()).isZero();
        Path config = Files.writeString(tmp.resolve("sources.toml"), "[sources.testmodels]\nname = \"ex\"\nrepo = \"MODFLOW-ORG/models\"\n"
                + "oci = \"" + layout + "\"\nrefs = [\"main\"]\n\n[sources.other]\nname = \"other\"\nrepo = \"o/other\"\nrefs = [\"main\"]\n");
        Ran r = run("sync", "--config", config.toString(), "--repo", "modflow-org/models", "--ref", "develop");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Sync complete:").contains("  Synced: 1", "  Failed: 0", "  ex@develop sha256:");

        Ran unknown = run("sync", "--config", config.toString(), "--repo", "someone/else", "--ref", "develop");
        assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.errLines()).containsExactly("modelreg: error: no configured source has repository 'someone/else': "
                + "name one with --source (modelreg sync --source NAME --repo someone/else --ref REF)");
    }

    @Test
    void aRefServedByAMirrorNamesTheEndpointThatServedIt() throws Exception {
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("reg"))) {
            Path models = Files.createDirectories(tmp.resolve("models/m"));
            Files.writeString(models.resolve("mfsim.nam"), "BEGIN options\nEND options\n");
            String mirror = reg.host() + "/mirror";
            Ran push = run("push", tmp.resolve("models").toString(), mirror + "/models/p:v1", "--name", "ex");
            assertThat(push.code()).as(push.err()).isZero();
            String upstream = "127.0.0.1:9/models/p"; // nothing listens there: only the mirror can serve
            Path config = Files.writeString(tmp.resolve("sources.toml"), "[sources.ex]\nname = \"ex\"\noci = \"" + upstream
                    + "\"\nrefs = [\"v1\"]\n\n[mirrors]\n\"127.0.0.1:9\" = \"" + mirror + "\"\n");
            Ran sync = run("sync", "--config", config.toString());
            assertThat(sync.code()).as(sync.err()).isZero();
            assertThat(sync.out()).startsWith("Sync complete:");
            assertThat(sync.err()).contains("Resolving ex@v1 in " + mirror + "/models/p, else " + upstream + "...")
                    .contains("  [+] Synced ex@v1 at " + mirror + "/models/p (sha256:");
            Ran again = run("sync", "--config", config.toString());
            assertThat(again.err()).contains("  [=] ex@v1 unchanged at " + mirror + "/models/p (sha256:");
        }
    }
}
