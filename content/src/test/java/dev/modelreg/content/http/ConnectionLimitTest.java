package dev.modelreg.content.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The library, not only the command line, raises the JVM's keep-alive pool ({@code http.maxConnections}, 5 when unset)
 * before its first connection; a number the user set is kept. Each case runs in a JVM of its own: the property is
 * JVM-wide and read once.
 */
class ConnectionLimitTest {
    /** Loads the transport as a library user would, then prints the property. */
    public static void main(String[] args) {
        HttpTransport.of(HttpOptions.defaults());
        System.out.print(System.getProperty("http.maxConnections"));
    }

    private static String run(String... jvmOptions) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xshare:auto");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ConnectionLimitTest.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(out, StandardCharsets.UTF_8)).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void theLibrarySetsTheConnectionLimitUnlessTheUserDid() throws Exception {
        assertThat(run()).isEqualTo(Integer.toString(HttpTransport.MAX_CONNECTIONS)).isEqualTo("64");
        assertThat(run("-Dhttp.maxConnections=7")).isEqualTo("7");
    }
}
