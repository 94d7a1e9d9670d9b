package dev.modelreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-process, with a cache of the test's own: {@code clear} of a source's last ref leaves no empty
 * {@code sources/NAME/} behind (and keeps the directory while other refs are cached); {@code inspect} shows the
 * metadata key {@code license} under the name the metadata file gives it.
 */
class ClearAndInspectTest {
    @TempDir Path tmp;

    Ran run(String... args) {
        Ran r = Ran.of(Map.of("MODELREG_CACHE", tmp.resolve("cache").toString(), "HOME", tmp.resolve("home").toString()), args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        return r;
    }

    private String layoutWithTwoTags() throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models/m"));
        Files.writeString(models.resolve("mfsim.nam"), "BEGIN options\nEND options\n");
        Path metadata = Files.writeString(tmp.resolve("metadata.toml"), "title = \"T\"\nlicense = \"CC0-1.0\"\n");
        String layout = "oci-layout:" + tmp.resolve("layout");
        run("push", tmp.resolve("models").toString(), layout + ":a", "--name", "ex", "--metadata", metadata.toString());
        run("push", tmp.resolve("models").toString(), layout + ":b", "--name", "ex");
        return layout;
    }

    @Test
    void clearingTheLastRefOfASourceRemovesItsDirectory() throws Exception {
        String layout = layoutWithTwoTags();
        Path config = Files.writeString(tmp.resolve("sources.toml"),
                "[sources.ex]\nname = \"ex\"\noci = \"" + layout + "\"\nrefs = [\"a\", \"b\"]\n");
        run("sync", "--config", config.toString());
        Path source = tmp.resolve("cache/sources/ex");
        assertThat(source).isDirectory();
        run("clear", "--config", config.toString(), "--source", "ex", "--ref", "a", "--force");
        assertThat(source).as("ref b is still cached").isDirectory();
        assertThat(run("clear", "--config", config.toString(), "--source", "ex", "--ref", "b", "--force").out()).contains("Cleared: ex@b");
        assertThat(source).doesNotExist();
        assertThat(tmp.resolve("cache/sources")).isDirectory();
    }

    @Test
    void inspectShowsTheLicenseUnderItsOwnKey() throws Exception {
        String layout = layoutWithTwoTags();
        String text = run("inspect", layout + ":a").out();
        assertThat(text).contains("\n  license: CC0-1.0\n").doesNotContain("licenses:");
        assertThat(run("inspect", layout + ":a", "--json").out()).contains("\"license\":\"CC0-1.0\"");
    }
}
