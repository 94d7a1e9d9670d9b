package dev.modelreg.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code modelreg completion bash|zsh}: the shell completion script picocli generates from the commands themselves
 * (one script serves both shells: in zsh it loads bashcompinit first).
 */
@Command(name = "completion")
public final class CompletionCommand extends BaseCommand {
    /** The shells the script supports. */
    enum Shell { bash, zsh }

    @Parameters(index = "0", paramLabel = "SHELL", defaultValue = "bash", description = "bash or zsh (default: ${DEFAULT-VALUE}).")
    Shell shell;

    @Override
    public Integer call() {
        String script = AutoComplete.bash("modelreg", Cli.root(spec.commandLine()).spec.commandLine());
        if (json) {
            printJson(java.util.Map.of("shell", shell.name(), "script", script));
        } else {
            out().print(script);
            out().flush();
        }
        return ExitCodes.OK;
    }
}
