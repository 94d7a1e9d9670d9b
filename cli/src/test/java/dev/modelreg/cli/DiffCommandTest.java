package dev.modelreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code modelreg diff A B} in process: text and --json, and a ref that is not there. */
class DiffCommandTest {
    @TempDir Path tmp;

    Ran run(String... args) {
        return Ran.of(Map.of("MODELREG_CACHE", tmp.resolve("cache").toString(), "HOME", tmp.resolve("home").toString()), args);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.sorted().toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(q);
                else if (!p.toString().contains("/.registry/")) Files.copy(p, q);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void diffOfTwoPushesShowsWhatChangedAndWhatAPullMoves() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        copyTree(ExternalCommandTest.examples(), a);
        copyTree(ExternalCommandTest.examples(), b);
        Files.writeString(b.resolve("ex-gwf-bcf2ss/gwf.wel"), "changed\n");
        Files.delete(b.resolve("ex-gwf-bcf2ss/gwf.oc"));
        String layout = "oci-layout:" + tmp.resolve("layout");
        assertThat(run("push", a.toString(), layout + ":a", "--name", "example").code()).isZero();
        assertThat(run("push", b.toString(), layout + ":b", "--name", "example").code()).isZero();

        Ran text = run("diff", layout + ":a", layout + ":b");
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains("models changed: 1\n  ~ example/ex-gwf-bcf2ss\n")
                .contains("files: 0 added, 1 removed, 1 changed\n")
                .contains("  - ex-gwf-bcf2ss/gwf.oc (")
                .contains("  ~ ex-gwf-bcf2ss/gwf.wel (")
                .contains("a pull of B with A cached moves ");

        Ran json = run("diff", "--json", layout + ":a", layout + ":b");
        assertThat(json.code()).as(json.err()).isZero();
        Map<String, Object> j = Json.parseObject(json.out().getBytes(StandardCharsets.UTF_8), "out");
        assertThat(j.get("fileCounts")).isEqualTo(Map.of("added", 0L, "removed", 1L, "changed", 1L));
        Map<String, Object> t = (Map<String, Object>) j.get("pullOfBGivenA");
        assertThat(t.get("layers")).isEqualTo(1L);
        assertThat((Long) t.get("bytes")).isPositive();
        List<Map<String, Object>> files = (List<Map<String, Object>>) j.get("files");
        assertThat(files.get(1)).containsEntry("key", "ex-gwf-bcf2ss/gwf.wel").containsEntry("sizeB", 8L);

        Ran missing = run("diff", layout + ":a", layout + ":nope");
        assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.errLines()).hasSize(1);
    }
}
