package dev.modelreg.cli;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;

/** {@code modelreg}: lists the subcommands. Each subcommand is a few dozen lines that call publisher/consumer. */
@Command(name = "modelreg",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Publish model file sets to OCI registries and consume them reproducibly (GitHub mode too).",
        footerHeading = "%nExamples:%n",
        footer = {
                "  modelreg help pull                   # a command's options and examples",
                "  modelreg push examples/models oci-layout:/tmp/models:v1 --name demo",
                "  modelreg copy demo/ex-gwf-twri01 ./twri --from oci-layout:/tmp/models:v1",
                "",
                "-v/--verbose (before or after the command) prints a stack trace with an error; every command takes",
                "--json: exactly one JSON document on stdout, {\"error\": {\"kind\", \"message\", \"exitCode\"}} on failure."},
        subcommands = {
                MakeRegistryCommand.class,
                PushCommand.class,
                SyncCommand.class,
                InfoCommand.class,
                ListCommand.class,
                CopyCommand.class,
                PullCommand.class,
                VerifyCommand.class,
                ClearCommand.class,
                MirrorCommand.class,
                TagsCommand.class,
                TagCommand.class,
                InspectCommand.class,
                ExportCommand.class,
                CompletionCommand.class,
                HelpCommand.class,
        })
public final class RootCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, description = "Stack traces on errors (also after the command, where it shows more detail too).")
    boolean verbose;

    /** One JSON document per run: the first to claim it prints it (a result, an error, or an interruption). */
    private final AtomicBoolean documentPrinted = new AtomicBoolean();

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Prints {@code doc} on {@code out} unless a document was printed already in this run; true if it printed. */
    boolean printDocument(PrintWriter out, Object doc) {
        if (!documentPrinted.compareAndSet(false, true)) return false;
        out.println(dev.modelreg.spec.Json.write(doc));
        out.flush();
        return true;
    }
}
