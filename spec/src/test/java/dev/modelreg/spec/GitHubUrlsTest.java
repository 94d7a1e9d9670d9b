package dev.modelreg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GitHubUrlsTest {
    static final GitHubUrls.Repo REPO = GitHubUrls.Repo.parse("MODFLOW-ORG/modflow6-testmodels");

    @Test
    void urlShapesOnTheDefaultHosts() {
        GitHubUrls gh = GitHubUrls.defaults();
        assertThat(gh.rawFile(REPO, "develop", ".registry/models.toml"))
                .isEqualTo("https://raw.githubusercontent.com/MODFLOW-ORG/modflow6-testmodels/develop/.registry/models.toml");
        assertThat(gh.releaseAsset(REPO, "v1.0", "models.toml"))
                .isEqualTo("https://github.com/MODFLOW-ORG/modflow6-testmodels/releases/download/v1.0/models.toml");
        assertThat(gh.zipball(REPO, "develop")).isEqualTo("https://api.github.com/repos/MODFLOW-ORG/modflow6-testmodels/zipball/develop");
    }

    @Test
    void refsAndKeysArePercentEncodedPerSegment() {
        GitHubUrls gh = GitHubUrls.defaults();
        assertThat(gh.rawFile(REPO, "feature/x", "my model/run 1.dis"))
                .endsWith("/feature/x/my%20model/run%201.dis");
        assertThat(GitHubUrls.encodePath("ü#?%")).isEqualTo("%C3%BC%23%3F%25");
        assertThat(java.net.URI.create(gh.rawFile(REPO, "v1", "a b/ü.nam"))).isNotNull();
    }

    @Test
    void basesFromTheEnvironmentAndRebasing() {
        GitHubUrls gh = GitHubUrls.fromEnvironment(Map.of("MODELREG_GITHUB_RAW_URL", "http://127.0.0.1:9/",
                "MODELREG_GITHUB_URL", " "));
        assertThat(gh.rawUrl()).isEqualTo("http://127.0.0.1:9");
        assertThat(gh.webUrl()).isEqualTo(GitHubUrls.DEFAULT_WEB);
        assertThat(gh.rebase("https://raw.githubusercontent.com/o/r/main/a.txt")).isEqualTo("http://127.0.0.1:9/o/r/main/a.txt");
        assertThat(gh.rebase("https://example.org/x")).isEqualTo("https://example.org/x");
        assertThatThrownBy(() -> GitHubUrls.fromEnvironment(Map.of("MODELREG_GITHUB_API_URL", "not a url")))
                .hasMessageStartingWith("MODELREG_GITHUB_API_URL: invalid URL 'not a url'");
        assertThatThrownBy(() -> GitHubUrls.Repo.parse("just-a-name")).hasMessageContaining("want OWNER/NAME");
    }
}
