package dev.modelreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pull --link} / {@code copy --link} on the command line, in process: the README's {@code --link} line run as
 * written (in a directory laid out as the repository root after {@code ./scripts/demo}, {@code /tmp/} mapped to the
 * test's temp directory), and {@code --link} with {@code --no-cache}, a usage error in one line that writes nothing.
 */
class LinkCommandTest {
    @TempDir Path tmp;

    Ran run(Path workDir, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> env = Map.of("HOME", tmp.resolve("home").toString(), "XDG_CACHE_HOME",
                tmp.resolve("xdg-cache").toString(), "XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString());
        int code = Cli.run(args, new PrintWriter(out, true), new PrintWriter(err, true), Context.of(env, workDir));
        return new Ran(code, out.toString(), err.toString());
    }

    /** The one line of the README's "Consuming models" section that runs {@code ./modelreg ... --link}. */
    static String readmeLine() throws IOException {
        Path readme = ExternalCommandTest.examples().getParent().getParent().resolve("README.md");
        String text = Files.readString(readme);
        String section = text.substring(text.indexOf("\n## Consuming models\n"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        List<String> lines = section.lines().filter(l -> l.startsWith("./modelreg ") && l.contains(" --link")).toList();
        assertThat(lines).as("the README's --link command").hasSize(1);
        return lines.get(0);
    }

    @Test
    void theReadmeLinkedPullRunsAsWrittenAndLinksReadOnlyFiles() throws IOException {
        Path work = tmp.resolve("work");
        Path layout = work.resolve(".modelreg-demo/layout");
        Ran push = run(work, "push", ExternalCommandTest.examples().toString(), "oci-layout:" + layout + ":demo",
                "--name", "example", "--ref", "demo");
        assertThat(push.code()).as(push.err()).isZero();

        List<String> args = new ArrayList<>();
        for (String w : Shell.tokens(readmeLine())) {
            if (w.startsWith("#")) break;
            if (w.equals("./modelreg")) continue;
            if (w.startsWith("/tmp/")) w = tmp + w.substring(4);
            if (w.startsWith("oci-layout:") && !w.startsWith("oci-layout:/")) w = "oci-layout:" + work + "/" + w.substring(11);
            args.add(w);
        }
        assertThat(args).contains("--link");
        Ran pull = run(work, args.toArray(String[]::new));
        assertThat(pull.code()).as(pull.err()).isZero();
        Path dir = Path.of(args.get(args.indexOf("--link") - 1));
        assertThat(dir).startsWith(tmp);
        // the big file travels in a layer of its own: linked; small files are written out of their tar layer
        List<Path> linked = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                if ((Integer) Files.getAttribute(p, "unix:nlink") > 1) linked.add(p);
            }
        }
        assertThat(linked).contains(dir.resolve("ex-gwf-synthetic-k/data/k.bin"));
        for (Path p : linked) assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("r--r--r--");

        // the cache says how much of it the workspaces link to
        Ran ls = run(work, "cache", "ls");
        assertThat(ls.code()).as(ls.err()).isZero();
        assertThat(ls.out()).contains(" also linked from workspaces");
    }

    @Test
    void linkWithNoCacheIsAUsageErrorInOneLine() {
        for (String cmd : List.of("pull", "copy")) {
            Path dir = tmp.resolve("out-" + cmd);
            Ran r = run(tmp, cmd, "--link", "--no-cache", cmd.equals("pull") ? "oci-layout:" + tmp.resolve("none") + ":v1"
                    : "example/ex-gwf-twri01", dir.toString());
            assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.errLines()).containsExactly("modelreg: error: --link and --no-cache cannot be combined: a link is"
                    + " to the cache, and --no-cache keeps nothing there");
            assertThat(r.out()).isEmpty();
            assertThat(dir).doesNotExist();
        }
    }
}
