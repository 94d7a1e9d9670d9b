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
public final class PullCommand extends RegistryConsumerCommand {
    @Parameters(index = "0", paramLabel = "REF", description = "REGISTRY/REPO:TAG|@DIGEST, oci-layout:DIR[:TAG|@DIGEST], oci-archive:FILE[:TAG|@DIGEST], or source@ref.")
    String ref;

    @Parameters(index = "1", paramLabel = "DIR", description = "Output directory.")
    Path dir;

    @Option(names = "--model", paramLabel = "NAME", description = "Only the files of this model: a name or a glob (repeatable).")
    List<String> models;

    @Option(names = "--include", paramLabel = "GLOB", description = "Only files whose key matches (repeatable; * within a "
            + "directory, ** across directories). Only the layers holding them are fetched.")
    List<String> include;

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Leave out files whose key matches (repeatable).")
    List<String> exclude;

    @Option(names = "--kind", paramLabel = "KIND", split = ",", description = "Only files of this kind: weight, config, doc, "
            + "code or dataset (repeatable; a ModelPack layer's kind, else the kind of the file's name, see README \"ModelPack\").")
    List<String> kinds;

    @Option(names = "--no-cache", description = "Write each downloaded byte once, into DIR only: layers are not kept in the cache "
            + "(files it holds already are copied from it). For big models on a slow disk; DIR stays independent of the cache.")
    boolean noCache;

    @Option(names = "--link", description = "Make each file a read-only hard link to its blob in the cache: each byte is written "
            + "once, into the cache (a DIR on another file system than the cache gets copies, said once). Files are not "
            + "independent of the cache: edit a copy, never a linked file.")
    boolean link;

    @Override
    public Integer call() throws Exception {
        Placement how = ConsumerOptions.placement(noCache, link);
        CopyResult r;
        try (Progress progress = progress("committing")) {
            ModelReg reg = open(progress);
            r = reg.pull(reg.ref(ref), dir, Selection.models(models).withFilters(include, exclude).withKinds(kinds), how);
        }
        if (json) {
            printJson(r.toJson());
        } else {
            if (verbose()) r.files().forEach(f -> out().println(r.workspace().resolve(f)));
            out().println(r.digest() + " " + Text.count(r.files().size(), "file") + " -> " + r.workspace());
            out().flush();
        }
        return ExitCodes.OK;
    }
}
