package dev.modelreg.publisher;

import dev.modelreg.content.CopyListener;
import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.CopyResult;
import dev.modelreg.content.RegistryOptions;
import dev.modelreg.content.TagCondition;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.GitHubUrls;
import dev.modelreg.spec.RefTags;
import dev.modelreg.spec.Reference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code modelreg push DIR DESTINATION}: index DIR (or take a given models.toml whose hashes must match the
 * tree), build the model set and copy it to the destination with the generic {@code Copy} (blobs the destination has
 * are skipped, the manifest goes after its blobs, the tag last).
 * <pre>{@code
 * Push.Result r = Push.run(Push.Request.builder(Path.of("models"), Reference.parse("ghcr.io/org/models:v1"))
 *         .name("mf6/test").registry(RegistryOptions.fromEnvironment()).build());
 * }</pre>
 *
 * <p>Tag and ref: {@code REGISTRY/REPO:TAG} gives the tag; the request's ref gives the git ref. With only a ref, the
 * tag is {@link RefTags#toTag}(ref); with only a tag, the ref is {@link RefTags#fromTag}(tag); with neither, the
 * ref is the checked-out git branch of DIR. The ref is recorded verbatim in the manifest annotations. Bad input is a
 * {@link PublishException}; a failed transfer is the content layer's {@code ContentException}.
 */
public final class Push {
    private Push() {}

    /** The default layer limit (Amazon ECR's; other registries allow more): {@value}. */
    public static final int DEFAULT_MAX_LAYERS = LayerPlanner.DEFAULT_MAX_LAYERS;

    /**
     * The outcome of a push.
     *
     * @param digest        the manifest digest
     * @param tag           the tag set in the destination
     * @param ref           the git ref recorded in the annotations
     * @param reference     where it landed, {@code DESTINATION:TAG@DIGEST} (an image written only to a tar: the tar)
     * @param files         files in the registry
     * @param layers        layers of the manifest
     * @param bytesUploaded bytes sent (blobs and manifest)
     * @param bytesSkipped  bytes the destination had already
     * @param blobsUploaded blobs sent
     * @param blobsSkipped  blobs the destination had already
     * @param blobsMounted  blobs mounted from another repository
     * @param manifestBytes the manifest's size
     */
    public record Result(Digest digest, String tag, String ref, String reference, int files, int layers,
                         long bytesUploaded, long bytesSkipped, int blobsUploaded, int blobsSkipped, int blobsMounted,
                         int manifestBytes) {}

    /**
     * What to push and where, immutable; made with {@link #builder} (or {@link #of}). Every option has the default of
     * the command line, except that nothing is read from the environment unless asked: give
     * {@code registry(RegistryOptions.fromEnvironment())} and {@code created(CreationTime.fromEnvironment())} for the
     * credentials and {@code SOURCE_DATE_EPOCH} the command line uses.
     */
    public static final class Request {
        private final Path dir;
        private final Reference destination;
        private final String name;
        private final String namefile;
        private final Path registryFile;
        private final String ref;
        private final Map<String, String> annotations;
        private final String mountFrom;
        private final int maxLayers;
        private final RegistryOptions registry;
        private final CreationTime created;
        private final String sourceUrl;
        private final GitHubUrls.Repo repo;
        private final Consumer<String> progress;
        private final String base;
        private final CopyListener listener;
        private final ImageOptions image;
        private final TagCondition tagCondition;

        private Request(Builder b) {
            dir = b.dir;
            destination = b.destination;
            name = b.name;
            namefile = b.namefile == null || b.namefile.isBlank() ? IndexOptions.DEFAULT_NAMEFILE : b.namefile;
            registryFile = b.registryFile;
            ref = b.ref;
            annotations = Map.copyOf(b.annotations);
            mountFrom = b.mountFrom;
            maxLayers = b.maxLayers;
            registry = b.registry;
            created = b.created;
            sourceUrl = b.sourceUrl;
            repo = b.repo;
            progress = b.progress;
            base = b.base;
            listener = b.listener;
            image = b.image;
            tagCondition = b.tagCondition;
        }

        /**
         * A push of the models in {@code dir} to {@code destination}.
         *
         * @param dir         the model repository directory
         * @param destination {@code REGISTRY/REPOSITORY[:TAG]}, {@code oci-layout:DIR[:TAG]} or
         *                    {@code oci-archive:FILE[:TAG]}; null only for an image written to a tar alone
         * @return a builder with the defaults of the command line
         */
        public static Builder builder(Path dir, Reference destination) {
            return new Builder(Objects.requireNonNull(dir, "dir"), destination);
        }

        /**
         * The common case: index {@code dir} (models named {@code name}/..., found by {@code mfsim.nam}) and push it to
         * {@code destination} for git ref {@code ref} (null: the destination's tag), with the process environment's
         * credentials ({@link RegistryOptions#fromEnvironment()}) and creation time ({@link CreationTime#fromEnvironment()}).
         *
         * @return the request, built
         */
        public static Request of(Path dir, Reference destination, String name, String ref) {
            return builder(dir, destination).name(name).ref(ref).registry(RegistryOptions.fromEnvironment())
                    .created(CreationTime.fromEnvironment()).build();
        }

        /** A builder holding this request's values, to derive a changed copy. */
        public Builder toBuilder() {
            return new Builder(dir, destination).name(name).namefile(namefile).registryFile(registryFile).ref(ref)
                    .annotations(annotations).mountFrom(mountFrom).maxLayers(maxLayers).registry(registry)
                    .created(created).sourceUrl(sourceUrl).repo(repo).progress(progress).base(base).listener(listener)
                    .image(image).tagCondition(tagCondition);
        }

        Path dir() { return dir; }
        Reference destination() { return destination; }
        String name() { return name; }
        String namefile() { return namefile; }
        Path registryFile() { return registryFile; }
        String ref() { return ref; }
        Map<String, String> annotations() { return annotations; }
        String mountFrom() { return mountFrom; }
        int maxLayers() { return maxLayers; }
        RegistryOptions registry() { return registry; }
        CreationTime created() { return created; }
        String sourceUrl() { return sourceUrl; }
        GitHubUrls.Repo repo() { return repo; }
        Consumer<String> progress() { return progress; }
        String base() { return base; }
        CopyListener listener() { return listener; }
        ImageOptions image() { return image; }
        TagCondition tagCondition() { return tagCondition; }

        /** Builds a {@link Request}; each setter returns this builder. */
        public static final class Builder {
            private final Path dir;
            private final Reference destination;
            private String name;
            private String namefile = IndexOptions.DEFAULT_NAMEFILE;
            private Path registryFile;
            private String ref;
            private Map<String, String> annotations = Map.of();
            private String mountFrom;
            private int maxLayers = DEFAULT_MAX_LAYERS;
            private RegistryOptions registry = RegistryOptions.defaults();
            private CreationTime created = CreationTime.reproducible();
            private String sourceUrl;
            private GitHubUrls.Repo repo;
            private Consumer<String> progress;
            private String base;
            private CopyListener listener;
            private ImageOptions image;
            private TagCondition tagCondition = TagCondition.ANY;

            private Builder(Path dir, Reference destination) {
                this.dir = dir;
                this.destination = destination;
            }

            /** The model name prefix: a model in directory D is named PREFIX/D (needed unless {@link #registryFile}). */
            public Builder name(String prefix) {
                this.name = prefix;
                return this;
            }

            /** A model is a directory holding a file matching this glob (default {@code mfsim.nam}). */
            public Builder namefile(String glob) {
                this.namefile = glob;
                return this;
            }

            /** Use this models.toml as the config, byte for byte, instead of indexing (its hashes must match the tree). */
            public Builder registryFile(Path modelsToml) {
                this.registryFile = modelsToml;
                return this;
            }

            /** The git ref, recorded verbatim (without a destination tag, the tag is its escaped form). */
            public Builder ref(String gitRef) {
                this.ref = gitRef;
                return this;
            }

            /** Extra manifest annotations (they override the ones the push writes). */
            public Builder annotations(Map<String, String> extra) {
                this.annotations = extra == null ? Map.of() : extra;
                return this;
            }

            /** Mount blobs the registry has in this other repository instead of uploading them. */
            public Builder mountFrom(String repository) {
                this.mountFrom = repository;
                return this;
            }

            /** At most this many layers (default {@value Push#DEFAULT_MAX_LAYERS}, the ECR limit). */
            public Builder maxLayers(int n) {
                this.maxLayers = n;
                return this;
            }

            /** How to reach the destination registry: credentials, TLS, plain HTTP (default: anonymous, no extra CA). */
            public Builder registry(RegistryOptions options) {
                this.registry = options == null ? RegistryOptions.defaults() : options;
                return this;
            }

            /** The {@code org.opencontainers.image.created} time (default {@link CreationTime#reproducible()}). */
            public Builder created(CreationTime time) {
                this.created = time == null ? CreationTime.reproducible() : time;
                return this;
            }

            /** The {@code org.opencontainers.image.source} annotation (default: from {@link #repo}, else DIR's GitHub origin). */
            public Builder sourceUrl(String url) {
                this.sourceUrl = url;
                return this;
            }

            /** The GitHub repository the models come from (its page is the default source URL). */
            public Builder repo(GitHubUrls.Repo githubRepo) {
                this.repo = githubRepo;
                return this;
            }

            /** Where progress lines go (default: nowhere). */
            public Builder progress(Consumer<String> lines) {
                this.progress = lines;
                return this;
            }

            /**
             * Rebase on a previous push in the destination (a tag, digest or git ref): its tar layers are kept and the
             * small files that changed go into one delta layer (spec/README.md 3.6). Not found there: a full push.
             */
            public Builder base(String tagDigestOrRef) {
                this.base = tagDigestOrRef;
                return this;
            }

            /** The hooks of the upload (a progress display). */
            public Builder listener(CopyListener hooks) {
                this.listener = hooks;
                return this;
            }

            /** Push a model image (spec/README.md 3.11) instead of an artifact (null: an artifact). */
            public Builder image(ImageOptions options) {
                this.image = options;
                return this;
            }

            /**
             * What the destination tag must point at for the push to move it ({@link TagCondition#absent()}: not exist;
             * {@link TagCondition#at}: that manifest; {@link TagCondition#noClobber()}: not another manifest), read
             * before anything is uploaded and again just before the tag is written; else a CONFLICT and the tag stays.
             * Default {@link TagCondition#ANY}.
             */
            public Builder tagCondition(TagCondition condition) {
                this.tagCondition = condition == null ? TagCondition.ANY : condition;
                return this;
            }

            /** The request. */
            public Request build() {
                return new Request(this);
            }
        }
    }

    /**
     * Runs the push {@code r} describes.
     *
     * @param r what to push and where
     * @return the manifest digest, where it landed and what was sent
     * @throws PublishException bad input (no model name prefix, no models, a digest destination, a bad time)
     * @throws IOException      a missing directory or file ({@link NoSuchFileException}), a refused or failed
     *                          transfer ({@code ContentException}, with its kind)
     */
    public static Result run(Request r) throws IOException {
        Consumer<String> progress = r.progress() == null ? s -> { } : r.progress();
        if (!Files.isDirectory(r.dir())) {
            throw new NoSuchFileException(r.dir().toString(), null, Files.exists(r.dir())
                    ? "not a directory (push indexes a directory of models)" : "no such directory");
        }
        if (r.image() == null) LayerPlanner.checkMaxLayers(r.maxLayers()); // before anything is created
        boolean tarOnly = r.image() != null && r.image().toTar() != null && r.destination() == null;
        if (r.image() != null && r.base() != null) {
            throw PublishException.invalid("--base rebases an artifact on delta layers; an image has none (its base image is --base-image FILE.tar)");
        }
        PushDestination dest = tarOnly ? null : PushDestination.of(r.destination());
        String ref = r.ref();
        String tag = dest == null ? null : dest.tag();
        if (ref == null && tag == null) {
            ref = Git.currentBranch(r.dir());
            if (ref == null) {
                throw PublishException.invalid("no tag: give REGISTRY/REPOSITORY:TAG (or oci-layout:DIR:TAG) or --ref REF");
            }
        }
        if (tag == null) tag = RefTags.toTag(ref);
        if (ref == null) ref = refOfTag(tag);

        progress.accept("indexing " + r.dir());
        PushInputs.Loaded loaded = r.registryFile() != null ? PushInputs.fromRegistryFile(r.dir(), r.registryFile())
                : PushInputs.fromTree(r.dir(), r.name(), r.namefile());
        if (loaded.registry().files().isEmpty()) {
            throw PublishException.invalid("nothing to push: no model files in " + r.dir()
                    + (r.registryFile() != null ? " listed by " + r.registryFile()
                    : " (no directory holds a file matching '" + r.namefile() + "')"));
        }
        String sourceUrl = r.sourceUrl() != null ? r.sourceUrl()
                : r.repo() != null ? GitHubUrls.repositoryPage(r.repo()) : Git.githubOrigin(r.dir());
        Map<String, String> ann = ManifestAnnotations.of(r.dir(), ref, sourceUrl, r.created(), r.annotations());
        CopyOptions co = CopyOptions.of(r.registry()).withListener(r.listener()).withTagCondition(r.tagCondition());
        if (r.mountFrom() != null) co = co.withMountFrom(r.mountFrom());
        Pushed p = r.image() != null
                ? PushImage.run(loaded, dest, tag, ann, r.image(), r.maxLayers(), r.registry(), co, progress)
                : PushArtifact.run(loaded, dest, tag, ann, r.registry(), co, r.base(), r.maxLayers(), progress);
        return result(p, tag, ref, loaded.registry().files().size());
    }

    /**
     * Pushes a registry that is already known, byte for byte, as the config of a new artifact: the files it lists are
     * read from {@code known.files()}, each hashed once and checked against the registry's hash, then laid out by the
     * same layer planning as a push of a directory. {@code destination} is {@code REGISTRY/REPO}, {@code oci-layout:DIR}
     * or {@code oci-archive:FILE} with a tag (without one: the tag of the known ref). The manifest is annotated with the
     * ref and source URL and {@code created} ({@link CreationTime#fromEnvironment()}: {@code SOURCE_DATE_EPOCH}, else
     * the epoch), so the same inputs give the same digest.
     *
     * @param known       the registry bytes and where its files are
     * @param destination where to push, with a tag or without (then the tag of the known ref)
     * @param created     the creation time of the manifest
     * @param ro          how to reach the destination registry
     * @param listener    the hooks of the upload, or null
     * @param progress    where progress lines go, or null
     * @return the manifest digest, where it landed and what was sent
     * @throws IOException bad input ({@link PublishException}), content that is not what the registry says, a failed
     *                     transfer
     */
    public static Result pushRegistry(KnownRegistry known, Reference destination, CreationTime created,
                                      RegistryOptions ro, CopyListener listener, Consumer<String> progress)
            throws IOException {
        Consumer<String> p = progress == null ? s -> { } : progress;
        PushDestination dest = PushDestination.of(destination);
        String t = dest.tag() != null ? dest.tag() : known.ref() == null ? null : RefTags.toTag(known.ref());
        if (t == null) throw PublishException.invalid("no tag for " + known.label() + ": give DESTINATION:TAG");
        PushInputs.Loaded loaded = PushInputs.fromKnown(known);
        Map<String, String> ann = ManifestAnnotations.of(null, known.ref(), known.sourceUrl(), created, null);
        CopyOptions co = CopyOptions.of(ro).withListener(listener);
        Pushed pushed = PushArtifact.run(loaded, dest, t, ann, ro, co, null, LayerPlanner.DEFAULT_MAX_LAYERS, p);
        return result(pushed, t, known.ref(), loaded.registry().files().size());
    }

    private static Result result(Pushed p, String tag, String ref, int files) {
        CopyResult c = p.copy(); // null: nothing copied (an image written only to a tar)
        return new Result(p.manifest().digest(), tag, ref, p.reference(), files, p.layers(), c == null ? 0 : c.bytesCopied(),
                c == null ? 0 : c.bytesSkipped(), c == null ? 0 : c.blobsCopied(), c == null ? 0 : c.blobsSkipped(),
                c == null ? 0 : c.blobsMounted(), (int) p.manifest().size());
    }

    private static String refOfTag(String tag) {
        try {
            return RefTags.fromTag(tag);
        } catch (IllegalArgumentException e) {
            return tag;
        }
    }
}
