package dev.modelreg.publisher;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import dev.modelreg.content.fs.AtomicFiles;
import dev.modelreg.content.fs.Cleanup;
import dev.modelreg.content.ContentException;
import dev.modelreg.content.fs.Crash;
import dev.modelreg.content.DigestingOutputStream;
import dev.modelreg.content.fs.Leftovers;
import dev.modelreg.content.Manifests;
import dev.modelreg.content.store.OciArchive;
import dev.modelreg.content.ReadOnlyStorage;
import dev.modelreg.content.fs.Trees;
import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.ImageIndex;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.Modelcar;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.RegistryFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model image (spec/README.md 3.11), built by jib-core and moved by our engine. jib builds the layers (reproducible:
 * sorted entries, fixed mtimes, uid/gid 0, mode 644 for files and 755 for directories, gzip), the image config and a
 * manifest into an OCI tar in a staging directory, with no network; this class reads that tar with {@link OciArchive},
 * adds the annotations that map layers to models (the manifest is rewritten, the blobs are jib's), and serves it as a
 * read-only store, so pushing it is the generic {@code Copy}. {@link #writeDockerTar} asks jib for the same image in
 * the docker-archive form that {@code docker load} reads.
 */
final class ModelImage implements ReadOnlyStorage, AutoCloseable {

    /** One planned image layer: the groups it holds and their file keys. */
    record Group(SortedSet<String> groups, SortedSet<String> keys, long bytes) {}

    private final Path staging;
    private final OciArchive archive;
    private final Manifest manifest;
    private final byte[] manifestBytes;
    private final Descriptor descriptor;
    private final JibContainerBuilder builder;

    private ModelImage(Path staging, OciArchive archive, Manifest manifest, JibContainerBuilder builder) {
        this.staging = staging;
        this.archive = archive;
        this.manifest = manifest;
        this.manifestBytes = manifest.toBytes();
        this.descriptor = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256Of(manifestBytes), manifestBytes.length);
        this.builder = builder;
    }

    public Manifest manifest() {
        return manifest;
    }

    public Descriptor descriptor() {
        return descriptor;
    }

    /**
     * Builds the image of {@code registry} (the config bytes are its models.toml, put at ROOT/models.toml): one layer
     * for models.toml and the files no model lists, one per model group (merged, the two smallest first, to stay within
     * {@code maxLayers} with the base image's layers), each annotated with its groups.
     */
    static ModelImage build(ModelsToml registry, byte[] config, ModelSet.Sources files, Map<String, String> annotations,
                            ImageOptions o, int maxLayers) throws IOException {
        try {
            Limits.checkRegistrySize(config.length, "the registry file (models.toml)");
        } catch (IllegalArgumentException e) {
            throw new RegistryFormatException(e.getMessage());
        }
        dev.modelreg.spec.ModelsTomlCodec.checkLimits(registry, "the registry file (models.toml)");
        if (registry.files().containsKey(Modelcar.REGISTRY_FILE)) {
            throw PublishException.invalid("file '" + Modelcar.REGISTRY_FILE + "' at the top of the tree would be"
                    + " replaced by the image's registry file " + o.root() + "/" + Modelcar.REGISTRY_FILE + ": rename it");
        }
        if (maxLayers < 2) throw PublishException.invalid("--max-layers must be at least 2 for an image (models.toml and one model)");
        Digest regDigest = Digest.sha256Of(config);
        SortedMap<String, SortedSet<String>> groups = dev.modelreg.spec.FileGroups.groups(registry);
        List<Group> planned = plan(groups, files.sizes(), maxLayers - 1);
        Path staging = Leftovers.tempDir("modelreg-image-"); // removed by an interrupt too
        try {
            Path regFile = staging.resolve(Modelcar.REGISTRY_FILE);
            Files.write(regFile, config);
            Map<String, String> labels = new TreeMap<>(annotations);
            labels.put(Modelcar.ROOT, o.root());
            labels.put(Modelcar.REGISTRY, regDigest.toString());
            Instant created = Instant.parse(annotations.getOrDefault(Annotations.CREATED, ManifestAnnotations.EPOCH));

            List<FileEntriesLayer> layers = new ArrayList<>();
            FileEntriesLayer.Builder first = FileEntriesLayer.builder().setName("models.toml");
            entry(first, regFile, o.root() + "/" + Modelcar.REGISTRY_FILE);
            for (String k : groups.getOrDefault("", new TreeSet<>())) entry(first, files.paths().get(k), o.root() + "/" + k);
            layers.add(first.build());
            for (Group g : planned) {
                FileEntriesLayer.Builder b = FileEntriesLayer.builder().setName(g.groups().first());
                for (String k : g.keys()) entry(b, files.paths().get(k), o.root() + "/" + k);
                layers.add(b.build());
            }
            JibContainerBuilder jib = (o.baseImage() == null ? Jib.fromScratch() : Jib.from(TarImage.at(base(o.baseImage()))))
                    .setCreationTime(created).setLabels(labels).setFileEntriesLayers(layers);
            Path tar = staging.resolve("image.tar");
            containerize(jib.setFormat(ImageFormat.OCI), tar, "modelreg/image", staging);
            OciArchive archive = OciArchive.open(tar);
            try {
                Manifest built = jibManifest(archive);
                Manifest m = annotate(built, planned, regDigest, o.root(), annotations, maxLayers, o.baseImage());
                check(archive, m, planned, groups.getOrDefault("", new TreeSet<>()), files, regDigest, o.root());
                if (m.toBytes().length > Limits.MAX_MANIFEST_BYTES) {
                    throw new IOException("the image manifest would be " + m.toBytes().length + " bytes, over the "
                            + Limits.MAX_MANIFEST_BYTES + "-byte limit registries enforce: lower --max-layers");
                }
                return new ModelImage(staging, archive, m, jib);
            } catch (IOException | RuntimeException e) {
                archive.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            Leftovers.removeTempDir(staging);
            throw e;
        }
    }

    /**
     * One layer per non-empty model group, sorted by group; while there are more than {@code limit}, the two with the
     * fewest bytes (ties: the smaller first group) are merged (spec/README.md 3.3 step b).
     */
    static List<Group> plan(SortedMap<String, SortedSet<String>> groups, Map<String, Long> sizes, int limit) {
        List<Group> out = new ArrayList<>();
        groups.forEach((g, keys) -> {
            if (g.isEmpty() || keys.isEmpty()) return;
            long bytes = keys.stream().mapToLong(k -> sizes.getOrDefault(k, 0L)).sum();
            out.add(new Group(new TreeSet<>(List.of(g)), new TreeSet<>(keys), bytes));
        });
        java.util.Comparator<Group> small = java.util.Comparator.comparingLong(Group::bytes)
                .thenComparing(g -> g.groups().first());
        while (out.size() > Math.max(1, limit)) {
            out.sort(small);
            Group a = out.remove(0);
            Group b = out.remove(0);
            TreeSet<String> gs = new TreeSet<>(a.groups());
            gs.addAll(b.groups());
            TreeSet<String> ks = new TreeSet<>(a.keys());
            ks.addAll(b.keys());
            out.add(new Group(gs, ks, a.bytes() + b.bytes()));
        }
        out.sort(java.util.Comparator.comparing(g -> g.groups().first()));
        return out;
    }

    private static void entry(FileEntriesLayer.Builder b, Path source, String inImage) {
        b.addEntry(source, AbsoluteUnixPath.get(inImage), FilePermissions.DEFAULT_FILE_PERMISSIONS,
                FileEntriesLayer.DEFAULT_MODIFICATION_TIME, "0:0");
    }

    private static Path base(Path tar) throws PublishException {
        if (!Files.isRegularFile(tar)) {
            throw PublishException.invalid("--base-image " + tar + ": no such file (a docker-archive tar: what"
                    + " 'docker save', 'skopeo copy ... docker-archive:FILE' or 'modelreg push --image --to-tar' write;"
                    + " a registry image is not read as a base: save it first, skopeo copy docker://IMAGE docker-archive:FILE)");
        }
        return tar;
    }

    /** Runs jib offline into {@code tar} (its layer caches in the staging directory, nothing in the user's home). */
    private static void containerize(JibContainerBuilder jib, Path tar, String name, Path staging) throws IOException {
        try {
            jib.containerize(Containerizer.to(TarImage.at(tar).named(name))
                    .setApplicationLayersCache(staging.resolve("jib-cache"))
                    .setBaseImageLayersCache(staging.resolve("jib-base-cache"))
                    .setOfflineMode(true).setToolName("modelreg").setToolVersion("image-v1"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("image build interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            if (c instanceof IOException io) throw new IOException("building the image: " + io.getMessage(), io);
            throw new IOException("building the image: " + c, c);
        } catch (com.google.cloud.tools.jib.api.InvalidImageReferenceException e) {
            throw new PublishException(PublishException.Kind.INVALID, "image name '" + name + "': " + e.getMessage(), e);
        } catch (com.google.cloud.tools.jib.api.CacheDirectoryCreationException
                 | com.google.cloud.tools.jib.api.RegistryException e) {
            throw new IOException("building the image: " + e.getMessage(), e);
        }
    }

    /** The one manifest jib wrote, read and checked by our own OCI archive reader. */
    private static Manifest jibManifest(OciArchive archive) throws IOException {
        List<ImageIndex.Named> refs = archive.refs();
        if (refs.size() != 1) throw new IOException("jib wrote " + refs.size() + " manifests, want 1");
        Descriptor d = refs.get(0).manifest();
        return Manifest.parse(Manifests.read(archive, d, "jib's manifest"), "jib's manifest");
    }

    /**
     * Reads every layer jib built back (gunzip, tar) and checks that it holds exactly its planned files, each with the
     * hash models.toml gives it: jib reads the files again after they were indexed, and what is published must be
     * what models.toml says (a file changed meanwhile fails the push).
     */
    private static void check(OciArchive archive, Manifest m, List<Group> planned, SortedSet<String> shared,
                              ModelSet.Sources files, Digest reg, String root) throws IOException {
        int first = m.layers().size() - planned.size() - 1;
        for (int i = 0; i <= planned.size(); i++) {
            Descriptor l = m.layers().get(first + i);
            Map<String, Digest> want = new TreeMap<>();
            for (String k : i == 0 ? shared : planned.get(i - 1).keys()) want.put(k, files.digests().get(k));
            if (i == 0) want.put(Modelcar.REGISTRY_FILE, reg);
            String prefix = root.substring(1) + "/";
            String what = "the built layer " + l.digest();
            java.util.Set<String> seen = new java.util.HashSet<>();
            dev.modelreg.content.tar.TarStream tar = new dev.modelreg.content.tar.TarStream((name, size) -> {
                String key = name.startsWith(prefix) ? name.substring(prefix.length()) : null;
                Digest d = key == null ? null : want.get(key);
                if (d == null || !seen.add(key)) throw new IOException(what + " holds an unplanned file '" + name + "'");
                DigestingOutputStream out = new DigestingOutputStream(java.io.OutputStream.nullOutputStream());
                return new dev.modelreg.content.tar.TarStream.Member() {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        if (!out.digest().equals(d)) {
                            throw new IOException("file '" + key + "' changed while the image was built (its hash in"
                                    + " models.toml is " + d.hex() + ", the image holds " + out.digest().hex() + ")");
                        }
                    }
                };
            }, what);
            dev.modelreg.content.BlobSink sink = new dev.modelreg.content.tar.GunzipSink(tar, Limits.MAX_LAYER_EXPANDED_BYTES, what);
            try (InputStream in = new dev.modelreg.content.VerifyingInputStream(archive.fetch(l), l, what)) {
                byte[] buf = new byte[256 << 10];
                for (int n; (n = in.read(buf)) >= 0; ) if (n > 0) sink.write(buf, 0, n);
            }
            sink.finish();
            if (!seen.equals(want.keySet())) throw new IOException(what + " lacks planned files");
        }
    }

    /** jib's manifest with the modelcar annotations: the last layers are ours, in planned order. */
    private static Manifest annotate(Manifest built, List<Group> planned, Digest reg, String root,
                                     Map<String, String> annotations, int maxLayers, Path base) throws IOException {
        int ours = 1 + planned.size();
        int baseLayers = built.layers().size() - ours;
        if (baseLayers < 0) throw new IOException("jib built " + built.layers().size() + " layers, want at least " + ours);
        if (built.layers().size() > maxLayers) {
            throw PublishException.invalid("the image would have " + built.layers().size() + " layers (" + baseLayers
                    + " of the base image " + base + "), more than --max-layers " + maxLayers);
        }
        List<Descriptor> layers = new ArrayList<>(built.layers().subList(0, baseLayers));
        for (int i = 0; i < ours; i++) {
            Descriptor l = built.layers().get(baseLayers + i);
            TreeMap<String, String> ann = new TreeMap<>();
            if (i == 0) {
                ann.put(Modelcar.REGISTRY, reg.toString());
                ann.put(Annotations.GROUP, "");
                ann.put(Annotations.TITLE, Modelcar.REGISTRY_FILE);
            } else {
                Group g = planned.get(i - 1);
                if (g.groups().size() == 1) ann.put(Annotations.GROUP, g.groups().first());
                else ann.put(Annotations.GROUPS, Json.write(new ArrayList<>(g.groups())));
                ann.put(Annotations.FILE_COUNT, Integer.toString(g.keys().size()));
            }
            layers.add(l.withAnnotations(ann));
        }
        TreeMap<String, String> ann = new TreeMap<>(annotations);
        ann.put(Modelcar.ROOT, root);
        ann.put(Modelcar.REGISTRY, reg.toString());
        return new Manifest(null, built.config(), layers, ann);
    }

    /**
     * Writes the same image as a docker-archive tar ({@code manifest.json}, what {@code docker load} and
     * {@code skopeo ... docker-archive:} read) to {@code file}, named {@code name}: jib builds it again from its layer
     * cache, in its docker format. jib opens its output by name (following links), so it writes into a private
     * directory {@code .FILE.building-PID-*} beside {@code file} (mode 0700: no one else can plant a link in it), and
     * the tar is flushed to disk and renamed into place when complete ({@link AtomicFiles#commit}). What a killed run
     * left there is removed first (spec/README.md 9.2).
     */
    void writeDockerTar(Path file, String name) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        String prefix = "." + abs.getFileName() + ".building-";
        removeLeftovers(dir, abs.getFileName().toString(), prefix);
        Path building = Files.createTempDirectory(dir, prefix + Leftovers.ownerTag());
        Cleanup.register(building);
        try {
            Path tmp = building.resolve(abs.getFileName());
            containerize(builder.setFormat(ImageFormat.Docker), tmp, name, staging);
            Crash.point("image-tar.before-rename");
            AtomicFiles.commit(tmp, abs);
        } finally {
            Leftovers.removeTempDir(building);
        }
    }

    /** Pattern of the temp files earlier versions wrote beside the tar ({@code Files.createTempFile}: no PID in the name). */
    private static final Pattern OLD_TEMP = Pattern.compile("\\.(.+)\\.\\d+\\.partial");

    /**
     * Removes the building directories of {@code dir} whose process is gone, and the PID-less temp files of earlier
     * versions for the same tar once they are 10 minutes old (a writer still writing would have touched it since).
     */
    private static void removeLeftovers(Path dir, String tarName, String prefix) throws IOException {
        for (Path dead : Leftovers.stale(dir, prefix)) Trees.deleteQuietly(dead);
        Instant cutoff = Instant.now().minusSeconds(600);
        try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> {
            Matcher m = OLD_TEMP.matcher(p.getFileName().toString());
            return m.matches() && m.group(1).equals(tarName);
        })) {
            for (Path p : ds) {
                if (Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(cutoff)) Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public boolean exists(Descriptor d) throws IOException {
        return d.digest().equals(descriptor.digest()) || archive.exists(d);
    }

    @Override
    public InputStream fetch(Descriptor d) throws IOException {
        if (d.digest().equals(descriptor.digest())) return new ByteArrayInputStream(manifestBytes);
        if (!archive.exists(d)) throw ContentException.notFound("built image: no blob " + d.digest());
        return archive.fetch(d);
    }

    @Override
    public String toString() {
        return "the built image";
    }

    @Override
    public void close() {
        try {
            archive.close();
        } catch (IOException ignored) {
            // only the staging directory is left, removed next
        }
        Leftovers.removeTempDir(staging);
    }
}
