package dev.modelreg.cli;

import picocli.CommandLine.Command;

/** {@code modelreg}: lists the subcommands. Each subcommand is a few dozen lines that call publisher/consumer. */
@Command(name = "modelreg",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Publish model file sets to OCI registries and consume them reproducibly (GitHub mode too).",
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
                ExportCommand.class,
        })
public final class RootCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
