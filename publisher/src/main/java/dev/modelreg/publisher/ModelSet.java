package dev.modelreg.publisher;

import dev.modelreg.content.Parallel;
import dev.modelreg.spec.Limits;
import dev.modelreg.content.DigestingOutputStream;
import dev.modelreg.content.fs.SafeFiles;
import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.ModelsTomlCodec;
import dev.modelreg.spec.RegistryFormatException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One ref's model set as an OCI artifact: the manifest (canonical bytes), and the staged blobs it points at.
 * {@link #build} plans the layers, writes each tar layer once into the staging directory while hashing it, and
 * assembles the manifest: artifactType {@link MediaTypes#ARTIFACT_TYPE}, config = the exact models.toml bytes.
 */
record ModelSet(Manifest manifest, Descriptor descriptor, StagedContent content, LayerPlan plan) implements AutoCloseable {
    /** Registries refuse bigger manifests (distribution's default limit). */
    /** Annotation of a tar layer that holds several groups (merged to fit the layer limit): a JSON array of names. */
    public static final String GROUPS_ANNOTATION = Annotations.GROUPS;

    /** Files of the registry: where each key's bytes are, how many, and their sha256. */
    public record Sources(Map<String, Path> paths, Map<String, Long> sizes, Map<String, Digest> digests) {}

    public static ModelSet build(dev.modelreg.spec.ModelsToml registry, byte[] configBytes, Sources files,
                                 Map<String, String> annotations, int maxLayers, long threshold, int threads)
            throws IOException {
        return build(registry, configBytes, files, annotations, maxLayers, threshold, threads, null, new java.util.TreeSet<>());
    }

    /**
     * As above; with a {@code base} (a previous manifest in the destination) small changes go into a delta layer; the
     * {@code external} keys get no layer and are listed in the manifest's {@link Annotations#EXTERNAL} (3.14).
     */
    static ModelSet build(dev.modelreg.spec.ModelsToml registry, byte[] configBytes, Sources files,
                          Map<String, String> annotations, int maxLayers, long threshold, int threads,
                          DeltaPlanner.Base base, java.util.SortedSet<String> external) throws IOException {
        // what consumers refuse is not published (section 14)
        try {
            Limits.checkRegistrySize(configBytes.length, "the registry file (models.toml)");
        } catch (IllegalArgumentException e) {
            throw new RegistryFormatException(e.getMessage());
        }
        ModelsTomlCodec.checkLimits(registry, "the registry file (models.toml)");
        LayerPlan plan = LayerPlanner.plan(registry, files.paths(), files.sizes(), files.digests(), threshold, maxLayers,
                external);
        if (base != null) plan = DeltaPlanner.rebase(plan, registry, files.digests(), files.sizes(), base, maxLayers);
        Path staging = dev.modelreg.content.fs.Leftovers.tempDir("modelreg-push-");
        StagedContent content = new StagedContent(staging);
        try {
            Descriptor config = Descriptor.of(MediaTypes.CONFIG, Digest.sha256Of(configBytes), configBytes.length);
            content.put(config.digest(), configBytes);
            List<Descriptor> layers = layers(plan, files, staging, content, threads);
            Map<String, String> ann = annotations;
            if (!external.isEmpty()) {
                ann = new TreeMap<>(annotations);
                ann.put(Annotations.EXTERNAL, Json.write(new ArrayList<>(external)));
            }
            Manifest manifest = new Manifest(MediaTypes.ARTIFACT_TYPE, config, layers, ann);
            byte[] bytes = manifest.toBytes();
            if (bytes.length > Limits.MAX_MANIFEST_BYTES) {
                throw new IOException("the manifest would be " + bytes.length + " bytes, over the "
                        + Limits.MAX_MANIFEST_BYTES + "-byte limit registries enforce: lower --max-layers");
            }
            Descriptor d = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256Of(bytes), bytes.length);
            content.put(d.digest(), bytes);
            return new ModelSet(manifest, d, content, plan);
        } catch (IOException | RuntimeException e) {
            content.close();
            throw e;
        }
    }

    private static List<Descriptor> layers(LayerPlan plan, Sources files, Path staging, StagedContent content, int threads)
            throws IOException {
        List<LayerPlan.Layer> planned = plan.layers();
        Descriptor[] out = new Descriptor[planned.size()];
        List<Parallel.Task> tars = new ArrayList<>();
        for (int i = 0; i < planned.size(); i++) {
            int at = i;
            LayerPlan.Layer l = planned.get(i);
            Path tar = staging.resolve("layer-" + i + ".tar");
            if (l instanceof LayerPlan.FileLayer f) {
                content.put(f.digest(), f.file());
                out[i] = new Descriptor(MediaTypes.FILE_LAYER, f.digest(), f.size(), Map.of(Annotations.TITLE, f.key()));
            } else if (l instanceof LayerPlan.TarLayer t) {
                tars.add(() -> out[at] = writeTar(t.title(), t.keys(), tarAnnotations(t), files, tar, content));
            } else if (l instanceof LayerPlan.DeltaLayer t) {
                TreeMap<String, String> ann = new TreeMap<>();
                ann.put(Annotations.DELTA, Json.write(new ArrayList<>(t.keys())));
                tars.add(() -> out[at] = writeTar(t.title(), t.keys(), ann, files, tar, content));
            } else if (l instanceof LayerPlan.BaseLayer b) {
                out[i] = b.descriptor();
            }
        }
        Parallel.run(tars, Math.max(1, threads));
        return List.of(out);
    }

    private static TreeMap<String, String> tarAnnotations(LayerPlan.TarLayer t) {
        TreeMap<String, String> ann = new TreeMap<>();
        if (t.groups().size() == 1) ann.put(Annotations.GROUP, t.groups().first());
        else ann.put(GROUPS_ANNOTATION, Json.write(new ArrayList<>(t.groups())));
        return ann;
    }

    private static Descriptor writeTar(String title, java.util.SortedSet<String> keys, TreeMap<String, String> ann,
                                       Sources files, Path out, StagedContent content) throws IOException {
        List<ReproducibleTar.Member> members = new ArrayList<>();
        for (String k : keys) {
            members.add(new ReproducibleTar.Member(k, files.paths().get(k), files.sizes().get(k), files.digests().get(k)));
        }
        DigestingOutputStream dos;
        try (OutputStream os = new BufferedOutputStream(SafeFiles.newOutputStream(out), 256 * 1024)) {
            dos = new DigestingOutputStream(os);
            ReproducibleTar.write(dos, members, 0L);
            dos.flush();
        }
        Digest digest = dos.digest();
        content.put(digest, out);
        TreeMap<String, String> all = new TreeMap<>(ann);
        all.put(Annotations.TITLE, title);
        all.put(Annotations.FILE_COUNT, Integer.toString(keys.size()));
        return new Descriptor(MediaTypes.TAR_LAYER, digest, dos.count(), all);
    }

    @Override
    public void close() {
        content.close();
    }
}
