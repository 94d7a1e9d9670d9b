package dev.modelreg.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitHubFixtureTest {
    @TempDir Path tmp;
    private GitHubFixture gh;
    private final HttpClient follow = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final HttpClient noFollow = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() {
        gh = GitHubFixture.start(tmp.resolve("gh"));
    }

    @AfterEach
    void stop() {
        gh.close();
    }

    @Test
    void servesRawFilesLiveIncludingRefsWithSlashes() throws Exception {
        gh.putRaw("MODFLOW-ORG", "modflow6-testmodels", "develop", ".registry/models.toml", "[files]\n".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = follow.send(get(gh.rawUrl("MODFLOW-ORG", "modflow6-testmodels", "develop", ".registry/models.toml")),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("[files]\n");

        String missingUrl = gh.rawUrl("o", "r", "feature/x", "a/b.txt");
        HttpResponse<String> missing = follow.send(get(missingUrl), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("404: Not Found");

        gh.putRaw("o", "r", "feature/x", "a/b.txt", new byte[] {0, 1, 2, (byte) 255}); // added while running
        HttpResponse<byte[]> now = follow.send(get(missingUrl), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(now.statusCode()).isEqualTo(200);
        assertThat(now.body()).containsExactly(0, 1, 2, 255);

        assertThat(gh.requests()).containsExactly(
                new Request("GET", "/MODFLOW-ORG/modflow6-testmodels/develop/.registry/models.toml", 200),
                new Request("GET", "/o/r/feature/x/a/b.txt", 404),
                new Request("GET", "/o/r/feature/x/a/b.txt", 200));
    }

    @Test
    void releaseDownloadsRedirectLikeGitHub() throws Exception {
        byte[] asset = "zip bytes".getBytes(StandardCharsets.UTF_8);
        gh.putRelease("o", "r", "v1.0", "models.zip", asset);
        String url = gh.releaseUrl("o", "r", "v1.0", "models.zip");

        HttpResponse<String> first = noFollow.send(get(url), HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(302);
        assertThat(first.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith(gh.baseUrl() + "/"));

        HttpResponse<byte[]> r = follow.send(get(url), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(asset);

        HttpResponse<String> missing = follow.send(get(gh.releaseUrl("o", "r", "v1.0", "nope.zip")), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("Not Found");
    }

    @Test
    void zipballHasOneTopFolderAndTheRawTree() throws Exception {
        gh.putRaw("o", "r", "v2", "mf6/a/mfsim.nam", "BEGIN\n".getBytes(StandardCharsets.UTF_8));
        gh.putRaw("o", "r", "v2", "mf6/a/sub/x.bin", new byte[] {9, 8, 7});
        gh.putRaw("o", "r", "v2", "README.md", "hi".getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> redirect = noFollow.send(get(gh.zipballUrl("o", "r", "v2")), HttpResponse.BodyHandlers.ofString());
        assertThat(redirect.statusCode()).isEqualTo(302);
        HttpResponse<byte[]> r = follow.send(get(gh.zipballUrl("o", "r", "v2")), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/zip");

        Map<String, String> entries = unzip(r.body());
        assertThat(entries.keySet()).containsExactly(
                "o-r-v2/", "o-r-v2/README.md", "o-r-v2/mf6/", "o-r-v2/mf6/a/", "o-r-v2/mf6/a/mfsim.nam", "o-r-v2/mf6/a/sub/", "o-r-v2/mf6/a/sub/x.bin");
        assertThat(entries.get("o-r-v2/mf6/a/mfsim.nam")).isEqualTo("BEGIN\n");

        HttpResponse<byte[]> again = follow.send(get(gh.zipballUrl("o", "r", "v2")), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(again.body()).as("zipballs are reproducible").isEqualTo(r.body());

        HttpResponse<String> missing = follow.send(get(gh.zipballUrl("o", "r", "nope")), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("\"message\":\"Not Found\"");
    }

    @Test
    void neverServesOutsideItsRootAndReportsEnv() throws Exception {
        java.nio.file.Files.writeString(tmp.resolve("secret.txt"), "secret");
        for (String path : List.of("/../secret.txt", "/o/r/x/..%2F..%2F..%2F..%2Fsecret.txt", "/o/r/%2e%2e/%2e%2e/%2e%2e/secret.txt")) {
            HttpResponse<String> r = follow.send(HttpRequest.newBuilder(URI.create(gh.baseUrl() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).doesNotContain("secret");
        }
        assertThat(gh.env()).containsOnlyKeys("MODELREG_GITHUB_URL", "MODELREG_GITHUB_RAW_URL", "MODELREG_GITHUB_API_URL")
                .allSatisfy((k, v) -> assertThat(v).isEqualTo(gh.baseUrl()));
        assertThat(gh.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+");
    }

    @Test
    void failNextInjectsServerErrorsThenRecovers() throws Exception {
        gh.putRaw("o", "r", "main", "f.txt", "ok".getBytes(StandardCharsets.UTF_8));
        gh.failNext(2, 503);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(follow.send(get(gh.rawUrl("o", "r", "main", "f.txt")), HttpResponse.BodyHandlers.ofString()).statusCode());
        }
        assertThat(statuses).containsExactly(503, 503, 200);
        gh.clearRequests();
        assertThat(gh.requests()).isEmpty();
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
    }

    private static Map<String, String> unzip(byte[] zip) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                out.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
            }
        }
        return out;
    }
}
