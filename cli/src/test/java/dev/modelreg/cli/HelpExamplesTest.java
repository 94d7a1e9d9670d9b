package dev.modelreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Help that can be pasted: every {@code --help}, rendered at 80 columns, has no line wider than that, and each example
 * is a whole shell command (a long one continued after a {@code \}) whose modelreg arguments parse on the same
 * command line {@link Main} builds, naming the command whose help shows it. Prose is wrapped at the width it is
 * given ({@code $COLUMNS}), never cut inside a word, and every description element is a whole sentence.
 */
class HelpExamplesTest {
    static final int WIDTH = 80;

    private static CommandLine cli(int width) {
        CommandLine cl = Cli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        Help.install(cl, width);
        return cl;
    }

    /** The root and every command below it (a command's own subcommands too, as {@code cache ls}), aliases once. */
    private static List<CommandLine> commands(CommandLine root) {
        List<CommandLine> out = new ArrayList<>(List.of(root));
        root.getSubcommands().forEach((name, c) -> {
            if (name.equals(c.getCommandName()) && !name.equals("help")) out.addAll(commands(c));
        });
        return out;
    }

    /** The qualified name of the command a parse ran ({@code modelreg cache ls}). */
    private static String ran(ParseResult p) {
        ParseResult r = p;
        while (r.subcommand() != null) r = r.subcommand();
        return r.commandSpec().qualifiedName();
    }

    private static String help(CommandLine c) {
        StringWriter w = new StringWriter();
        c.usage(new PrintWriter(w));
        return w.toString();
    }

    /** The examples of a help text: the lines after "Examples:" up to the first blank line, continuations joined. */
    static List<String> examples(String help) {
        List<String> lines = help.lines().dropWhile(l -> !l.equals("Examples:")).skip(1).takeWhile(l -> !l.isBlank()).toList();
        List<String> out = new ArrayList<>();
        StringBuilder cmd = null;
        for (String l : lines) {
            if (cmd != null) {
                assertThat(l).as("a continuation line is indented further: " + l).startsWith("      ");
                cmd.append(' ').append(l.strip());
            } else {
                assertThat(l).as("an example starts a command at two spaces: '" + l + "'").startsWith("  ").doesNotStartWith("   ");
                cmd = new StringBuilder(l.strip());
            }
            if (cmd.toString().endsWith(" \\")) {
                cmd.setLength(cmd.length() - 2);
            } else {
                out.add(cmd.toString());
                cmd = null;
            }
        }
        assertThat(cmd).as("the last example ends with a continuation").isNull();
        return out;
    }

