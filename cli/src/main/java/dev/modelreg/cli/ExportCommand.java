package dev.modelreg.cli;

import dev.modelreg.spec.Reference;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code modelreg export --source NAME [--ref R...] --output FILE.tar}: a source's refs into one OCI archive. */
@Command(name = "export")
public final class ExportCommand extends RegistryConsumerCommand {
    @Option(names = "--source", required = true, paramLabel = "NAME", description = "Configured source (key or name).")
    String source;

    @Option(names = "--ref", paramLabel = "REF", description = "Ref to export (repeatable; default: the source's refs).")
    List<String> refs;

    @Option(names = "--output", required = true, paramLabel = "FILE.tar", description = "The OCI archive (added to if it exists).")
    Path output;

    @Mixin
    ExportFlags export;

    @Override
    public Integer call() throws Exception {
        return SourceMirrorCommand.run(this, source, refs,
                Reference.ARCHIVE_PREFIX + output.toAbsolutePath().normalize(), export.options());
    }
}
