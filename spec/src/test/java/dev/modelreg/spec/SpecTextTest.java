package dev.modelreg.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * spec/README.md is normative about the wire, the cache and workspaces, for any implementation: it says what an
 * operation does, never which command-line option asks for it or which library does it (the README maps the CLI to
 * the spec's sections). A flag or a library name that creeps in fails here, with its line.
 */
class SpecTextTest {
    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])--[a-z][a-z-]+");
    private static final Pattern LIBRARY = Pattern.compile("(?i)\\b(jib|picocli|jackson|tomlj|commons-compress|zstd-jni|oras-java)\\b");

    @Test
    void theSpecNamesNoCommandLineOptionAndNoLibrary() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        assertThat(lines).as("spec/README.md").hasSizeGreaterThan(500);
        for (int i = 0; i < lines.size(); i++) {
            Matcher f = FLAG.matcher(lines.get(i));
            assertThat(f.find()).as("spec/README.md:%d names the option %s: say the operation instead\n%s", i + 1,
                    f.find(0) ? f.group() : "", lines.get(i)).isFalse();
            Matcher l = LIBRARY.matcher(lines.get(i));
            assertThat(l.find()).as("spec/README.md:%d names a library: say the format instead\n%s", i + 1, lines.get(i))
                    .isFalse();
        }
    }
}
