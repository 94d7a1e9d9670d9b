package dev.modelreg.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One lookup order for every per-user path: MODELREG_*, then XDG (absolute only), then $HOME, then user.home. */
class UserDirsTest {
    private static final Path ACCOUNT = Path.of(System.getProperty("user.home"));

    @Test
    void theCacheFollowsModelregCacheThenXdgThenHomeThenTheAccount() {
        assertThat(UserDirs.cache(Map.of("MODELREG_CACHE", "/c", "XDG_CACHE_HOME", "/x", "HOME", "/h"))).isEqualTo(Path.of("/c"));
        assertThat(UserDirs.cache(Map.of("MODELREG_CACHE", "rel"))).isEqualTo(Path.of("rel").toAbsolutePath());
        assertThat(UserDirs.cache(Map.of("XDG_CACHE_HOME", "/x", "HOME", "/h"))).isEqualTo(Path.of("/x/modelreg"));
        // $HOME wins over the password database's home (containers, CI runners, sudo -u)
        assertThat(UserDirs.cache(Map.of("HOME", "/h"))).isEqualTo(Path.of("/h/.cache/modelreg"));
        assertThat(UserDirs.cache(Map.of("MODELREG_CACHE", " ", "XDG_CACHE_HOME", "", "HOME", "/h")))
                .isEqualTo(Path.of("/h/.cache/modelreg"));
        // a relative XDG variable is ignored (XDG base directory specification)
        assertThat(UserDirs.cache(Map.of("XDG_CACHE_HOME", "rel", "HOME", "/h"))).isEqualTo(Path.of("/h/.cache/modelreg"));
        assertThat(UserDirs.cache(Map.of())).isEqualTo(ACCOUNT.resolve(".cache/modelreg"));
    }

    @Test
    void theConfigOverlayFollowsXdgThenHomeThenTheAccount() {
        assertThat(UserDirs.configHome(Map.of("XDG_CONFIG_HOME", "/x", "HOME", "/h"))).isEqualTo(Path.of("/x"));
        assertThat(UserDirs.configHome(Map.of("XDG_CONFIG_HOME", "rel", "HOME", "/h"))).isEqualTo(Path.of("/h/.config"));
        assertThat(UserDirs.configHome(Map.of())).isEqualTo(ACCOUNT.resolve(".config"));
        assertThat(BootstrapConfig.userOverlayPath(Map.of("HOME", "/h"), "Linux")).isEqualTo(Path.of("/h/.config/modelreg/models.toml"));
        assertThat(UserDirs.home(Map.of("HOME", "/h"))).isEqualTo(Path.of("/h"));
        assertThat(UserDirs.home(Map.of("HOME", ""))).isEqualTo(ACCOUNT);
    }
}
