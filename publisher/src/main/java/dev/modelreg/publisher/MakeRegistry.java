package dev.modelreg.publisher;

import dev.modelreg.spec.GitHubUrls;
import dev.modelreg.content.AtomicFiles;
import dev.modelreg.content.auth.EnvironmentCredentials;
import dev.modelreg.content.http.HttpOptions;
import dev.modelreg.content.http.HttpTransport;

import dev.modelreg.spec.ModelsTomlCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code modelreg make-registry}: index a local checkout, or (remote first) the repository zipball of a ref, or a
 * release-asset zip, and write {@code models.toml} (replaced atomically, never merged); optionally the release
 * assets too. The CLI parses flags into a {@link Request} and calls {@link #run}.
 */
public final class MakeRegistry {
    private MakeRegistry() {}

    public static final String REGISTRY_FILE = "models.toml";
    public static final String DEFAULT_OUTPUT = ".registry";

    /**
     * @param path          local directory, or a sub-path of the downloaded repository when it is not a local
     *                      directory and {@code repo}/{@code ref} are given; null = the downloaded repository root
     * @param name          model name prefix
     * @param repo          {@code OWNER/NAME} or null
     * @param ref           git ref or null (both or neither of repo/ref)
     * @param namefile      namefile glob, null = {@code mfsim.nam}
     * @param output        output directory, relative to the local path (else to the working directory); null = .registry
     * @param assetFile     index this release asset of repo/ref instead of the zipball; also names the release zip
     * @param releaseAssets null, or a directory to write models.toml + the release zip into
     * @param examples      force {@code [examples]} (they are always written in release mode)
     * @param pathInRepo    null, or the indexed directory's path inside the repository (for raw URLs); by default
     *                      asked from git for a local checkout
     * @param env           environment (GitHub base URLs, GITHUB_TOKEN)
     */
    public record Request(String path, String name, String repo, String ref, String namefile, String output,
                          String assetFile, Path releaseAssets, boolean examples, String pathInRepo,
                          Map<String, String> env) {}

    public record Result(Path registryFile, Path releaseZip, int models, int files, long bytes, Index index) {}

    public static Result run(Request r) throws IOException {
        if ((r.repo() == null) != (r.ref() == null)) {
            throw new IllegalArgumentException("give both --repo OWNER/NAME and --ref REF, or neither");
        }
        GitHubUrls gh = GitHubUrls.fromEnvironment(r.env());
        GitHubUrls.Repo repo = r.repo() == null ? null : GitHubUrls.Repo.parse(r.repo());
        boolean local = r.path() != null && Files.isDirectory(Path.of(r.path()));
        if (r.path() != null && !local && (repo == null || Path.of(r.path()).isAbsolute())) {
            throw new NoSuchFileException(r.path(), null, Files.exists(Path.of(r.path())) ? "not a directory" : "no such directory");
        }
        boolean releaseMode = r.assetFile() != null || r.releaseAssets() != null;
        String zipName = r.assetFile() != null ? r.assetFile() : ReleaseAssets.DEFAULT_ZIP;

        Path tmp = null;
        try {
            Path root;
            String pathInRepo;
            if (local) {
                root = Path.of(r.path());
                String gitPrefix = Git.prefix(root);
                pathInRepo = r.pathInRepo() != null ? r.pathInRepo() : gitPrefix == null ? "" : gitPrefix;
            } else {
                if (repo == null) {
                    throw new IllegalArgumentException("give --path DIR, or --repo OWNER/NAME and --ref REF to index a download");
                }
                tmp = dev.modelreg.content.Leftovers.tempDir("modelreg-index-");
                Path zip = tmp.resolve("download.zip");
                Path tree = tmp.resolve("tree");
                String url = r.assetFile() != null ? gh.releaseAsset(repo, r.ref(), r.assetFile()) : gh.zipball(repo, r.ref());
                Downloads.download(url, zip, HttpTransport.of(HttpOptions.fromEnvironment(r.env())),
                        EnvironmentCredentials.of(r.env()));
                Downloads.unzip(zip, tree, r.assetFile() == null, url);
                Files.delete(zip);
                String sub = r.path() == null ? "" : trimSlashes(r.path());
                root = sub.isEmpty() ? tree : tree.resolve(sub).normalize();
                if (!root.startsWith(tree) || !Files.isDirectory(root)) {
                    throw new NoSuchFileException(r.path(), null, "not found in " + url);
                }
                pathInRepo = r.pathInRepo() != null ? r.pathInRepo() : r.assetFile() == null ? sub : "";
            }

            String outText = r.output() == null ? DEFAULT_OUTPUT : r.output();
            Path outDir = local ? root.resolve(outText) : Path.of(outText);
            IndexOptions o = IndexOptions.of(r.name()).withNamefile(r.namefile())
                    .withExamples(r.examples() || releaseMode).withSkipDir(local ? outDir : null);
            if (repo != null) {
                o = releaseMode ? o.withAssetUrl(gh.releaseAsset(repo, r.ref(), zipName))
                        : o.withFileUrlBase(gh.rawBase(repo, r.ref(), pathInRepo));
            }
            Index index = Indexer.index(root, o);
            ModelsTomlCodec.checkLimits(index.registry(), "the registry of " + root); // what consumers refuse (section 14)

            Path registryFile = null;
            Path releaseZip = null;
            if (r.releaseAssets() != null) {
                releaseZip = ReleaseAssets.write(index, r.releaseAssets(), zipName);
            }
            if (r.releaseAssets() == null || r.output() != null) {
                registryFile = outDir.resolve(REGISTRY_FILE);
                AtomicFiles.write(registryFile, ModelsTomlCodec.write(index.registry()));
            }
            return new Result(registryFile, releaseZip, index.registry().models().size(),
                    index.registry().files().size(), index.totalBytes(), index);
        } finally {
            dev.modelreg.content.Leftovers.removeTempDir(tmp);
        }
    }

    private static String trimSlashes(String s) {
        String t = s.replace('\\', '/');
        while (t.startsWith("/")) t = t.substring(1);
        while (t.endsWith("/")) t = t.substring(0, t.length() - 1);
        return t;
    }
}
