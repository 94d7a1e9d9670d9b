package dev.modelreg.cli;

import java.io.PrintWriter;

/**
 * Entry point: runs the command line of {@link Cli} in the process's {@link Context} and exits with its status. What
 * belongs to the process alone is here: the handler of an Error in a worker thread, the signal handlers of a --json
 * run, the exit.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // A worker thread that dies of an Error (e.g. OutOfMemoryError under a small -Xmx) can leave a future that
        // never completes: exit with one line instead of hanging. The handler may itself be short of memory, so the
        // fallback message is built up front and the halt is unconditional.
        byte[] fallback = ("modelreg: error: " + Failure.OUT_OF_MEMORY + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (!(e instanceof Error)) return;
            try {
                if (e instanceof OutOfMemoryError) {
                    System.err.write(fallback, 0, fallback.length);
                } else {
                    System.err.println("modelreg: error: " + e + " in thread '" + thread.getName() + "'");
                }
                System.err.flush();
            } finally {
                Runtime.getRuntime().halt(ExitCodes.ERROR);
            }
        });
        PrintWriter out = Cli.writer(System.out);
        PrintWriter err = Cli.writer(System.err);
        picocli.CommandLine cl = Cli.commandLine(out, err, Context.ofProcess(), args);
        if (java.util.List.of(args).contains("--json")) Interruption.reportAsJson((RootCommand) cl.getCommand(), out);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        dev.modelreg.content.fs.Cleanup.exiting();
        System.exit(code);
    }
}
