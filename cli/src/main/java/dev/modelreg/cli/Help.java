package dev.modelreg.cli;

import picocli.CommandLine;

/** What every command's {@code --help} (and {@code modelreg help COMMAND}) shows beyond its own options: the exit codes. */
final class Help {
    private Help() {}

    static void install(CommandLine cl) {
        cl.getCommandSpec().usageMessage()
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCodes.table());
        for (CommandLine sub : cl.getSubcommands().values()) install(sub);
    }
}
