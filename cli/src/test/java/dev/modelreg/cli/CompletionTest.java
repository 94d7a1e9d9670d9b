package dev.modelreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code modelreg completion}: the script completes commands and options in a real bash, and registers itself in a
 * real zsh (scripts/test installs zsh; a missing shell fails the test).
 */
class CompletionTest {
    @TempDir Path tmp;

    private Path script(String shell) throws Exception {
        StringWriter out = new StringWriter();
        assertThat(Cli.run(new String[] {"completion", shell}, new PrintWriter(out), new PrintWriter(new StringWriter()))).isZero();
        return Files.writeString(tmp.resolve("modelreg." + shell), out.toString());
    }

    private static String shell(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(command.get(0) + " finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(command + ": " + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        return out;
    }

    private static String complete(String words, int cword) {
        return "COMP_WORDS=(" + words + "); COMP_CWORD=" + cword + "; COMP_LINE='" + words + "'; COMP_POINT=${#COMP_LINE}; "
                + "_complete_modelreg 2>/dev/null; echo \"${COMPREPLY[*]}\"";
    }

    @Test
    void bashCompletesCommandsAndOptions() throws Exception {
        Path s = script("bash");
        String out = shell(List.of("/bin/bash", "-c", "source " + s + "; " + complete("modelreg pu", 1) + "; "
                + complete("modelreg pull --of", 2) + "; " + complete("modelreg completion ", 2) + "; complete -p modelreg"));
        List<String> lines = out.lines().toList();
        assertThat(lines.get(0).split(" ")).containsExactlyInAnyOrder("push", "pull");
        assertThat(lines.get(1)).isEqualTo("--offline");
        assertThat(lines.get(2).split(" ")).contains("bash", "zsh");
        assertThat(lines.get(3)).contains("-F _complete_modelreg");
    }

    @Test
    void zshLoadsTheScriptThroughBashcompinit() throws Exception {
        assertThat(Path.of("/usr/bin/zsh")).as("zsh (scripts/test installs it)").isExecutable();
        Path s = script("zsh");
        String out = shell(List.of("/usr/bin/zsh", "-f", "-c", "autoload -U +X compinit && compinit -u -d " + tmp.resolve("zcompdump")
                + "; source " + s + "; print -r -- \"${_comps[modelreg]}\"; " + complete("modelreg pu", 1)));
        List<String> lines = out.lines().toList();
        assertThat(lines.get(0)).contains("_complete_modelreg");
        assertThat(lines.get(1).split(" ")).contains("push", "pull", "mirror");
    }
}
