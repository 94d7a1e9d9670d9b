package dev.modelreg.cli;

import dev.modelreg.consumer.ModelReg;
import dev.modelreg.consumer.Settings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every consumer command shares: which sources (--config), whether the network may be used. */
public final class ConsumerOptions {
    /** The command this mixin is part of: its root holds the run's environment. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Bootstrap file to use alone (default: bundled sources + user overlay; env MODELREG_CONFIG).")
    Path config;

    @Option(names = "--offline", description = "Never touch the network (also MODELREG_OFFLINE=1); fail if something is not cached.")
    boolean offline;

    /** Opens the library with progress lines going to {@code err}. */
    ModelReg open(PrintWriter err) throws IOException {
        return open(err, null, Progress.NONE);
    }

    /**
     * Opens the library for a command that reaches registries, with its {@code --ca-file}/{@code --plain-http}
     * ({@code registry}; null: none), its transfers shown on {@code progress}.
     */
    ModelReg open(PrintWriter err, RegistryFlags registry, Progress progress) throws IOException {
        java.util.Map<String, String> env = Cli.root(mixee.commandLine()).env();
        Settings s = Settings.from(env);
        if (offline) s = s.withOffline(true);
        if (registry != null) s = s.withRegistryOptions(registry.apply(s.registryOptions()));
        return new ModelReg(ModelReg.loadConfig(config, env), s).onProgress(m -> progress.println(err, m))
                .onTransfer(progress);
    }
}
