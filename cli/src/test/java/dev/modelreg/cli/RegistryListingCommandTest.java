package dev.modelreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.modelreg.content.store.OciLayout;
import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.testkit.RegistryFixture;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tags --long} (created time, size and title from one manifest GET per tag; {@code --sort created}) and
 * {@code catalog} against the real distribution registry, and {@code catalog} against stubs that page or refuse it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RegistryListingCommandTest {
    @TempDir Path tmp;

    private static MirrorCommandTest.Run ok(String... args) {
        MirrorCommandTest.Run r = MirrorCommandTest.run(args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        return r;
    }

    /** An artifact tagged {@code tag} in {@code layout}, created at {@code created} (none: null), titled {@code title}. */
    private static Manifest artifact(OciLayout layout, String tag, String created, String title, int fileSize) throws Exception {
        byte[] config = ("[files]\n# " + tag + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] file = "y".repeat(fileSize).getBytes(StandardCharsets.UTF_8);
        Descriptor cd = Descriptor.of(MediaTypes.CONFIG, Digest.sha256Of(config), config.length);
        Descriptor fd = Descriptor.of(MediaTypes.FILE_LAYER, Digest.sha256Of(file), file.length);
        layout.push(cd, new ByteArrayInputStream(config));
        layout.push(fd, new ByteArrayInputStream(file));
        Map<String, String> a = new java.util.TreeMap<>();
        if (created != null) a.put(Annotations.CREATED, created);
        if (title != null) a.put(Annotations.TITLE, title);
        Manifest m = new Manifest(MediaTypes.ARTIFACT_TYPE, cd, List.of(fd), a);
        layout.push(m.descriptor(), new ByteArrayInputStream(m.toBytes()));
        layout.tag(m.descriptor(), tag);
        return m;
    }

    @SuppressWarnings("unchecked")
    @Test
    void tagsLongSortedByCreationAndTheCatalogOfARealRegistry() throws Exception {
        OciLayout l = OciLayout.open(tmp.resolve("src"));
        Manifest newest = artifact(l, "v2", "2026-03-01T00:00:00Z", "Second\u001b[31m", 300);
        Manifest oldest = artifact(l, "v1", "2025-01-01T00:00:00Z", "First", 100);
        Manifest none = artifact(l, "dev", null, null, 200);
        String src = "oci-layout:" + tmp.resolve("src");
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("reg"))) {
            String h = reg.host();
            for (String t : List.of("v2", "v1", "dev")) ok("mirror", src + ":" + t, h + "/models/one:" + t);
            ok("mirror", src + ":v1", h + "/two:v1");

            reg.clearRequests();
            List<String> lines = ok("tags", h + "/models/one", "--long", "--sort", "created").out().lines().toList();
            long manifestGets = reg.requests().stream().filter(r -> r.path().contains("/manifests/")).peek(r ->
                    assertThat(r.method()).isEqualTo("GET")).count();
            assertThat(manifestGets).as("one manifest GET per tag, no HEAD").isEqualTo(3);
            assertThat(lines).hasSize(3);
            assertThat(lines.get(0)).startsWith("v1 " + oldest.descriptor().digest() + " 2025-01-01T00:00:00Z ")
                    .endsWith(" First");
            assertThat(lines.get(1)).startsWith("v2 " + newest.descriptor().digest() + " 2026-03-01T00:00:00Z ")
                    .doesNotContain("\u001b");
            assertThat(lines.get(2)).as("no creation time: last").startsWith("dev " + none.descriptor().digest() + " - ")
                    .endsWith(" -");

            Map<String, Object> j = Json.parseObject(ok("tags", h + "/models/one", "--long", "--json").out()
                    .getBytes(StandardCharsets.UTF_8), "out");
            Map<String, Object> v1 = ((List<Map<String, Object>>) j.get("tags")).stream()
                    .filter(t -> "v1".equals(t.get("tag"))).findFirst().orElseThrow();
            assertThat(v1).containsEntry("created", "2025-01-01T00:00:00Z").containsEntry("title", "First")
                    .containsEntry("size", oldest.config().size() + 100);
            assertThat(MirrorCommandTest.run("tags", h + "/models/one", "--sort", "size").code()).isEqualTo(ExitCodes.USAGE);
            assertThat(MirrorCommandTest.run("tags", src, "--long").code()).isEqualTo(ExitCodes.USAGE);

            assertThat(ok("catalog", h).out().lines()).containsExactly("models/one", "two");
            Map<String, Object> c = Json.parseObject(ok("catalog", h, "--json").out().getBytes(StandardCharsets.UTF_8), "out");
            assertThat((List<Object>) c.get("repositories")).containsExactly("models/one", "two");
        }
    }

    /** A stub registry: {@code /v2/_catalog} answers {@code status} (200: two pages linked by Link). */
    private static HttpServer stub(int status) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/v2/", x -> {
            byte[] body;
            int code = status;
            String q = x.getRequestURI().getRawQuery();
            if (status != 200) {
                body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}".getBytes(StandardCharsets.UTF_8);
            } else if (q != null && q.contains("last=a")) {
                body = "{\"repositories\":[\"b/c\"]}".getBytes(StandardCharsets.UTF_8);
            } else {
                x.getResponseHeaders().add("Link", "</v2/_catalog?n=1&last=a>; rel=\"next\"");
                body = "{\"repositories\":[\"a\"]}".getBytes(StandardCharsets.UTF_8);
            }
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(code, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        s.start();
        return s;
    }

    @Test
    void theCatalogIsPagedAndARefusalIsSaidPlainly() throws Exception {
        HttpServer paged = stub(200);
        try {
            assertThat(ok("catalog", "127.0.0.1:" + paged.getAddress().getPort()).out().lines()).containsExactly("a", "b/c");
        } finally {
            paged.stop(0);
        }
        for (int status : new int[] {404, 401}) {
            HttpServer refusing = stub(status);
            try {
                String host = "127.0.0.1:" + refusing.getAddress().getPort();
                MirrorCommandTest.Run r = MirrorCommandTest.run("catalog", host);
                assertThat(r.code()).as(r.err()).isEqualTo(status == 404 ? ExitCodes.NOT_FOUND : ExitCodes.AUTH);
                assertThat(r.err().lines().toList()).hasSize(1);
                assertThat(r.err()).contains(host + " does not offer a repository listing").contains("answered " + status)
                        .contains("modelreg tags " + host + "/REPOSITORY");
            } finally {
                refusing.stop(0);
            }
        }
        assertThat(MirrorCommandTest.run("catalog", "ghcr.io/org/repo").code()).isEqualTo(ExitCodes.USAGE);
    }
}
