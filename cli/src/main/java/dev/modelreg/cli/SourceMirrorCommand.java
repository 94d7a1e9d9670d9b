package dev.modelreg.cli;

import dev.modelreg.consumer.ModelReg;
import dev.modelreg.content.RegistryOptions;
import java.util.List;
import java.util.Map;

/** The shared body of {@code mirror --source} and {@code export}: run {@link SourceMirror}, print where refs landed. */
final class SourceMirrorCommand {
    private SourceMirrorCommand() {}

    static int run(BaseCommand cmd, ConsumerOptions opts, RegistryFlags registry, String source, List<String> refs,
                   String destination) throws Exception {
        RegistryOptions o = registry.options(cmd.context().env());
        List<SourceMirror.Landed> landed;
        try (Progress progress = cmd.progress(BaseCommand.finishing(destination))) {
            ModelReg reg = opts.open(cmd.err(), registry, progress);
            landed = SourceMirror.run(reg, source, refs, destination, o, progress, m -> progress.println(cmd.err(), m));
        }
        if (cmd.json) {
            cmd.printJson(Map.of("refs", landed.stream().map(SourceMirror.Landed::toJson).toList()));
        } else {
            for (SourceMirror.Landed l : landed) cmd.out().println(l.reference());
            cmd.out().flush();
        }
        return ExitCodes.OK;
    }
}
