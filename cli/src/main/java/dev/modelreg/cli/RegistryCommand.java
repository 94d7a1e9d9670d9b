package dev.modelreg.cli;

import dev.modelreg.content.RegistryOptions;
import picocli.CommandLine.Mixin;

/** A command that reaches registries without the configured sources: their connection flags ({@link RegistryFlags}). */
abstract class RegistryCommand extends BaseCommand {
    @Mixin
    RegistryFlags registry;

    /** The registry options of this run's environment, with the flags applied. */
    RegistryOptions registryOptions() {
        return registry.options(context().env());
    }
}
