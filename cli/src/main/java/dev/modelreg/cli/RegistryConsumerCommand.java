package dev.modelreg.cli;

import dev.modelreg.consumer.ModelReg;
import java.io.IOException;
import picocli.CommandLine.Mixin;

/** A {@link ConsumerCommand} that may reach registries, so takes their connection flags ({@link RegistryFlags}). */
abstract class RegistryConsumerCommand extends ConsumerCommand {
    @Mixin
    RegistryFlags registry;

    @Override
    ModelReg open() throws IOException {
        return open(Progress.NONE);
    }

    /** The library for this run, its transfers shown on {@code progress}. */
    ModelReg open(Progress progress) throws IOException {
        return opts.open(err(), registry, progress);
    }
}
