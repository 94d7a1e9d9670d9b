package dev.modelreg.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Base of every subcommand: stdout holds exactly the result (one JSON document with {@code --json}); progress and
 * diagnostics go to stderr. What every command's help has in common is said here once (picocli applies a superclass's
 * {@code @Command} attributes first, a subclass's over them): {@code -h}/{@code -V}, and the heading of the examples
 * each command gives as its footer. A command's description and examples are in CommandHelp.properties
 * ({@link Cli#HELP}), not in its annotation.
 */
@Command(mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n")
public abstract class BaseCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    protected boolean json;

    @Option(names = {"-v", "--verbose"}, description = "More detail; stack traces on errors.")
    protected boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "No progress display (there is none when stderr is not a terminal, or with --json).")
    protected boolean quiet;

    /**
     * The live progress display for this command's transfers (nothing when not on a terminal, --json, --quiet),
     * showing {@code phase} once they are done while the command finishes.
     */
    protected Progress progress(String phase) {
        return Progress.of(spec.name(), phase, json, quiet, context());
    }

    /** What a push or mirror to {@code destination} does after its transfers: write an archive, else set the tag. */
    static String finishing(String destination) {
        return destination != null && destination.startsWith(dev.modelreg.spec.Reference.ARCHIVE_PREFIX)
                ? "writing the archive" : "tagging";
    }

    /** The environment and working directory this run reads ({@link Context}). */
    protected Context context() {
        return Cli.root(spec.commandLine()).context();
    }

    /**
     * {@code text} parsed as a reference that names a tag or digest: one that does not parse is invalid input (1), as
     * for every command; one that parses but names neither has the wrong shape for the command: usage (3).
     */
    protected static dev.modelreg.spec.Reference tagOrDigest(String text) throws ExitException {
        dev.modelreg.spec.Reference r = dev.modelreg.spec.Reference.parse(text);
        if (r.reference() == null) {
            throw new ExitException(ExitCodes.USAGE, "'" + text + "' names no tag or digest: give REF:TAG or REF@sha256:DIGEST");
        }
        return r;
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** True with {@code -v} given before the command ({@code modelreg -v info}) or after it. */
    protected boolean verbose() {
        return verbose || Cli.root(spec.commandLine()).verbose;
    }

    /** Prints {@code value} as the run's one JSON document (a Map/List/record-free tree, see dev.modelreg.spec.Json). */
    protected void printJson(Object value) {
        Cli.root(spec.commandLine()).printDocument(out(), value);
    }
}
