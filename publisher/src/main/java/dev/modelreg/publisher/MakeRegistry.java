package dev.modelreg.publisher;

import dev.modelreg.spec.GitHubUrls;
import dev.modelreg.content.fs.AtomicFiles;
import dev.modelreg.content.RegistryOptions;
import dev.modelreg.content.http.HttpTransport;
import dev.modelreg.spec.ModelsTomlCodec;
import dev.modelreg.spec.Text;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code modelreg make-registry}: index a local checkout, or (remote first) the repository zipball of a ref, or a
 * release-asset zip, and write {@code models.toml} (replaced atomically, never merged); optionally the release
 * assets too. The CLI parses flags into a {@link Request} and calls {@link #run}:
 * <pre>{@code
 * MakeRegistry.Result r = MakeRegistry.run(MakeRegistry.Request.builder("mf6/example").path("models")
 *         .repo(GitHubUrls.Repo.parse("MODFLOW-ORG/modflow6-examples")).ref("current").build());
 * }</pre>
 * Bad input is a {@link PublishException}; a missing directory a {@link NoSuchFileException}.
 */
public final class MakeRegistry {
    private MakeRegistry() {}

    /** The name of the registry file: {@value}. */
    public static final String REGISTRY_FILE = "models.toml";
    /** Where models.toml is written, relative to the indexed directory, unless an output is given: {@value}. */
    public static final String DEFAULT_OUTPUT = ".registry";

    /**
     * What to index and where to write, immutable; made with {@link #builder}. Nothing is read from the environment
     * unless asked: give {@code github(GitHubUrls.fromEnvironment())} and
     * {@code connection(RegistryOptions.fromEnvironment())} for the GitHub base URLs and token the command line uses.
     */
    public static final class Request {
        private final String path;
        private final String name;
        private final GitHubUrls.Repo repo;
        private final String ref;
        private final String namefile;
        private final Path output;
        private final String assetFile;
        private final Path releaseAssets;
        private final boolean examples;
        private final String pathInRepo;
        private final GitHubUrls github;
        private final RegistryOptions connection;

        private Request(Builder b) {
            path = b.path;
            name = b.name;
            repo = b.repo;
            ref = b.ref;
            namefile = b.namefile;
            output = b.output;
            assetFile = b.assetFile;
            releaseAssets = b.releaseAssets;
            examples = b.examples;
            pathInRepo = b.pathInRepo;
            github = b.github;
            connection = b.connection;
        }

        /**
         * A request to index models named {@code name}/....
         *
         * @param name the model name prefix, e.g. {@code mf6/example}
         * @return a builder with the defaults of the command line
         */
        public static Builder builder(String name) {
            return new Builder(Objects.requireNonNull(name, "name"));
        }

        /** Builds a {@link Request}; each setter returns this builder. */
        public static final class Builder {
            private final String name;
            private String path;
            private GitHubUrls.Repo repo;
            private String ref;
            private String namefile;
            private Path output;
            private String assetFile;
            private Path releaseAssets;
            private boolean examples;
            private String pathInRepo;
            private GitHubUrls github = GitHubUrls.defaults();
            private RegistryOptions connection = RegistryOptions.defaults();

            private Builder(String name) {
                this.name = name;
            }

            /**
             * The local directory to index; when it is not a local directory and {@link #repo}/{@link #ref} are given,
             * a sub-path of the downloaded repository (default: the downloaded repository's root).
             */
            public Builder path(String dirOrSubPath) {
                this.path = dirOrSubPath;
                return this;
            }

            /** The GitHub repository: file URLs are built from it (and it is downloaded without a local path). */
            public Builder repo(GitHubUrls.Repo githubRepo) {
                this.repo = githubRepo;
                return this;
            }

            /** The git ref (branch, tag or commit) for URLs and downloads; give both repo and ref, or neither. */
            public Builder ref(String gitRef) {
                this.ref = gitRef;
                return this;
            }

            /** A model is a directory holding a file matching this glob (default {@code mfsim.nam}). */
            public Builder namefile(String glob) {
                this.namefile = glob;
                return this;
            }

            /** The output directory, relative to a local path (else to the working directory); default {@value MakeRegistry#DEFAULT_OUTPUT}. */
            public Builder output(Path dir) {
                this.output = dir;
                return this;
            }

            /** Index this release asset of repo/ref (a zip whose members are the file keys) instead of the zipball. */
            public Builder assetFile(String assetName) {
                this.assetFile = assetName;
                return this;
            }

            /** Also write the GitHub release assets into this directory: models.toml and a zip of the model files. */
            public Builder releaseAssets(Path dir) {
                this.releaseAssets = dir;
                return this;
            }

            /** Write {@code [examples]} (always done in release mode). */
            public Builder examples(boolean write) {
                this.examples = write;
                return this;
            }

            /** The indexed directory's path inside the repository, for raw URLs (default: asked from git). */
            public Builder pathInRepo(String pathInRepository) {
                this.pathInRepo = pathInRepository;
                return this;
            }

            /** The GitHub base URLs (default {@link GitHubUrls#defaults()}; the environment's: {@link GitHubUrls#fromEnvironment()}). */
            public Builder github(GitHubUrls urls) {
                this.github = urls == null ? GitHubUrls.defaults() : urls;
                return this;
            }

            /** How downloads reach GitHub: TLS, timeouts, retries and credentials such as a GitHub token (default: none). */
            public Builder connection(RegistryOptions options) {
                this.connection = options == null ? RegistryOptions.defaults() : options;
                return this;
            }

            /** The request. */
            public Request build() {
                return new Request(this);
            }
        }
    }

    /**
     * What was written.
     *
     * @param registryFile the models.toml written, or null (release assets only)
     * @param releaseZip   the release zip written, or null
     * @param models       models indexed
     * @param files        files indexed
     * @param bytes        their total size
     * @param index        the registry and where each file is
     */
    public record Result(Path registryFile, Path releaseZip, int models, int files, long bytes, Index index) {}

    /**
     * Runs the indexing {@code r} describes and writes its files.
     *
     * @param r what to index and where to write
     * @return the files written and the index
     * @throws PublishException bad input (repo without ref, nothing to index)
     * @throws IOException      a missing directory ({@link NoSuchFileException}), a failed download
     */
    public static Result run(Request r) throws IOException {
        if ((r.repo == null) != (r.ref == null)) {
            throw PublishException.invalid("give both --repo OWNER/NAME and --ref REF, or neither");
        }
        GitHubUrls gh = r.github;
        GitHubUrls.Repo repo = r.repo;
        boolean local = r.path != null && Files.isDirectory(Path.of(r.path));
        if (r.path != null && !local && (repo == null || Path.of(r.path).isAbsolute())) {
            throw new NoSuchFileException(r.path, null, Files.exists(Path.of(r.path)) ? "not a directory" : "no such directory");
        }
        boolean releaseMode = r.assetFile != null || r.releaseAssets != null;
        String zipName = r.assetFile != null ? r.assetFile : ReleaseAssets.DEFAULT_ZIP;

        Path tmp = null;
        try {
            Path root;
            String pathInRepo;
            if (local) {
                root = Path.of(r.path);
                String gitPrefix = Git.prefix(root);
                pathInRepo = repoPath(r.pathInRepo != null ? r.pathInRepo : gitPrefix == null ? "" : gitPrefix);
            } else {
                if (repo == null) {
                    throw PublishException.invalid("give --path DIR, or --repo OWNER/NAME and --ref REF to index a download");
                }
                tmp = dev.modelreg.content.fs.Leftovers.tempDir("modelreg-index-");
                Path zip = tmp.resolve("download.zip");
                Path tree = tmp.resolve("tree");
                String url = r.assetFile != null ? gh.releaseAsset(repo, r.ref, r.assetFile) : gh.zipball(repo, r.ref);
                Downloads.download(url, zip, HttpTransport.of(r.connection.http()), r.connection.credentials());
                Downloads.unzip(zip, tree, r.assetFile == null, url);
                Files.delete(zip);
                String sub = r.path == null ? "" : repoPath(r.path);
                root = sub.isEmpty() ? tree : tree.resolve(sub).normalize();
                if (!root.startsWith(tree) || !Files.isDirectory(root)) {
                    throw new NoSuchFileException(r.path, null, "not found in " + url);
                }
                pathInRepo = r.pathInRepo != null ? repoPath(r.pathInRepo) : r.assetFile == null ? sub : "";
            }

            Path out = r.output == null ? Path.of(DEFAULT_OUTPUT) : r.output;
            Path outDir = local ? root.resolve(out) : out;
            String fileUrlBase = repo == null || releaseMode ? null : gh.rawBase(repo, r.ref, pathInRepo);
            String assetUrl = repo == null || !releaseMode ? null : gh.releaseAsset(repo, r.ref, zipName);
            Index index = Indexer.index(root, new IndexOptions(r.name, r.namefile, fileUrlBase, assetUrl,
                    r.examples || releaseMode, local ? outDir : null, IndexOptions.defaultThreads()));
            ModelsTomlCodec.checkLimits(index.registry(), "the registry of " + root); // what consumers refuse (section 14)

            Path registryFile = null;
            Path releaseZip = null;
            if (r.releaseAssets != null) {
                releaseZip = ReleaseAssets.write(index, r.releaseAssets, zipName);
            }
            if (r.releaseAssets == null || r.output != null) {
                registryFile = outDir.resolve(REGISTRY_FILE);
                AtomicFiles.write(registryFile, ModelsTomlCodec.write(index.registry()));
            }
            return new Result(registryFile, releaseZip, index.registry().models().size(),
                    index.registry().files().size(), index.totalBytes(), index);
        } finally {
            dev.modelreg.content.fs.Leftovers.removeTempDir(tmp);
        }
    }

    /**
     * A path inside the repository in its one form: {@code /}-separated, without empty or {@code .} segments (so
     * {@code .}, {@code ./} and {@code /} are the root, {@code ""}, and {@code ./mf6/} is {@code mf6}: no {@code /./}
     * in a URL); a {@code ..} segment would leave the repository and is refused.
     */
    static String repoPath(String s) throws PublishException {
        StringBuilder out = new StringBuilder();
        for (String segment : s.replace('\\', '/').split("/")) {
            if (segment.isEmpty() || segment.equals(".")) continue;
            if (segment.equals("..")) {
                throw PublishException.invalid("path in the repository '" + Text.printable(s)
                        + "' has a '..' segment: give a path inside the repository");
            }
            if (out.length() > 0) out.append('/');
            out.append(segment);
        }
        return out.toString();
    }
}
