package dev.modelreg.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Option;

/**
 * {@code modelreg}: lists the subcommands ({@link Cli} adds them: only the one a run names). Each subcommand is a few
 * dozen lines that call publisher/consumer. Without a command it prints the short usage on stderr and exits 3.
 * <p>
 * The help prose of every command (its description and examples; the descriptions of options whose text differs by
 * command) is in the resource bundle CommandHelp.properties, which {@link Cli} gives a command line that may print help.
 */
@Command(name = "modelreg",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        footerHeading = "%nExamples:%n")
public final class RootCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, description = "Stack traces on errors (also after the command, where it shows more detail too).")
    boolean verbose;

    /** The environment and working directory the run reads (the process's; a test gives its own, see {@link Cli}). */
    private final Context context;

    RootCommand(Context context) {
        this.context = context;
    }

    Context context() {
        return context;
    }

    Map<String, String> env() {
        return context.env();
    }

    /** One JSON document per run: the first to claim it prints it (a result, an error, or an interruption). */
    private final AtomicBoolean documentPrinted = new AtomicBoolean();

    /** No command: the short usage (synopsis and commands) on stderr, a usage error. */
    @Override
    public Integer call() {
        Help help = spec.commandLine().getHelp();
        PrintWriter err = spec.commandLine().getErr();
        err.print("Usage: " + help.synopsis(0));
        err.print(help.commandListHeading());
        err.print(help.commandList());
        err.println("See 'modelreg help COMMAND' for a command's options and examples, 'modelreg --help' for more.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** Prints {@code doc} on {@code out} unless a document was printed already in this run; true if it printed. */
    boolean printDocument(PrintWriter out, Object doc) {
        if (!documentPrinted.compareAndSet(false, true)) return false;
        out.println(dev.modelreg.spec.Json.write(doc));
        out.flush();
        return true;
    }
}
