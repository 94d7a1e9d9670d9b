package dev.modelreg.cli;

import dev.modelreg.consumer.ExportOptions;
import dev.modelreg.consumer.ModelReg;
import dev.modelreg.consumer.Results.Exported;
import dev.modelreg.publisher.CreationTime;
import dev.modelreg.spec.Reference;
import java.util.List;
import java.util.Map;

/** The shared body of {@code mirror --source} and {@code export}: run {@link ModelReg#export}, print where refs landed. */
final class SourceMirrorCommand {
    private SourceMirrorCommand() {}

    static int run(RegistryConsumerCommand cmd, String source, List<String> refs,
                   String destination, ExportOptions options) throws Exception {
        Reference dst = Reference.parse(destination);
        List<Exported> landed;
        try (Progress progress = cmd.progress(BaseCommand.finishing(destination))) {
            ModelReg reg = cmd.open(progress);
            // a wrong shape of request: usage (Failure)
            landed = reg.export(source, refs, dst, CreationTime.fromEnvironment(cmd.context().env()), options);
        }
        if (cmd.json) {
            cmd.printJson(Map.of("refs", landed.stream().map(Exported::toJson).toList()));
        } else {
            for (Exported l : landed) cmd.out().println(l.reference());
            cmd.out().flush();
        }
        return ExitCodes.OK;
    }
}
