package dev.modelreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/** The help a user reads: every command and argument described, examples for each, the exit codes, help COMMAND. */
class HelpContractTest {
    private static CommandLine cli() {
        return Cli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    private static List<CommandSpec> commands() {
        List<CommandSpec> out = new ArrayList<>();
        for (CommandLine c : cli().getSubcommands().values()) {
            if (!c.getCommandName().equals("help")) out.add(c.getCommandSpec());
        }
        return out;
    }

    @Test
    void everyCommandOptionAndParameterIsDescribed() {
        List<String> missing = new ArrayList<>();
        for (CommandSpec c : commands()) {
            if (String.join("", c.usageMessage().description()).isBlank()) missing.add(c.name() + ": no description");
            for (ArgSpec a : c.args()) {
                String name = a.isOption() ? ((CommandLine.Model.OptionSpec) a).longestName() : a.paramLabel();
                if (String.join("", a.description()).isBlank()) missing.add(c.name() + " " + name);
            }
        }
        assertThat(missing).as("commands and arguments without a description").isEmpty();
    }

    @Test
    void everyCommandHasExamplesAndTheExitCodes() {
        for (CommandSpec c : commands()) {
            StringWriter w = new StringWriter();
            c.commandLine().usage(new PrintWriter(w));
            String help = w.toString();
            assertThat(help).as(c.name()).contains("Examples:").contains("Exit codes:").contains("not found");
            long examples = help.lines().filter(l -> l.startsWith("  modelreg " + c.name())
                    || l.startsWith("  source <(modelreg " + c.name())).count();
            assertThat(examples).as(c.name() + " examples\n" + help).isBetween(2L, 4L);
            // no line wider than a terminal of 100 columns
            assertThat(help.lines().filter(l -> l.length() > 100)).as(c.name()).isEmpty();
        }
    }

    @Test
    void helpCommandShowsACommandsExamples() {
        StringWriter out = new StringWriter();
        int code = Cli.run(new String[] {"help", "pull"}, new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertThat(code).isZero();
        assertThat(out.toString()).startsWith("Usage: modelreg pull").contains("Examples:").contains("Exit codes:");
    }

    @Test
    void topLevelHelpListsEveryCommandWithAWholeSentence() {
        StringWriter out = new StringWriter();
        assertThat(Cli.run(new String[] {"--help"}, new PrintWriter(out), new PrintWriter(new StringWriter()))).isZero();
        String help = out.toString();
        List<String> cut = new ArrayList<>();
        for (CommandSpec c : commands()) {
            String line = help.lines().filter(l -> l.startsWith("  " + c.name() + " ") || l.startsWith("  " + c.name() + ",")).findFirst().orElse("");
            assertThat(line).as(c.name()).isNotEmpty();
            if (!line.strip().endsWith(".")) cut.add(line); // one line, one whole sentence
        }
        help.lines().dropWhile(l -> !l.equals("Commands:")).takeWhile(l -> !l.isEmpty())
                .filter(l -> l.startsWith("                ")).forEach(cut::add); // a wrapped summary
        assertThat(cut).as("summaries cut or wrapped in the command list").isEmpty();
        assertThat(help).contains("Exit codes:").contains("130/143");
    }
}
