package dev.modelreg.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolsTest {
    @Test
    void aMissingBinaryFailsLoudlyWithTheInstallCommand() {
        assertThatThrownBy(() -> Tools.require("/nonexistent/bin/docker-registry", "docker-registry"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/nonexistent/bin/docker-registry is missing")
                .hasMessageContaining("apt-get install -y docker-registry");
    }

    @Test
    void theRealBinariesArePresent() {
        assertThat(Tools.require(RegistryFixture.BINARY, "docker-registry")).isExecutable();
        assertThat(Tools.require(Skopeo.BINARY, "skopeo")).isExecutable();
    }

    @Test
    void runCapturesOutputAndExitCodeAndBoundsTime() {
        Tools.Result r = Tools.run(List.of("/bin/sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(10));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Tools.run(List.of("/bin/sh", "-c", "echo slow >&2; sleep 30"), Duration.ofMillis(500)))
                .hasMessageContaining("timed out").hasMessageContaining("slow");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
    }
}