    @Test
    void everyExampleIsAWholeCommandThatParsesAtEightyColumns() {
        CommandLine root = cli(WIDTH);
        int checked = 0;
        for (CommandLine c : commands(root)) {
            String help = help(c);
            String name = c.getCommandSpec().qualifiedName();
            assertThat(help.lines().filter(l -> l.length() > WIDTH)).as(name + " lines over " + WIDTH + " columns\n" + help).isEmpty();
            List<String> examples = examples(help);
            assertThat(examples).as(name + " examples").isNotEmpty();
            for (String example : examples) {
                List<List<String>> runs = Shell.invocations(example, "modelreg");
                assertThat(runs).as(name + ": '" + example + "' runs modelreg").isNotEmpty();
                for (List<String> args : runs) {
                    String[] a = args.toArray(String[]::new);
                    ParseResult all = parses(cli(WIDTH), a, example);
                    ParseResult lazy = parses(Cli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), a), a, example);
                    if (c != root) {
                        // a command's example runs it or one of its own subcommands (cache: cache ls)
                        for (String ran : List.of(ran(all), ran(lazy))) {
                            assertThat(ran.equals(name) || ran.startsWith(name + " ")).as(name + ": '" + example + "' runs " + ran).isTrue();
                        }
                    }
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(40);
    }

    private static ParseResult parses(CommandLine cl, String[] args, String example) {
        try {
            return cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new AssertionError("'" + example + "' does not parse: " + e.getMessage(), e);
        }
    }

    @Test
    void examplesAreNeverWrappedWhileProseFollowsTheWidth() {
        for (int width : new int[] {Help.MIN_WIDTH, 100, 140}) {
            for (CommandLine c : commands(cli(width))) {
                String help = help(c);
                for (String line : help.lines().toList()) {
                    boolean example = examples(help).stream().anyMatch(e -> e.contains(line.strip().replace(" \\", "")));
                    if (!example) assertThat(line.length()).as(c.getCommandSpec().qualifiedName() + " at " + width + ": " + line).isLessThanOrEqualTo(width);
                }
                // the examples are the same lines at every width
                assertThat(examples(help)).isEqualTo(examples(help(find(cli(WIDTH), c.getCommandSpec().qualifiedName()))));
            }
        }
        assertThat(Help.width(Map.of("COLUMNS", "100"))).isEqualTo(100);
        assertThat(Help.width(Map.of("COLUMNS", "20"))).isEqualTo(Help.MIN_WIDTH);
        assertThat(Help.width(Map.of("COLUMNS", "wide"))).isZero();
        assertThat(Help.width(Map.of())).isZero(); // the terminal's width, asked when help is printed
        assertThat(Help.wrap("a bb ccc dddd", 6)).containsExactly("a bb", "ccc", "dddd");
    }

    /**
     * The prose of every command (its description and examples) is in CommandHelp.properties and only there, and every
     * key there names a command (and an option of it) that exists: picocli ignores a key it does not ask for, so a
     * misspelt or stale one would leave a command's help silently empty or old.
     */
    @Test
    void everyCommandsProseIsInTheBundleAndEveryKeyIsUsed() {
        ResourceBundle bundle = Cli.helpProse();
        Set<String> unused = new TreeSet<>(bundle.keySet());
        for (CommandLine c : commands(cli(WIDTH))) {
            CommandSpec s = c.getCommandSpec();
            String q = s.qualifiedName(".");
            for (String part : List.of("description", "footer")) {
                String key = q + ".usage." + part + ".";
                assertThat(bundle.containsKey(key + "0")).as(key + "0 in CommandHelp.properties").isTrue();
                for (int i = 0; bundle.containsKey(key + i); i++) unused.remove(key + i);
            }
            Command inline = c.getCommand().getClass().getAnnotation(Command.class);
            assertThat(inline.description()).as(q + ": description in the annotation too").isEmpty();
            assertThat(inline.footer()).as(q + ": footer in the annotation too").isEmpty();
            for (OptionSpec o : s.options()) unused.remove(q + "." + o.longestName().replaceFirst("^-+", ""));
            for (ArgSpec p : s.positionalParameters()) { // a shared positional (ModelWorkspaceArgs) says its key
                if (p.descriptionKey() == null || p.descriptionKey().isEmpty()) continue;
                String key = q + "." + p.descriptionKey();
                assertThat(bundle.containsKey(key)).as(key + " in CommandHelp.properties").isTrue();
                unused.remove(key);
            }
        }
        assertThat(unused).as("keys of CommandHelp.properties that no command reads").isEmpty();
    }

    /**
     * A run builds only the command it names and loads the help prose only when it may print help (start-up): the help
     * it prints then, however it is asked for ({@code --help}, {@code -h}, in a cluster {@code -vh}, {@code help
     * COMMAND}), is the whole help, the same as the command line with every command prints.
     */
    @Test
    void helpOfARunIsWholeAndOnlyAHelpRunLoadsTheProse(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Context context = Context.of(Map.of("COLUMNS", "" + WIDTH), dir);
        for (CommandLine c : commands(cli(WIDTH))) {
            String[] words = c.getCommandSpec().qualifiedName().split(" ");
            List<String> path = List.of(words).subList(1, words.length); // without "modelreg"
            List<List<String>> asks = new ArrayList<>();
            for (String h : List.of("--help", "-h", "-vh")) {
                List<String> a = new ArrayList<>(path);
                a.add(h);
                asks.add(a);
            }
            if (path.size() == 1) asks.add(List.of("help", path.get(0))); // (help takes one command: help cache ls shows cache)
            for (List<String> a : asks) {
                StringWriter out = new StringWriter();
                int code = Cli.run(a.toArray(String[]::new), new PrintWriter(out), new PrintWriter(new StringWriter()), context);
                assertThat(code).as(String.join(" ", a)).isZero();
                assertThat(out.toString()).as(String.join(" ", a)).isEqualTo(help(c));
            }
        }
        PrintWriter none = new PrintWriter(new StringWriter());
        for (String[] run : new String[][] {{"list"}, {"--version"}, {"-v", "pull", "REF", "DIR", "--model", "x"}}) {
            assertThat(Cli.commandLine(none, none, run).getCommandSpec().resourceBundle()).as(String.join(" ", run)).isNull();
        }
        assertThat(Cli.commandLine(none, none, new String[] {"list", "-qh"}).getSubcommands().get("list").getCommandSpec().resourceBundle()).isNotNull();
    }

    private static CommandLine find(CommandLine root, String qualifiedName) {
        for (CommandLine c : commands(root)) if (c.getCommandSpec().qualifiedName().equals(qualifiedName)) return c;
        throw new AssertionError(qualifiedName);
    }

    @Test
    void everyDescriptionElementIsAWholeSentence() {
        List<String> cut = new ArrayList<>();
        for (CommandLine c : commands(cli(WIDTH))) {
            CommandSpec s = c.getCommandSpec();
            for (String d : s.usageMessage().description()) if (!whole(d)) cut.add(s.qualifiedName() + ": " + d);
            for (ArgSpec a : s.args()) {
                for (String d : a.description()) if (!whole(d)) cut.add(s.qualifiedName() + " " + a.paramLabel() + ": " + d);
            }
        }
        assertThat(cut).as("description lines that break a sentence (one array element per paragraph)").isEmpty();
    }

    private static boolean whole(String d) {
        String t = d.strip();
        return t.isEmpty() || t.endsWith(".") || t.endsWith(".)") || t.endsWith(":") || t.endsWith("?");
    }

    @Test
    void theNamesOfTheLazyTableAreTheCommandsOwn() {
        CommandLine root = cli(WIDTH);
        Cli.commands().forEach((name, type) -> {
            CommandLine c = root.getSubcommands().get(name);
            assertThat(c).as(name).isNotNull();
            assertThat(c.getCommand().getClass()).as(name).isEqualTo(type);
        });
        assertThat(Cli.commands().keySet()).containsAll(root.getSubcommands().keySet());
        // each run builds the command it names only; help, completion and unknown words build them all
        assertThat(Cli.named(new String[] {"-v", "info", "--json"})).containsExactly(InfoCommand.class);
        assertThat(Cli.named(new String[] {"cp", "a", "b"})).containsExactly(CopyCommand.class);
        assertThat(Cli.named(new String[] {"--version"})).isEmpty();
        assertThat(Cli.named(new String[] {"help", "pull"})).containsExactly(PullCommand.class, CommandLine.HelpCommand.class);
        for (String[] all : new String[][] {{}, {"--help"}, {"help"}, {"completion", "bash"}, {"nosuch"}, {"--json"}, {"-v"}}) {
            assertThat(Cli.named(all)).as(String.join(" ", all)).isNull();
        }
    }
}
