package dev.modelreg.cli;

import dev.modelreg.consumer.ModelReg;
import java.io.IOException;
import picocli.CommandLine.Mixin;

/** A command over the configured sources and the cache: {@code --config} and {@code --offline} ({@link ConsumerOptions}). */
abstract class ConsumerCommand extends BaseCommand {
    @Mixin
    ConsumerOptions opts;

    /** The library for this run, its progress lines on stderr. */
    ModelReg open() throws IOException {
        return opts.open(err());
    }
}
