package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkout's {@code ./modelreg} builds the CLI when its jar is missing or older than the sources, and says every
 * 5 s where Maven is. A Maven that prints nothing for the first seconds (a cold JVM on a loaded machine) must not end
 * the launcher: it once exited 1 there, silently, leaving the build running (a grep of the empty log failed, and
 * pipefail with set -e made that the launcher's exit). Here the launcher is run as it is, in a copy of its directory,
 * with a Maven on PATH that stays silent for 7 s and then leaves a jar; the sourced start script is a stand-in that
 * says it ran.
 */
class LauncherBuildTest {
    @TempDir
    Path tmp;

    @Test
    void aMavenSilentForItsFirstSecondsStillEndsInTheCommand() throws Exception {
        Path here = Files.createDirectories(tmp.resolve("checkout"));
        Files.copy(Modelreg.repoRoot().resolve("modelreg"), here.resolve("modelreg"));
        executable(here.resolve("modelreg"));
        Files.writeString(here.resolve("pom.xml"), "<project/>\n");
        Path start = Files.createDirectories(here.resolve("cli/src/dist/bin")).resolve("modelreg");
        Files.writeString(start, "echo \"started with: $*\"\nexit 0\n"); // sourced by the launcher
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\nsleep 7\nmkdir -p cli/target && : > cli/target/modelreg.jar\n");
        executable(mvn);

        ProcessBuilder pb = new ProcessBuilder(here.resolve("modelreg").toString(), "info", "--json")
                .redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the launcher ends").isTrue();
        String err = Files.readString(tmp.resolve("err"), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err).isZero();
        assertThat(Files.readString(tmp.resolve("out"))).isEqualTo("started with: info --json\n");
        assertThat(err).contains("modelreg: building the CLI with Maven").contains("5 s: starting Maven")
                .containsPattern("modelreg: built in [0-9]+ s");
    }

    private static void executable(Path p) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
