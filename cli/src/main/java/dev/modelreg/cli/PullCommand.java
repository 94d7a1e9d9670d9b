package dev.modelreg.cli;

import dev.modelreg.spec.Text;
import dev.modelreg.consumer.ModelReg;
import dev.modelreg.consumer.Placement;
import dev.modelreg.consumer.Results.CopyResult;
import dev.modelreg.consumer.Selection;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modelreg pull REF DIR}: every file of a ref (or of some models) into DIR by registry path, verified. */
@Command(name = "pull")
public final class PullCommand extends PlacingCommand {
    @Parameters(index = "0", paramLabel = "REF", description = "REGISTRY/REPO:TAG|@DIGEST, oci-layout:DIR[:TAG|@DIGEST], oci-archive:FILE[:TAG|@DIGEST], or source@ref.")
    String ref;

    @Parameters(index = "1", paramLabel = "DIR", description = "Output directory.")
    Path dir;

    @Option(names = "--model", paramLabel = "NAME", description = "Only the files of this model: a name or a glob (repeatable).")
    List<String> models;

    @Option(names = "--kind", paramLabel = "KIND", split = ",", description = "Only files of this kind: weight, config, doc, "
            + "code or dataset (repeatable; a ModelPack layer's kind, else the kind of the file's name, see README \"ModelPack\").")
    List<String> kinds;

    @Override
    CopyResult place(ModelReg reg, Placement how) throws Exception {
        return reg.pull(reg.ref(ref), dir, filters.applyTo(Selection.models(models)).withKinds(kinds), how);
    }

    @Override
    String summary(CopyResult r) {
        return r.digest() + " " + Text.count(r.files().size(), "file") + " -> " + r.workspace();
    }
}
