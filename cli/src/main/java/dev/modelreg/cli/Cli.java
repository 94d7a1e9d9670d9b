package dev.modelreg.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * The one factory for the command line: injected out/err writers, the exit codes of {@link ExitCodes} (from the kind
 * of each failure, see {@link Failure}), and one error path for every command: one line on stderr
 * ({@code modelreg: error: ...}, a stack trace only with {@code -v} before or after the command, or
 * {@code MODELREG_DEBUG=1}) and, with {@code --json}, one error document on stdout, whatever failed (an exception or an
 * Error). {@link Main} and the tests use it.
 */
public final class Cli {
    private Cli() {}

    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new RootCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        Help.install(cl);
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
            CommandLine c = ex.getCommandLine();
            boolean json = List.of(args).contains("--json");
            boolean verbose = List.of(args).contains("-v") || List.of(args).contains("--verbose");
            int code = report(c, Failure.of(ex), ex, json, verbose);
            if (!json) {
                if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, c.getErr())) {
                    c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
                }
                c.getErr().flush();
            }
            return code;
        });
        return cl;
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(out, err).execute(args);
    }

    /** Reports a failure (stderr line, the JSON document when asked for) and returns its exit code. */
    static int report(CommandLine commandLine, Failure f, Throwable ex, boolean json, boolean verbose) {
        PrintWriter e = commandLine.getErr();
        e.println("modelreg: error: " + f.message());
        if (verbose || "1".equals(System.getenv("MODELREG_DEBUG"))) ex.printStackTrace(e);
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
