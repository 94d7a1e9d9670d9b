package dev.modelreg.publisher;

import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.FileKind;
import dev.modelreg.spec.ForeignArtifact;
import dev.modelreg.spec.Packing;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.KindRules;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.ModelPack;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One ref's files as a CNCF ModelPack artifact (spec/README.md 3.12, "Writing"): every file a raw layer of its kind
 * ({@code application/vnd.cncf.model.KIND.v1.raw}, the file's bytes, so its digest is the file's hash) annotated with
 * its path ({@code org.cncf.model.filepath}), its file metadata, and {@code org.cncf.model.file.mediatype.untested}
 * when no rule gave its kind; then the models.toml, with each file's kind, as a raw doc layer marked
 * {@link Annotations#REGISTRY_LAYER}; a config with the descriptor, the model format and size, and one diffId per
 * layer (a raw layer's digest). Layers in key order, the canonical manifest of section 3.1 with the ModelPack
 * artifactType: the same tree, options and annotations give the same digest.
 */
record ModelPackArtifact(Manifest manifest, Descriptor descriptor, StagedContent content) implements AutoCloseable {

    static ModelPackArtifact build(ModelsToml registry, ModelSet.Sources files, String name, Map<String, String> annotations,
                                   ModelPackOptions options, int maxLayers) throws IOException {
        if (registry.files().size() + 1 > maxLayers) {
            throw PublishException.invalid("a ModelPack has one layer per file: " + registry.files().size()
                    + " files and models.toml are more than --max-layers " + maxLayers);
        }
        KindRules rules = options.rules();
        TreeMap<String, FileEntry> kinded = new TreeMap<>();
        registry.files().forEach((k, e) -> kinded.put(k, new FileEntry(e.hash(), e.url(), e.path(), e.size(), e.kindOf(k, rules))));
        ModelsToml withKinds = new ModelsToml(registry.schemaVersion(), kinded, registry.models(), registry.examples());
        byte[] toml = ModelsTomlCodec.write(withKinds);
        Limits.checkRegistrySize(toml.length, "the registry file (models.toml)");
        StagedContent content = new StagedContent(dev.modelreg.content.fs.Leftovers.tempDir("modelreg-modelpack-"));
        try {
            String created = annotations.get(Annotations.CREATED);
            List<Descriptor> layers = new ArrayList<>();
            for (Map.Entry<String, FileEntry> f : kinded.entrySet()) {
                String key = f.getKey();
                Digest d = files.digests().get(key);
                long size = files.sizes().get(key);
                Map<String, String> ann = new TreeMap<>();
                ann.put(ModelPack.FILEPATH, key);
                ann.put(ModelPack.FILE_METADATA, Json.write(metadata(key, size, created)));
                boolean given = registry.files().get(key).kind() != null || rules.kindOf(key).ruled();
                if (!given) ann.put(ModelPack.UNTESTED, "true");
                layers.add(new Descriptor(ModelPack.mediaType(f.getValue().kind(), Packing.RAW), d, size, ann));
                content.put(d, files.paths().get(key));
            }
            Digest td = Digest.sha256Of(toml);
            content.put(td, toml);
            layers.add(new Descriptor(ModelPack.mediaType(FileKind.DOC, Packing.RAW), td, toml.length,
                    Map.of(ModelPack.FILEPATH, "models.toml", Annotations.REGISTRY_LAYER, td.toString())));
            byte[] config = Json.writeBytes(config(name, annotations, options, layers));
            Descriptor cd = Descriptor.of(ModelPack.CONFIG, Digest.sha256Of(config), config.length);
            content.put(cd.digest(), config);
            Manifest m = new Manifest(ModelPack.ARTIFACT_TYPE, cd, layers, annotations);
            byte[] mb = m.toBytes();
            if (mb.length > Limits.MAX_MANIFEST_BYTES) {
                throw PublishException.invalid("the manifest would be " + mb.length + " bytes, over the "
                        + Limits.MAX_MANIFEST_BYTES + "-byte limit registries enforce");
            }
            Descriptor md = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256Of(mb), mb.length);
            content.put(md.digest(), mb);
            return new ModelPackArtifact(m, md, content);
        } catch (IOException | RuntimeException e) {
            content.close();
            throw e;
        }
    }

    /** The file metadata annotation: base name, mode 0644, owner 0, size, the creation time, a regular file. */
    private static Map<String, Object> metadata(String key, long size, String created) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", key.substring(key.lastIndexOf('/') + 1));
        m.put("mode", 420L);
        m.put("uid", 0L);
        m.put("gid", 0L);
        m.put("size", size);
        m.put("mtime", created);
        m.put("typeflag", 48L);
        return m;
    }

    /** The config: the descriptor (from the options and the manifest annotations), the model's format and size, diffIds. */
    private static Map<String, Object> config(String name, Map<String, String> ann, ModelPackOptions o, List<Descriptor> layers) {
        Map<String, Object> descriptor = new LinkedHashMap<>();
        put(descriptor, "createdAt", ann.get(Annotations.CREATED));
        put(descriptor, "authors", list(ann.get(Annotations.AUTHORS)));
        put(descriptor, "vendor", ann.get(Annotations.VENDOR));
        put(descriptor, "family", o.family());
        put(descriptor, "name", name);
        put(descriptor, "version", o.version() != null ? o.version() : ann.get(Annotations.VERSION));
        put(descriptor, "title", ann.get(Annotations.TITLE));
        put(descriptor, "description", ann.get(Annotations.DESCRIPTION));
        put(descriptor, "docURL", ann.get(Annotations.DOCUMENTATION));
        put(descriptor, "sourceURL", ann.get(Annotations.SOURCE));
        put(descriptor, "revision", ann.get(Annotations.REVISION));
        put(descriptor, "licenses", list(ann.get(Annotations.LICENSES)));
        Map<String, Object> config = new LinkedHashMap<>();
        put(config, "format", o.modelFormat());
        put(config, "paramSize", o.paramSize());
        List<Object> diffIds = new ArrayList<>();
        for (Descriptor l : layers) diffIds.add(l.digest().toString()); // raw layers: the diffId is the digest
        Map<String, Object> fs = new LinkedHashMap<>();
        fs.put("type", "layers");
        fs.put("diffIds", diffIds);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("descriptor", descriptor);
        c.put("config", config);
        c.put("modelfs", fs);
        return c;
    }

    private static void put(Map<String, Object> m, String key, Object v) {
        if (v instanceof String s && !s.isBlank()) m.put(key, s);
        else if (v instanceof List<?> l && !l.isEmpty()) m.put(key, l);
    }

    private static List<Object> list(String joined) {
        if (joined == null || joined.isBlank()) return List.of();
        return new ArrayList<>(Arrays.stream(joined.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
    }

    @Override
    public void close() {
        content.close();
    }
}
