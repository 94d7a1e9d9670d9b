package dev.modelreg.publisher;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.Manifests;
import dev.modelreg.content.Target;
import dev.modelreg.content.Hashing;
import dev.modelreg.content.VerifiedRead;
import dev.modelreg.content.VerifyingInputStream;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.LocalFiles;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import dev.modelreg.spec.OciReference;
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
 * What a push reads before it builds anything: the registry and where each of its files is (indexed from a tree, a
 * given models.toml checked against the tree, or a known registry with its files elsewhere), every file hashed once
 * and checked; and the base of a delta push, read from the destination and verified.
 */
final class PushInputs {
    private PushInputs() {}

    /** The registry, its bytes (the config) and where each file's verified content is. */
    record Loaded(ModelsToml registry, byte[] config, ModelSet.Sources sources) {}

    /** DIR indexed into a new models.toml: its models are named PREFIX/..., found by the namefile glob. */
    static Loaded fromTree(Path dir, String name, String namefile) throws IOException {
        if (name == null || name.isBlank()) {
            throw PublishException.invalid("give --name PREFIX (the model name prefix) or --registry-file models.toml");
        }
        IndexOptions o = new IndexOptions(name, namefile, null, null, false, dir.resolve(MakeRegistry.DEFAULT_OUTPUT),
                IndexOptions.defaultThreads());
        Index index = Indexer.index(dir, o);
        Map<String, Digest> digests = new HashMap<>();
        index.registry().files().forEach((k, f) -> digests.put(k, f.hash()));
        return new Loaded(index.registry(), ModelsTomlCodec.write(index.registry()),
                new ModelSet.Sources(index.paths(), index.sizes(), digests));
    }

    /** The given models.toml is the config, byte for byte; every file it names must be in DIR with its hash. */
    static Loaded fromRegistryFile(Path dir, Path registryFile) throws IOException {
        byte[] config = LocalFiles.read(registryFile, "--registry-file", Limits.MAX_REGISTRY_BYTES);
        ModelsToml registry = ModelsTomlCodec.read(config, registryFile.toString());
        Path base = dir.toAbsolutePath().normalize();
        TreeMap<String, Path> paths = new TreeMap<>();
        for (String key : registry.files().keySet()) {
            Path p = base.resolve(key).normalize();
            if (!p.startsWith(base) || key.startsWith("/") || key.contains("\\")) {
                throw PublishException.invalid(registryFile + ": file key '" + key + "' is not a relative path inside " + dir);
            }
            if (!Files.isRegularFile(p)) {
                throw new NoSuchFileException(p.toString(), null, "listed in " + registryFile + " as '" + key + "' but missing");
            }
            paths.put(key, p);
        }
        return verified(registry, config, paths, registryFile.toString());
    }

    /** A registry known byte for byte whose files are elsewhere (a cache): every file must be hashed in it. */
    static Loaded fromKnown(KnownRegistry known) throws IOException {
        ModelsToml registry = ModelsTomlCodec.read(known.config(), known.label());
        List<String> unhashed = registry.files().entrySet().stream().filter(e -> e.getValue().hash() == null)
                .map(Map.Entry::getKey).toList();
        if (!unhashed.isEmpty()) {
            // the config is these bytes, and OCI consumers verify every file against its hash in them
            throw PublishException.invalid(known.label() + ": " + unhashed.size() + " of " + registry.files().size()
                    + " files have no hash (first: '" + unhashed.get(0) + "'), so it cannot be the config of an OCI"
                    + " artifact; publish a models.toml with hashes (modelreg make-registry)");
        }
        return verified(registry, known.config(), new TreeMap<>(known.files()), known.label());
    }

    /** Every file of {@code registry} hashed once from {@code paths} and checked against its hash. */
    private static Loaded verified(ModelsToml registry, byte[] config, TreeMap<String, Path> paths, String label)
            throws IOException {
        for (String key : registry.files().keySet()) {
            if (!paths.containsKey(key)) throw PublishException.invalid(label + ": no content for file '" + key + "'");
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

    /**
     * The base manifest and registry, read from the destination and verified; null (a full push) if not there.
     * {@code ref} is a tag, a digest, or a git ref (mapped with {@link RefTags#toTag}, so CI can pass the branch).
     */
    static DeltaPlanner.Base base(Target target, String ref, Consumer<String> progress) throws IOException {
        Descriptor md;
        try {
            md = target.resolve(Digest.isDigest(ref) || OciReference.isTag(ref) ? ref : RefTags.toTag(ref));
        } catch (ContentException e) {
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
            throw PublishException.invalid(what + " is not a modelreg model set (config media type "
                    + m.config().mediaType() + ")");
        }
        Limits.checkRegistrySize(m.config().size(), what + ": config " + m.config().digest());
        byte[] config = readVerified(target, m.config(), "models.toml of " + what);
        return new DeltaPlanner.Base(m, ModelsTomlCodec.read(config, "models.toml of " + what));
    }

    private static byte[] readVerified(Target target, Descriptor d, String what) throws IOException {
        return VerifiedRead.read(target, d, Limits.MAX_REGISTRY_BYTES, what);
    }
}
