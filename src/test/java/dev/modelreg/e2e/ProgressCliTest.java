package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.ThrottleProxy;
import dev.modelreg.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live progress display: drawn on stderr when it is a terminal (a pseudo-terminal made by {@code script}), absent
 * when stderr is a file, with {@code --json} and with {@code --quiet}. The pull goes through a throttling proxy so it
 * lasts long enough for the display to be drawn.
 */
class ProgressCliTest {
    @TempDir Path tmp;

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    @Test
    void aPullDrawsProgressOnATerminalOnly() throws Exception {
        Path script = Tools.require("/usr/bin/script", "bsdutils");
        Path models = Files.createDirectories(tmp.resolve("models/big"));
        Files.writeString(models.resolve("mfsim.nam"), "BEGIN options\nEND options\n");
        byte[] weights = new byte[12 << 20];
        new Random(3).nextBytes(weights);
        Files.write(models.resolve("weights.bin"), weights);
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("reg"));
             ThrottleProxy slow = ThrottleProxy.start(reg.port(), 6 << 20)) {
            Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, Map.of(), "push", tmp.resolve("models").toString(),
                    reg.host() + "/models/p:v1", "--name", "ex"));
            String ref = slow.host() + "/models/p:v1";

            // on a terminal: the display, then the result line
            List<String> cmd = new ArrayList<>();
            for (String a : Modelreg.command(Modelreg.FAST_JVM, "pull", ref, tmp.resolve("tty").toString())) cmd.add(quote(a));
            Modelreg.Run tty = Modelreg.startCommand(tmp, tmp, Map.of("MODELREG_CACHE", tmp.resolve("c1").toString(),
                    "TERM", "xterm", "LANG", "C.UTF-8"), List.of(script.toString(), "-qec", String.join(" ", cmd), "/dev/null"),
                    "modelreg pull under script").finish();
            assertThat(tty.code()).as(tty.out()).isZero();
            assertThat(tty.out()).contains("pull").contains("%").contains("MiB/s").contains("blobs").contains("\r")
                    .contains("2 files ->");

            // stderr not a terminal, --json, --quiet: no display
            Modelreg.Run file = Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, Map.of("MODELREG_CACHE", tmp.resolve("c2").toString()),
                    "pull", ref, tmp.resolve("file").toString()));
            assertThat(file.err()).doesNotContain("MiB/s").doesNotContain("\r");
            for (String flag : List.of("--json", "--quiet")) {
                List<String> q = new ArrayList<>();
                for (String a : Modelreg.command(Modelreg.FAST_JVM, "pull", ref, tmp.resolve("q" + flag).toString(), flag)) q.add(quote(a));
                Modelreg.Run quiet = Modelreg.startCommand(tmp, tmp, Map.of("MODELREG_CACHE", tmp.resolve("c" + flag).toString(),
                        "TERM", "xterm"), List.of(script.toString(), "-qec", String.join(" ", q), "/dev/null"), "pull " + flag).finish();
                assertThat(quiet.code()).as(quiet.out()).isZero();
                assertThat(quiet.out()).as(flag).doesNotContain("MiB/s");
            }
        }
    }
}
