package dev.modelreg.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * The one factory for the command line: injected out/err writers, the exit codes of {@link ExitCodes} (from the kind
 * of each failure, see {@link Failure}), and one error path for every command: one line on stderr
 * ({@code modelreg: error: ...}, a stack trace only with {@code -v} before or after the command, or
 * {@code MODELREG_DEBUG=1}) and, with {@code --json}, one error document on stdout, whatever failed (an exception or an
 * Error). {@link Main} and the tests use it.
 * <p>
 * Start-up: picocli builds a command's model from its annotations by reflection, a few tens of milliseconds per
 * command on a cold JVM. {@link #commandLine(PrintWriter, PrintWriter, String[])} builds only the command a run names
 * (every one when it needs the list: no command, an unknown one, {@code --help}, {@code help}, {@code completion}),
 * and reads the help prose ({@link #HELP}, a few milliseconds) only when the run may print help.
 */
public final class Cli {
    private Cli() {}

    /** The subcommands in the order of the help, by every name a command line may use (aliases too). */
    private static final Map<String, Class<?>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("make-registry", MakeRegistryCommand.class);
        COMMANDS.put("push", PushCommand.class);
        COMMANDS.put("sync", SyncCommand.class);
        COMMANDS.put("info", InfoCommand.class);
        COMMANDS.put("list", ListCommand.class);
        COMMANDS.put("copy", CopyCommand.class);
        COMMANDS.put("cp", CopyCommand.class);
        COMMANDS.put("pull", PullCommand.class);
        COMMANDS.put("verify", VerifyCommand.class);
        COMMANDS.put("clear", ClearCommand.class);
        COMMANDS.put("cache", CacheCommand.class);
        COMMANDS.put("mirror", MirrorCommand.class);
        COMMANDS.put("tags", TagsCommand.class);
        COMMANDS.put("catalog", CatalogCommand.class);
        COMMANDS.put("tag", TagCommand.class);
        COMMANDS.put("annotate", AnnotateCommand.class);
        COMMANDS.put("inspect", InspectCommand.class);
        COMMANDS.put("diff", DiffCommand.class);
        COMMANDS.put("discover", DiscoverCommand.class);
        COMMANDS.put("attach", AttachCommand.class);
        COMMANDS.put("export", ExportCommand.class);
        COMMANDS.put("completion", CompletionCommand.class);
        COMMANDS.put("help", HelpCommand.class);
    }

    /**
     * The resource bundle of every command's help prose: descriptions and examples ({@code usage.description.N},
     * {@code usage.footer.N}) and the option descriptions that differ by command, each key prefixed with the command's
     * qualified name ({@code modelreg.cache.ls.usage.description.0}).
     */
    static final String HELP = "dev.modelreg.cli.CommandHelp";

    /** The root options that may come before the command ({@code modelreg -v info}). */
    private static final List<String> ROOT_OPTIONS = List.of("-v", "--verbose", "-h", "--help", "-V", "--version");

    /** Every command (the help, the completion script and the tests see them all), in the process's context. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return build(out, err, Context.ofProcess(), null, true);
    }

    /** The command line for {@code args} in the process's context. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, String[] args) {
        return commandLine(out, err, Context.ofProcess(), args);
    }

    /**
     * The command line for {@code args} (the command they name only, or every command when they need the list) run in
     * {@code context}: its environment, its working directory (every relative path option and parameter is resolved
     * against it), its streams. {@link Main} gives the process's; tests run the CLI in their own process with theirs.
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, Context context, String[] args) {
        List<Class<?>> only = named(args);
        return build(out, err, context, only, only == null || only.contains(HelpCommand.class) || helpOption(args));
    }

    /** Runs {@code args} in the process's context; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, Context.ofProcess());
    }

    /** Runs {@code args} in {@code context}; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Context context) {
        return commandLine(out, err, context, args).execute(args);
    }

    /**
     * What the command line prints goes through this: {@code out} in the platform's charset, with the control
     * characters of text from elsewhere escaped ({@link SafeWriter}); flushed at each line.
     */
    public static PrintWriter writer(java.io.OutputStream out) {
        return new PrintWriter(new SafeWriter(new java.io.OutputStreamWriter(out)), true);
    }

    /** The command class {@code args} name alone (with {@code help COMMAND}: that one), or null: build all. */
    static List<Class<?>> named(String[] args) {
        int i = 0;
        while (i < args.length && ROOT_OPTIONS.contains(args[i])) i++;
        if (i == args.length) {
            boolean versionOnly = List.of(args).contains("-V") || List.of(args).contains("--version");
            return versionOnly && !List.of(args).contains("-h") && !List.of(args).contains("--help") ? List.of() : null;
        }
        Class<?> c = COMMANDS.get(args[i]);
        if (c == null || c == CompletionCommand.class) return null;
        if (c != HelpCommand.class) return List.of(c);
        Class<?> topic = i + 1 < args.length ? COMMANDS.get(args[i + 1]) : null;
        return topic == null || topic == HelpCommand.class || i + 2 < args.length ? null : List.of(topic, HelpCommand.class);
    }

    /**
     * True if {@code args} may ask for a command's help with picocli's {@code -h}/{@code --help}, also in a cluster of
     * short options ({@code -qh}); a word that only looks like one (a value such as {@code -sha}) loads the prose in vain.
     */
    static boolean helpOption(String[] args) {
        for (String a : args) if (a.equals("--help") || !a.startsWith("--") && a.startsWith("-") && a.indexOf('h') > 0) return true;
        return false;
    }

    private static CommandLine build(PrintWriter out, PrintWriter err, Context context, List<Class<?>> only, boolean help) {
        CommandLine cl = new CommandLine(new RootCommand(context));
        for (Class<?> c : only != null ? only : COMMANDS.values().stream().distinct().toList()) {
            cl.addSubcommand(c == HelpCommand.class ? new HelpCommand() : instance(c));
        }
        // after the subcommands: these reach them all
        if (help) cl.setResourceBundle(helpProse());
        cl.registerConverter(Path.class, new PathConverter(context));
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        Help.install(cl, Help.width(context.env()));
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) ->
                report(commandLine, Failure.of(ex), ex, jsonRequested(parseResult), verbose(parseResult)));
        // picocli hands only Exceptions to the handler above; an Error (a StackOverflowError, an AssertionError, an
        // OutOfMemoryError) leaves execute() as it is: report it the same way, so --json still prints its document
        CommandLine.IExecutionStrategy run = cl.getExecutionStrategy();
        cl.setExecutionStrategy(parseResult -> {
            try {
                return run.execute(parseResult);
            } catch (Error e) {
                return report(ran(parseResult), Failure.of(e), e, jsonRequested(parseResult), verbose(parseResult));
            }
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            List<String> a = List.of(args);
            CommandLine c = ex.getCommandLine();
            Failure f = Failure.usage(Usage.message(ex));
            return report(c, f, ex, a.contains("--json"), a.contains("-v") || a.contains("--verbose"));
        });
        return cl;
    }

    /**
     * The {@link #HELP} bundle, read as it is (not through {@code ResourceBundle.getBundle}: no locale lookup, no
     * service loader; the help is in English only).
     */
    static java.util.ResourceBundle helpProse() {
        String file = HELP.substring(HELP.lastIndexOf('.') + 1) + ".properties";
        try (java.io.InputStream in = Cli.class.getResourceAsStream(file)) {
            if (in == null) throw new IllegalStateException("no " + file + " beside " + Cli.class.getName());
            return new java.util.PropertyResourceBundle(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Object instance(Class<?> c) {
        try {
            return c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create command " + c.getName(), e);
        }
    }

    /** A path on the command line: relative to the run's working directory ({@link Context#resolve}). */
    private static final class PathConverter implements CommandLine.ITypeConverter<Path> {
        private final Context context;

        PathConverter(Context context) {
            this.context = context;
        }

        @Override
        public Path convert(String value) {
            return context.resolve(Path.of(value));
        }
    }

    /** The names (and aliases) of {@link #COMMANDS}, for the test that keeps them equal to the annotations. */
    static Map<String, Class<?>> commands() {
        return java.util.Collections.unmodifiableMap(COMMANDS);
    }

    /** Reports a failure (stderr line, the JSON document when asked for) and returns its exit code. */
    static int report(CommandLine commandLine, Failure f, Throwable ex, boolean json, boolean verbose) {
        PrintWriter e = commandLine.getErr();
        e.println("modelreg: error: " + f.message());
        if (verbose || "1".equals(root(commandLine).env().get("MODELREG_DEBUG"))) ex.printStackTrace(e);
        e.flush();
        if (json) root(commandLine).printDocument(commandLine.getOut(), f.toJson());
        return f.exitCode();
    }

    /** The command line of the subcommand that ran. */
    private static CommandLine ran(ParseResult p) {
        ParseResult r = p;
        while (r.subcommand() != null) r = r.subcommand();
        return r.commandSpec().commandLine();
    }

    static RootCommand root(CommandLine commandLine) {
        CommandLine c = commandLine;
        while (c.getParent() != null) c = c.getParent();
        return (RootCommand) c.getCommand();
    }

    /** True if {@code -v}/{@code --verbose} was given to the root command or to the command that ran. */
    static boolean verbose(ParseResult p) {
        for (ParseResult r = p; r != null; r = r.subcommand()) if (r.hasMatchedOption("-v")) return true;
        return false;
    }

    private static boolean jsonRequested(ParseResult p) {
        for (ParseResult r = p; r != null; r = r.subcommand()) {
            CommandSpec s = r.commandSpec();
            if (s.findOption("--json") != null && r.hasMatchedOption("--json")) return true;
        }
        return false;
    }
}
