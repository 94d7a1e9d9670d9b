package dev.modelreg.cli;

import dev.modelreg.content.RegistryOptions;
import dev.modelreg.publisher.MakeRegistry;
import dev.modelreg.spec.GitHubUrls;
import dev.modelreg.spec.Text;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code modelreg make-registry}: index a model repository into models.toml (see MakeRegistry). */
@Command(name = "make-registry")
public final class MakeRegistryCommand extends BaseCommand {
    @Option(names = {"-p", "--path"}, paramLabel = "DIR",
            description = "Local directory to index; if it is not a local directory and --repo/--ref are given, a sub-path of the downloaded repository.")
    String path;

    @Option(names = "--name", required = true, paramLabel = "PREFIX", description = "Model name prefix, e.g. mf6/example.")
    String name;

    @Option(names = "--repo", paramLabel = "OWNER/NAME", description = "GitHub repository: file urls are built from it (and downloads, without --path).")
    String repo;

    @Option(names = "--ref", paramLabel = "REF", description = "Git ref (branch, tag or commit) for urls and downloads.")
    String ref;

    @Mixin
    IndexFlags index;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR",
            description = "Output directory, relative to --path (default: .registry).")
    String output;

    @Option(names = "--asset-file", paramLabel = "NAME",
            description = "Index the release asset NAME of --repo at --ref (a zip whose members are the file keys); release-mode urls.")
    String assetFile;

    @Option(names = "--release-assets", paramLabel = "OUTDIR",
            description = "Also write the GitHub release assets: models.toml and a zip of the model files (named by --asset-file, default models.zip).")
    Path releaseAssets;

    @Option(names = "--examples", description = "Write [examples] (always done in release mode).")
    boolean examples;

    @Option(names = "--path-in-repo", paramLabel = "PATH",
            description = "Path of the indexed directory inside the repository, for raw urls (default: asked from git).")
    String pathInRepo;

    @Override
    public Integer call() throws Exception {
        Context c = context();
        String dir = path;
        String out = output;
        if (!c.processWorkDir()) { // another working directory than the process's: resolve a local --path against it,
            dir = c.localDirectory(path); // and --output too unless it is relative to a local --path
            if (dir == null || !Files.isDirectory(Path.of(dir))) out = c.resolve(output == null ? MakeRegistry.DEFAULT_OUTPUT : output);
        }
        MakeRegistry.Result r = MakeRegistry.run(MakeRegistry.Request.builder(name).path(dir)
                .repo(repo == null ? null : GitHubUrls.Repo.parse(repo)).ref(ref).namefile(index.namefile)
                .output(out == null ? null : Path.of(out)).assetFile(assetFile).releaseAssets(releaseAssets)
                .examples(examples).pathInRepo(pathInRepo).github(GitHubUrls.fromEnvironment(c.env()))
                .connection(RegistryOptions.fromEnvironment(c.env())).build());
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("registry", r.registryFile() == null ? null : r.registryFile().toString());
            m.put("releaseZip", r.releaseZip() == null ? null : r.releaseZip().toString());
            m.put("models", (long) r.models());
            m.put("files", (long) r.files());
            m.put("bytes", r.bytes());
            printJson(m);
        } else {
            if (r.registryFile() != null) out().println(r.registryFile());
            if (r.releaseZip() != null) out().println(r.releaseZip());
            out().flush();
            err().println("indexed " + Text.count(r.models(), "model") + ", " + Text.count(r.files(), "file") + ", " + Text.count(r.bytes(), "byte"));
            err().flush();
        }
        return ExitCodes.OK;
    }
}
