package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.Digest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The small pure pieces: model directories, path safety, closest names, escaping, settings. */
class PartsTest {
    static final String D = "sha256:" + "ab".repeat(32);

    @Test
    void leftoversOfAKilledRunAreHealedBeforeAWorkspaceIsBuilt(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        // PID 999999999 is above any pid_max: that run is gone. Its swap stopped after moving the old workspace aside.
        java.nio.file.Files.createDirectories(tmp.resolve(".ws.old-999999999-1"));
        java.nio.file.Files.writeString(tmp.resolve(".ws.old-999999999-1/kept.txt"), "the previous workspace");
        java.nio.file.Files.createDirectories(tmp.resolve(".ws.staging-999999999-2/half"));
        String live = ".ws.staging-" + ProcessHandle.current().pid() + "-3";
        java.nio.file.Files.createDirectories(tmp.resolve(live));
        Workspace.healLeftovers(tmp.resolve("ws"));
        assertThat(tmp.resolve("ws/kept.txt")).hasContent("the previous workspace");
        try (var s = java.nio.file.Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("ws", live);
        }
        // with a workspace in place, an old copy left aside is dropped, not restored over it
        java.nio.file.Files.createDirectories(tmp.resolve(".ws.old-999999999-4"));
        Workspace.healLeftovers(tmp.resolve("ws"));
        assertThat(tmp.resolve(".ws.old-999999999-4")).doesNotExist();
        assertThat(tmp.resolve("ws/kept.txt")).exists();
    }

    @Test
    void modelDirectoryIsTheDeepestCommonDirectory() {
        assertThat(WorkspacePaths.commonDir(List.of("a/mfsim.nam", "a/gwf/x", "a/gwf/deep/y"))).isEqualTo("a/");
        assertThat(WorkspacePaths.commonDir(List.of("a/b/x", "a/b/y"))).isEqualTo("a/b/");
        assertThat(WorkspacePaths.commonDir(List.of("a/bc/x", "a/b/y"))).isEqualTo("a/");
        assertThat(WorkspacePaths.commonDir(List.of("x", "a/y"))).isEmpty();
        assertThat(WorkspacePaths.commonDir(List.of("a/only"))).isEqualTo("a/");
    }

    @Test
    void refusesPathsThatLeaveTheDirectory() throws java.io.IOException {
        for (String bad : List.of("../x", "a/../../x", "/etc/passwd", "a//b", "a\\b", "C:/x", "./a", "")) {
            assertThatThrownBy(() -> WorkspacePaths.safeRelative(bad, "src@ref")).as(bad).hasMessageContaining("unsafe path");
        }
        assertThat(WorkspacePaths.safeRelative("a/b.c/d", "s")).isEqualTo("a/b.c/d");
    }

    @Test
    void closestNamesComeFirst() {
        Set<String> names = Set.of("mf6/test/test001a", "mf6/test/test001b", "mf6/test/zzz", "other/thing");
        assertThat(ModelLookup.closest(names, "mf6/test/test001")).startsWith("; closest: mf6/test/test001a, mf6/test/test001b");
        assertThat(ModelLookup.closest(Set.of(), "x")).isEqualTo(" (it has no models)");
    }

    @Test
    void escapesSourceAndRefNamesReversiblyAndSafely() {
        assertThat(Cache.escape("develop")).isEqualTo("develop");
        assertThat(Cache.escape("feature/x")).isEqualTo("feature_2fx");
        assertThat(Cache.escape(D)).isEqualTo("sha256_3a" + "ab".repeat(32));
        assertThat(Cache.escape("..")).isEqualTo("_2e.");
        assertThat(Cache.escape("a_b")).isNotEqualTo(Cache.escape("a/b"));
    }

    @Test
    void settingsFromTheEnvironment() {
        Settings s = Settings.from(Map.of("XDG_CACHE_HOME", "/x/cache", "MODELREG_GITHUB_RAW_URL", "http://127.0.0.1:9/",
                "MODELREG_OFFLINE", "1"));
        assertThat(s.cacheRoot()).isEqualTo(Path.of("/x/cache/modelreg"));
        assertThat(s.offline()).isTrue();
        assertThat(s.github().rebase("https://raw.githubusercontent.com/o/r/main/a.txt")).isEqualTo("http://127.0.0.1:9/o/r/main/a.txt");
        assertThat(s.github().rebase("https://github.com/o/r/releases/download/v1/m.zip")).isEqualTo("https://github.com/o/r/releases/download/v1/m.zip");
        assertThat(s.github().rebase("https://example.org/x")).isEqualTo("https://example.org/x");
        assertThat(Settings.from(Map.of("MODELREG_CACHE", "/c", "XDG_CACHE_HOME", "/x")).cacheRoot()).isEqualTo(Path.of("/c"));
        // the environment's HOME, not the account's home from the password database (containers, CI, sudo -u)
        assertThat(Settings.from(Map.of("HOME", "/h")).cacheRoot()).isEqualTo(Path.of("/h/.cache/modelreg"));
        assertThatThrownBy(() -> Settings.from(Map.of("MODELREG_CONCURRENCY", "0"))).hasMessageContaining("MODELREG_CONCURRENCY");
    }

    @Test
    void refStateRoundTrips() throws java.io.IOException {
        RefState st = new RefState("k", "mf6/test", "feature/x", RefState.OCI, Digest.parse(D), Digest.parse(D), "feature_2fx",
                "ghcr.io/o/r", "2026-01-01T00:00:00Z", Map.of("https://x/m.zip", D));
        byte[] json = dev.modelreg.spec.Json.writeBytes(st.toJson());
        assertThat(RefState.fromJson(json, "state.json")).isEqualTo(st);
        assertThatThrownBy(() -> RefState.fromJson("{}".getBytes(), "s.json")).hasMessageContaining("s.json");
        assertThat(st.servedBy()).isNull();
        assertThat(st.toJson()).doesNotContainKey("served_by"); // a cache without mirrors reads as before
    }

    @Test
    void refStateServedByRoundTrips() throws java.io.IOException {
        RefState st = new RefState("k", "n", "v1", RefState.OCI, Digest.parse(D), Digest.parse(D), "v1",
                "ghcr.io/o/r", "2026-01-01T00:00:00Z", Map.of(), "registry.internal/mirror/o/r");
        byte[] json = dev.modelreg.spec.Json.writeBytes(st.toJson());
        assertThat(new String(json, java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"served_by\":\"registry.internal/mirror/o/r\"");
        assertThat(RefState.fromJson(json, "state.json")).isEqualTo(st);
    }
}
