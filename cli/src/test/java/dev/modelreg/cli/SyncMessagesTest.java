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
 * endpoints tried and the one that served it, not the upstream alone.
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
