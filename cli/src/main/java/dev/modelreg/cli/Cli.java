package dev.modelreg.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The one factory for the command line: injected out/err writers, named exit codes, and a one-line error
 * handler (stack traces only with {@code -v} or {@code MODELREG_DEBUG=1}). {@link Main} and the tests use it.
 */
public final class Cli {
    private Cli() {}

    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new RootCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = parseResult.hasMatchedOption("-v") || "1".equals(System.getenv("MODELREG_DEBUG"));
            PrintWriter e = commandLine.getErr();
            e.println("modelreg: error: " + ExitException.messageOf(ex));
            if (verbose) ex.printStackTrace(e);
            e.flush();
            return ex instanceof ExitException x ? x.code() : ExitCodes.ERROR;
        });
        return cl;
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(out, err).execute(args);
    }
}
