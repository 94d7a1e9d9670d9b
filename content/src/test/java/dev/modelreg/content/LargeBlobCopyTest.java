package dev.modelreg.content;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.testkit.RegistryFixture;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Memory stays flat: a 192 MiB blob goes layout -> registry -> layout in a child JVM limited to a 48 MiB heap. */
class LargeBlobCopyTest {
    @TempDir Path tmp;

    @Test
    void bigBlobStreamsThroughASmallHeap() throws Exception {
        // -Dmodelreg.bigMiB=1024 for the 1 GiB measurement in the report
        long mib = Long.getLong("modelreg.bigMiB", 192);
        try (RegistryFixture r = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("reg"))) {
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(List.of(javaBin, "-Xmx48m", "-cp", System.getProperty("java.class.path"),
                    LargeBlobCopy.class.getName(), r.host(), tmp.toString(), String.valueOf(mib)))
                    .redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("child finished").isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            System.out.println("LargeBlobCopy: " + out.lines().filter(l -> l.startsWith("{")).findFirst().orElse(out));
            assertThat(out).contains("\"bytes\":" + (mib << 20));
            var m = java.util.regex.Pattern.compile("\"pushed\":(\\d+),\"pulled\":(\\d+)").matcher(out);
            assertThat(m.find()).as(out).isTrue();
            // blob + config + manifest went up, and the same came down
            assertThat(Long.parseLong(m.group(1))).isGreaterThan(mib << 20).isEqualTo(Long.parseLong(m.group(2)));
        }
    }
}
