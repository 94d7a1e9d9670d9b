package dev.modelreg.publisher;

import dev.modelreg.spec.Text;
import dev.modelreg.spec.GitHubUrls;
import dev.modelreg.content.Copy;
import dev.modelreg.content.CopyListener;
import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.Hashing;
import dev.modelreg.content.Manifests;
import dev.modelreg.content.VerifyingInputStream;
import dev.modelreg.content.CopyResult;
import dev.modelreg.content.RegistryOptions;
import dev.modelreg.content.Targets;
import dev.modelreg.content.VerifiedRead;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import dev.modelreg.spec.OciReference;
import dev.modelreg.spec.Reference;
import dev.modelreg.spec.RefTags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@code modelreg push DIR DESTINATION}: index DIR (or take a given models.toml whose hashes must match the
 * tree), build the model set ({@link ModelSet}) and copy it to the destination with the generic {@code Copy}
 * (blobs the destination has are skipped, the manifest goes after its blobs, the tag last).
 *
 * <p>Tag and ref: {@code REGISTRY/REPO:TAG} gives the tag; {@code --ref} gives the git ref. With only a ref, the
 * tag is {@link RefTags#toTag}(ref); with only a tag, the ref is {@link RefTags#fromTag}(tag); with neither, the
 * ref is the checked-out git branch of DIR. The ref is recorded verbatim in the manifest annotations.
 */
public final class Push {
    private Push() {}

    /** {@code base}: a tag or digest of a previous push in the destination to rebase on (spec/README.md 3.6), or null. */
    public record Request(Path dir, String destination, String name, String namefile, Path registryFile, String ref,
                          Map<String, String> annotations, String mountFrom, int maxLayers, boolean plainHttp,
                          Path caFile, String created, String sourceUrl, String repo, Map<String, String> env,
                          Consumer<String> progress, String base, CopyListener listener, ModelImage.Options image) {
        public Request(Path dir, String destination, String name, String namefile, Path registryFile, String ref,
                       Map<String, String> annotations, String mountFrom, int maxLayers, boolean plainHttp,
                       Path caFile, String created, String sourceUrl, String repo, Map<String, String> env,
                       Consumer<String> progress) {
            this(dir, destination, name, namefile, registryFile, ref, annotations, mountFrom, maxLayers, plainHttp,
                    caFile, created, sourceUrl, repo, env, progress, null, null, null);
        }

        /**
         * The common case for library callers: index {@code dir} (models named {@code name}/..., found by
         * {@code mfsim.nam}) and push it to {@code destination} for git ref {@code ref} (null: the destination's tag),
         * with the defaults of the command line and the process environment (credentials, SOURCE_DATE_EPOCH).
         */
        public static Request of(Path dir, String destination, String name, String ref) {
            return new Request(dir, destination, name, IndexOptions.DEFAULT_NAMEFILE, null, ref, Map.of(), null,
                    LayerPlanner.DEFAULT_MAX_LAYERS, false, null, null, null, null, System.getenv(), null);
        }

        public Request withBase(String base) {
            return new Request(dir, destination, name, namefile, registryFile, ref, annotations, mountFrom, maxLayers,
                    plainHttp, caFile, created, sourceUrl, repo, env, progress, base, listener, image);
        }

        /** The hooks of the upload (a progress display). */
        public Request withListener(CopyListener l) {
            return new Request(dir, destination, name, namefile, registryFile, ref, annotations, mountFrom, maxLayers,
                    plainHttp, caFile, created, sourceUrl, repo, env, progress, base, l, image);
        }

        /** Push a model image (spec/README.md 3.11) instead of an artifact. */
        public Request withImage(ModelImage.Options o) {
            return new Request(dir, destination, name, namefile, registryFile, ref, annotations, mountFrom, maxLayers,
                    plainHttp, caFile, created, sourceUrl, repo, env, progress, base, listener, o);
        }
    }

    public record Result(Digest digest, String tag, String ref, String reference, int files, int layers,
                         long bytesUploaded, long bytesSkipped, int blobsUploaded, int blobsSkipped, int blobsMounted,
                         int manifestBytes) {}

    public static Result run(Request r) throws IOException {
        Consumer<String> progress = r.progress() == null ? s -> { } : r.progress();
        if (!Files.isDirectory(r.dir())) {
            throw new NoSuchFileException(r.dir().toString(), null, Files.exists(r.dir())
                    ? "not a directory (push indexes a directory of models)" : "no such directory");
        }
        boolean tarOnly = r.image() != null && r.image().toTar() != null && r.destination() == null;
        if (r.image() == null && r.destination() == null) {
            throw new IllegalArgumentException("no destination: want REGISTRY/REPOSITORY[:TAG], oci-layout:DIR[:TAG] or oci-archive:FILE[:TAG]");
        }
        if (r.image() != null && r.base() != null) {
            throw new IllegalArgumentException("--base rebases an artifact on delta layers; an image has none (its base image is --base-image FILE.tar)");
        }
        Destination dest = tarOnly ? null : Destination.parse(r.destination());
        String ref = r.ref();
        String tag = dest == null ? null : dest.tag();
        if (ref == null && tag == null) {
            ref = Git.currentBranch(r.dir());
            if (ref == null) {
                throw new IllegalArgumentException("no tag: give REGISTRY/REPOSITORY:TAG (or oci-layout:DIR:TAG) or --ref REF");
            }
        }
        if (tag == null) tag = RefTags.toTag(ref);
        if (ref == null) ref = refOfTag(tag);

        progress.accept("indexing " + r.dir());
        Loaded loaded = r.registryFile() != null ? fromRegistryFile(r) : fromTree(r);
        if (loaded.registry.files().isEmpty()) {
            throw new IllegalArgumentException("nothing to push: no model files in " + r.dir()
                    + (r.registryFile() != null ? " listed by " + r.registryFile()
                    : " (no directory holds a file matching '" + (r.namefile() == null ? IndexOptions.DEFAULT_NAMEFILE : r.namefile()) + "')"));
        }
        String sourceUrl = r.sourceUrl() != null ? r.sourceUrl()
                : r.repo() != null ? GitHubUrls.repositoryPage(GitHubUrls.Repo.parse(r.repo()))
                : Git.githubOrigin(r.dir());
        Map<String, String> ann = ManifestAnnotations.of(r.dir(), ref, sourceUrl, r.created(), r.env(), r.annotations());

        RegistryOptions ro = RegistryOptions.fromEnvironment(r.env());
        if (r.caFile() != null) ro = ro.withCaFile(r.caFile());
        if (r.plainHttp()) ro = ro.withPlainHttp(Boolean.TRUE);
        if (r.image() != null) return pushImage(loaded, dest, tag, ref, ann, ro, r, progress);
        return push(loaded, dest, tag, ref, ann, ro, r.base(), r.mountFrom(), r.maxLayers(), r.listener(), progress);
    }

    /**
     * Pushes a registry file that is already known, byte for byte, as the config of a new artifact: the files it lists
     * are read from {@code files} (key -> where the bytes are, e.g. a content-addressed cache), each hashed once and
     * checked against the registry's hash, then laid out by the same layer planning as a push of a directory.
     * {@code destination} is {@code REGISTRY/REPO}, {@code oci-layout:DIR} or {@code oci-archive:FILE} with or without a
     * tag; {@code tag} (if not null) replaces its tag. The manifest is annotated with {@code ref} and {@code sourceUrl};
     * its creation time is {@code SOURCE_DATE_EPOCH} or the epoch, so the same inputs give the same digest.
     */
    public static Result pushRegistry(byte[] config, String label, Map<String, Path> files, String destination,
                                      String tag, String ref, String sourceUrl, RegistryOptions ro,
                                      CopyListener listener, Consumer<String> progress) throws IOException {
        Consumer<String> p = progress == null ? s -> { } : progress;
        Destination dest = Destination.parse(destination);
        String t = tag != null ? tag : dest.tag() != null ? dest.tag() : ref == null ? null : RefTags.toTag(ref);
        if (t == null) throw new IllegalArgumentException("no tag for " + label + ": give DESTINATION:TAG");
        ModelsToml registry = ModelsTomlCodec.read(config, label);
        List<String> unhashed = registry.files().entrySet().stream().filter(e -> e.getValue().hash() == null)
                .map(Map.Entry::getKey).toList();
        if (!unhashed.isEmpty()) {
            // the config is these bytes, and OCI consumers verify every file against its hash in them
            throw new IllegalArgumentException(label + ": " + unhashed.size() + " of " + registry.files().size()
                    + " files have no hash (first: '" + unhashed.get(0) + "'), so it cannot be the config of an OCI"
                    + " artifact; publish a models.toml with hashes (modelreg make-registry)");
        }
        Loaded loaded = verified(registry, config, new TreeMap<>(files), label);
        Map<String, String> ann = ManifestAnnotations.of(null, ref, sourceUrl, null, System.getenv(), null);
        return push(loaded, dest, t, ref, ann, ro, null, null, LayerPlanner.DEFAULT_MAX_LAYERS, listener, p);
    }

    private static Result push(Loaded loaded, Destination dest, String tag, String ref, Map<String, String> ann,
                               RegistryOptions ro, String baseRef, String mountFrom, int maxLayers,
                               CopyListener listener, Consumer<String> progress) throws IOException {
        try (Targets.Opened opened = Targets.open(dest.target(), ro)) {
            DeltaPlanner.Base base = baseRef == null ? null : base(opened.target(), baseRef, progress);
            progress.accept("building layers for " + Text.count(loaded.registry.files().size(), "file"));
            try (ModelSet set = ModelSet.build(loaded.registry, loaded.config, loaded.sources, ann, maxLayers,
                    LayerPlanner.LARGE_FILE_THRESHOLD, IndexOptions.defaultThreads(), base)) {
                progress.accept("pushing " + set.plan().layers().size() + " layers to " + opened.target().name()
                        + (set.plan().baseLayers() > 0 ? " (" + set.plan().baseLayers() + " kept from the base)" : ""));
                CopyOptions co = CopyOptions.of(ro).withListener(listener);
                if (mountFrom != null) co = co.withMountFrom(mountFrom);
                CopyResult cr = Copy.copy(set.content(), set.descriptor(), opened.target(), tag, co);
                opened.commit(); // an oci-archive: file is written here
                String reference = dest.target().withTag(tag).withDigest(set.descriptor().digest()).toString();
                return new Result(set.descriptor().digest(), tag, ref, reference, loaded.registry.files().size(),
                        set.manifest().layers().size(), cr.bytesCopied(), cr.bytesSkipped(), cr.blobsCopied(),
                        cr.blobsSkipped(), cr.blobsMounted(), (int) set.descriptor().size());
            }
        }
    }

    /**
     * Builds the model image with jib ({@link ModelImage}), then copies it with the one engine to the destination (if
     * any) and writes the docker-archive tar (if asked). Without a destination the result names the tar.
     */
    private static Result pushImage(Loaded loaded, Destination dest, String tag, String ref, Map<String, String> ann,
                                    RegistryOptions ro, Request r, Consumer<String> progress) throws IOException {
        progress.accept("building the image of " + loaded.registry.files().size() + " files under " + r.image().root());
        try (ModelImage image = ModelImage.build(loaded.registry, loaded.config, loaded.sources, ann, r.image(), r.maxLayers())) {
            CopyResult cr = null;
            String reference;
            if (dest != null) {
                try (Targets.Opened opened = Targets.open(dest.target(), ro)) {
                    progress.accept("pushing " + image.manifest().layers().size() + " layers to " + opened.target().name());
                    CopyOptions co = CopyOptions.of(ro).withListener(r.listener());
                    if (r.mountFrom() != null) co = co.withMountFrom(r.mountFrom());
                    cr = Copy.copy(image, image.descriptor(), opened.target(), tag, co);
                    opened.commit();
                }
                reference = dest.target().withTag(tag).withDigest(image.descriptor().digest()).toString();
            } else {
                reference = r.image().toTar().toString();
            }
            if (r.image().toTar() != null) {
                String name = dest != null && dest.target().kind() == Reference.Kind.REGISTRY
                        ? dest.target().withTag(tag).toString() : "modelreg/models:" + tag;
                progress.accept("writing the docker-archive tar " + r.image().toTar() + " (" + name + ")");
                image.writeDockerTar(r.image().toTar(), name);
            }
            return new Result(image.descriptor().digest(), tag, ref, reference, loaded.registry.files().size(),
                    image.manifest().layers().size(), cr == null ? 0 : cr.bytesCopied(), cr == null ? 0 : cr.bytesSkipped(),
                    cr == null ? 0 : cr.blobsCopied(), cr == null ? 0 : cr.blobsSkipped(), cr == null ? 0 : cr.blobsMounted(),
                    (int) image.descriptor().size());
        }
    }

    /**
     * The base manifest and registry, read from the destination and verified; null (a full push) if not there.
     * {@code ref} is a tag, a digest, or a git ref (mapped with {@link RefTags#toTag}, so CI can pass the branch).
     */
    private static DeltaPlanner.Base base(dev.modelreg.content.Target target, String ref, Consumer<String> progress)
            throws IOException {
        Descriptor md;
        try {
            md = target.resolve(Digest.isDigest(ref) || OciReference.isTag(ref) ? ref : RefTags.toTag(ref));
        } catch (dev.modelreg.content.ContentException e) {
            // a repository that does not exist yet may answer 401/403 rather than 404 (ghcr.io does): the push
            // itself reports real credential problems
            switch (e.kind()) {
                case NOT_FOUND, DENIED, UNAUTHORIZED -> {
                    progress.accept("base " + ref + " is not in " + target.name() + " (" + e.getMessage()
                            + "): pushing full layers");
                    return null;
                }
                default -> throw e;
            }
        }
        String what = "base " + ref + " (" + md.digest() + ") in " + target.name();
        Manifest m = Manifest.parse(Manifests.read(target, md, what), what);
        if (!MediaTypes.CONFIG.equals(m.config().mediaType())) {
            throw new IllegalArgumentException(what + " is not a modelreg model set (config media type "
                    + m.config().mediaType() + ")");
        }
        Limits.checkRegistrySize(m.config().size(), what + ": config " + m.config().digest());
        byte[] config = readVerified(target, m.config(), "models.toml of " + what);
        return new DeltaPlanner.Base(m, ModelsTomlCodec.read(config, "models.toml of " + what));
    }

    private static byte[] readVerified(dev.modelreg.content.Target target, Descriptor d, String what) throws IOException {
        return VerifiedRead.read(target, d, Limits.MAX_REGISTRY_BYTES, what);
    }

    private static String refOfTag(String tag) {
        try {
            return RefTags.fromTag(tag);
        } catch (IllegalArgumentException e) {
            return tag;
        }
    }

    private record Loaded(ModelsToml registry, byte[] config, ModelSet.Sources sources) {}

    private static Loaded fromTree(Request r) throws IOException {
        if (r.name() == null || r.name().isBlank()) {
            throw new IllegalArgumentException("give --name PREFIX (the model name prefix) or --registry-file models.toml");
        }
        IndexOptions o = IndexOptions.of(r.name()).withNamefile(r.namefile())
                .withSkipDir(r.dir().resolve(MakeRegistry.DEFAULT_OUTPUT));
        Index index = Indexer.index(r.dir(), o);
        Map<String, Digest> digests = new HashMap<>();
        index.registry().files().forEach((k, f) -> digests.put(k, f.hash()));
        return new Loaded(index.registry(), ModelsTomlCodec.write(index.registry()),
                new ModelSet.Sources(index.paths(), index.sizes(), digests));
    }

    /** The given models.toml is the config, byte for byte; every file it names must be in DIR with its hash. */
    private static Loaded fromRegistryFile(Request r) throws IOException {
        byte[] config = dev.modelreg.spec.LocalFiles.read(r.registryFile(), "--registry-file",
                dev.modelreg.spec.Limits.MAX_REGISTRY_BYTES);
        ModelsToml registry = ModelsTomlCodec.read(config, r.registryFile().toString());
        Path base = r.dir().toAbsolutePath().normalize();
        TreeMap<String, Path> paths = new TreeMap<>();
        for (String key : registry.files().keySet()) {
            Path p = base.resolve(key).normalize();
            if (!p.startsWith(base) || key.startsWith("/") || key.contains("\\")) {
                throw new IllegalArgumentException(r.registryFile() + ": file key '" + key + "' is not a relative path inside " + r.dir());
            }
            if (!Files.isRegularFile(p)) {
                throw new NoSuchFileException(p.toString(), null, "listed in " + r.registryFile() + " as '" + key + "' but missing");
            }
            paths.put(key, p);
        }
        return verified(registry, config, paths, r.registryFile().toString());
    }

    /** Every file of {@code registry} hashed once from {@code paths} and checked against its hash. */
    private static Loaded verified(ModelsToml registry, byte[] config, TreeMap<String, Path> paths, String label)
            throws IOException {
        for (String key : registry.files().keySet()) {
            if (!paths.containsKey(key)) throw new IllegalArgumentException(label + ": no content for file '" + key + "'");
        }
        Map<String, Hashing.Hashed> hashed = Indexer.hashAll(paths, IndexOptions.defaultThreads());
        Map<String, Digest> digests = new HashMap<>();
        Map<String, Long> sizes = new HashMap<>();
        for (Map.Entry<String, FileEntry> e : registry.files().entrySet()) {
            Hashing.Hashed h = hashed.get(e.getKey());
            Digest want = e.getValue().hash();
            if (want != null && !want.equals(h.digest())) {
                throw VerifyingInputStream.mismatch("file '" + e.getKey() + "' listed in " + label, want,
                        h.digest(), h.size());
            }
            Long size = e.getValue().size();
            if (size != null && size != h.size()) {
                throw VerifyingInputStream.sizeMismatch("file '" + e.getKey() + "' listed in " + label, size, h.size());
            }
            digests.put(e.getKey(), h.digest());
            sizes.put(e.getKey(), h.size());
        }
        return new Loaded(registry, config, new ModelSet.Sources(paths, sizes, digests));
    }

    /** The destination parsed with the one reference grammar: the store (no tag) and the tag (null if none). */
    record Destination(Reference target, String tag) {
        static Destination parse(String text) {
            if (text == null || text.isBlank()) throw new IllegalArgumentException("no destination: want REGISTRY/REPOSITORY[:TAG], oci-layout:DIR[:TAG] or oci-archive:FILE[:TAG]");
            Reference ref = Reference.parse(text);
            if (ref.digest() != null) throw new IllegalArgumentException("push needs a tag, not a digest: '" + text + "'");
            return new Destination(ref.withTag(null), ref.tag());
        }
    }
}
