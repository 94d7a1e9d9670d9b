package dev.modelreg.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault proxy on the wire, read by a raw socket client (the oracle sees exactly the bytes sent, how the
 * connection ended, and every header): forwarding, Location rewriting, and each fault as specified.
 */
class FaultProxyTest {
    @TempDir Path tmp;
    GitHubFixture gh;
    FaultProxy proxy;
    final byte[] file = new byte[10_000];

    @BeforeEach
    void start() {
        new Random(5).nextBytes(file);
        gh = GitHubFixture.start(tmp.resolve("gh"));
        gh.putRaw("o", "r", "main", "f.bin", file);
        gh.putRelease("o", "r", "v1", "a.zip", file);
        proxy = FaultProxy.start(Integer.parseInt(gh.baseUrl().substring(gh.baseUrl().lastIndexOf(':') + 1)));
    }

    @AfterEach
    void stop() {
        proxy.close();
        gh.close();
    }

    /** What the client got: status line, headers, the body bytes before EOF, and whether it ended in a reset. */
    record Got(String head, byte[] body, boolean reset) {
        int status() {
            return Integer.parseInt(head.split(" ")[1]);
        }

        String header(String name) {
            for (String l : head.split("\r\n")) {
                if (l.toLowerCase().startsWith(name.toLowerCase() + ":")) return l.substring(name.length() + 1).trim();
            }
            return null;
        }
    }

    Got send(String method, String path, String range) throws IOException {
        try (Socket s = new Socket("127.0.0.1", proxy.port())) {
            s.setSoTimeout(10_000);
            String req = method + " " + path + " HTTP/1.1\r\nHost: " + proxy.host() + "\r\n"
                    + (range != null ? "Range: " + range + "\r\n" : "") + "\r\n";
            s.getOutputStream().write(req.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            boolean reset = false;
            try {
                in.transferTo(all);
            } catch (java.net.SocketException e) {
                reset = true;
            }
            byte[] b = all.toByteArray();
            int end = indexOf(b, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return new Got(new String(b, 0, end, StandardCharsets.ISO_8859_1), Arrays.copyOfRange(b, end + 4, b.length), reset);
        }
    }

    static int indexOf(byte[] b, byte[] sub) {
        outer:
        for (int i = 0; i + sub.length <= b.length; i++) {
            for (int j = 0; j < sub.length; j++) if (b[i + j] != sub[j]) continue outer;
            return i;
        }
        throw new AssertionError("no end of headers in " + b.length + " bytes");
    }

    @Test
    void forwardsUnchangedWhenNoRuleMatchesAndRewritesTheServersLocation() throws IOException {
        Got g = send("GET", "/o/r/main/f.bin", null);
        assertThat(g.status()).isEqualTo(200);
        assertThat(g.body()).isEqualTo(file);
        assertThat(g.header("Content-Length")).isEqualTo("10000");
        assertThat(g.header("Connection")).isEqualTo("close");

        Got r = send("GET", "/o/r/main/f.bin", "bytes=9000-");
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Range")).isEqualTo("bytes 9000-9999/10000");
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(file, 9000, 10_000));

        Got h = send("HEAD", "/o/r/main/f.bin", null);
        assertThat(h.header("Content-Length")).as("a HEAD keeps the server's length").isEqualTo("10000");
        assertThat(h.body()).isEmpty();

        Got redirect = send("GET", "/o/r/releases/download/v1/a.zip", null);
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.header("Location")).isEqualTo(proxy.baseUrl() + "/_objects/o/r/v1/a.zip");

        assertThat(proxy.requests()).isEqualTo(4);
        assertThat(proxy.injected()).isZero();
        assertThat(proxy.exchanges()).extracting(FaultProxy.Exchange::range).containsExactly(null, "bytes=9000-", null, null);
    }

    @Test
    void bodyFaults() throws IOException {
        FaultProxy.Rule truncate = proxy.inject("GET", "/f\\.bin$", FaultProxy.Fault.truncate(1000), 1);
        Got t = send("GET", "/o/r/main/f.bin", null);
        assertThat(t.header("Content-Length")).isEqualTo("10000");
        assertThat(t.body()).isEqualTo(Arrays.copyOf(file, 1000));
        assertThat(t.reset()).isFalse();
        assertThat(truncate.injected()).isEqualTo(1);
        assertThat(send("GET", "/o/r/main/f.bin", null).body()).as("used up after once").isEqualTo(file);

        proxy.inject("GET", "/f\\.bin$", FaultProxy.Fault.reset(2000), 1);
        Got r = send("GET", "/o/r/main/f.bin", null);
        assertThat(r.reset()).isTrue();
        assertThat(r.body().length).isLessThanOrEqualTo(2000);

        proxy.inject("GET", "/f\\.bin$", FaultProxy.Fault.corrupt(-1), 1);
        Got c = send("GET", "/o/r/main/f.bin", null);
        assertThat(c.body()).hasSameSizeAs(file).isNotEqualTo(file);
        assertThat(c.body()[5000]).isEqualTo((byte) ~file[5000]);

        proxy.inject("GET", "/f\\.bin$", FaultProxy.Fault.contentLength(+100), 1);
        Got longer = send("GET", "/o/r/main/f.bin", null);
        assertThat(longer.header("Content-Length")).isEqualTo("10100");
        assertThat(longer.body()).isEqualTo(file);

        proxy.inject("GET", "/f\\.bin$", FaultProxy.Fault.contentLength(-100), 1);
        assertThat(send("GET", "/o/r/main/f.bin", null).header("Content-Length")).isEqualTo("9900");

        proxy.inject("GET", "/f\\.bin$", FaultProxy.Fault.stall(100, Duration.ofMillis(500)), 1);
        long t0 = System.nanoTime();
        Got s = send("GET", "/o/r/main/f.bin", null);
        assertThat(s.body()).isEqualTo(Arrays.copyOf(file, 100));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(450));

        // a body fault waits for a 2xx with a body: a 404 passes unchanged and does not use the rule up
        FaultProxy.Rule waiting = proxy.inject(null, "/", FaultProxy.Fault.truncate(1), 1);
        assertThat(send("GET", "/o/r/main/missing", null).status()).isEqualTo(404);
        assertThat(waiting.injected()).isZero();
        assertThat(proxy.injected()).isEqualTo(6);
    }

    @Test
    void statusFaultsAndRedirectLoopsAreAnsweredByTheProxy() throws IOException {
        proxy.inject("GET", "/f\\.bin$", FaultProxy.Fault.status(429), 1);
        proxy.inject("GET", "/f\\.bin$", FaultProxy.Fault.status(503), 1);
        FaultProxy.Rule loop = proxy.inject("GET", "/f\\.bin$", FaultProxy.Fault.redirectLoop(), FaultProxy.ALWAYS);
        Got a = send("GET", "/o/r/main/f.bin?x=1", null);
        assertThat(a.status()).isEqualTo(429);
        assertThat(a.header("Retry-After")).isEqualTo("1");
        assertThat(send("GET", "/o/r/main/f.bin", null).status()).isEqualTo(503);
        for (int i = 0; i < 3; i++) {
            Got l = send("GET", "/o/r/main/f.bin?x=1", null);
            assertThat(l.status()).isEqualTo(302);
            assertThat(l.header("Location")).isEqualTo(proxy.baseUrl() + "/o/r/main/f.bin?x=1");
        }
        assertThat(loop.injected()).isEqualTo(3);
        assertThat(gh.requests()).as("the server was never asked").isEmpty();
        assertThat(proxy.exchanges()).extracting(FaultProxy.Exchange::status).containsExactly(429, 503, 302, 302, 302);
    }
}
