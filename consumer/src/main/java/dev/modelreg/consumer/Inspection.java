package dev.modelreg.consumer;

import dev.modelreg.content.Referrers;
import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.LayerIndex;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.Metadata;
import dev.modelreg.spec.ModelsToml;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code modelreg inspect} shows of one artifact, from its manifest and config alone: no layer is read. Models are
 * sized by the layers a copy of each fetches (a tar layer's size includes its tar headers). What the layers hold is
 * the artifact format's to say ({@link ArtifactFormat#contents}): a modelreg model set or model image by its
 * models.toml, a foreign artifact (ModelPack, KitOps, ORAS) by its layers' kinds and paths.
 *
 * @param referrers null when not asked (offline); {@code referrersError} says why they could not be listed
 * @param format    {@code modelreg}, {@code model image}, {@code modelpack}, {@code kitops} or {@code oras}
 * @param about     what a foreign artifact's config says of the model (ModelPack descriptor, Kitfile package); else empty
 */
public record Inspection(String label, String location, Digest digest, long size, String mediaType,
                         String artifactType, Map<String, String> annotations, Descriptor config, ModelsToml registry,
                         List<Layer> layers, List<Model> models, Referrers.Found referrers, String referrersError,
                         String format, Map<String, String> about) {

    /**
     * A layer and what it holds: kind {@code file}, {@code tar}, {@code merged}, {@code delta} or {@code other} (a
     * modelreg artifact); {@code weight}, {@code config}, {@code doc}, {@code code}, {@code dataset}, {@code registry}
     * or {@code skipped} (a foreign one); the files it serves per the finding rule; a foreign layer's path and packing.
     */
    public record Layer(Descriptor descriptor, String kind, List<String> groups, int files, String path, String packing) {
        public Layer(Descriptor descriptor, String kind, List<String> groups, int files) {
            this(descriptor, kind, groups, files, null, null);
        }
    }

    /** A model: its file count and the bytes of the distinct layers holding its files. */
    public record Model(String name, int files, long bytes, int layers) {}

    /** What a format says its artifact holds: its name, layers, models and what it says of itself. */
    record Contents(String format, List<Layer> layers, List<Model> models, Map<String, String> about) {}

    /** Builds the inspection of a parsed manifest (bytes {@code raw}) whose format described it as {@code c}. */
    static Inspection of(String label, String location, Digest digest, byte[] raw, Manifest m, ModelsToml r, Contents c,
                         Referrers.Found referrers, String referrersError) throws ConsumerException {
        Map<String, Object> doc = Json.parseObject(raw, label + ": manifest " + digest);
        String mediaType = doc.get("mediaType") instanceof String s ? s : MediaTypes.OCI_MANIFEST;
        return new Inspection(label, location, digest, raw.length, mediaType, m.artifactType(), m.annotations(),
                m.config(), r, c.layers(), c.models(), referrers, referrersError, c.format(), c.about());
    }

    /** The contents of a modelreg model set or model image: layers and models by the finding rule ({@link LayerIndex}). */
    static Contents modelSet(String format, Manifest m, ModelsToml r, String label) throws ConsumerException {
        LayerIndex index;
        try {
            index = LayerIndex.of(m, r);
        } catch (IllegalArgumentException e) {
            throw new ConsumerException(label + ": " + e.getMessage());
        }
        Map<Digest, Integer> served = new HashMap<>();
        for (String k : r.files().keySet()) {
            Descriptor l = index.layerOf(k);
            if (l != null) served.merge(l.digest(), 1, Integer::sum);
        }
        List<Layer> layers = new ArrayList<>();
        for (Descriptor l : m.layers()) layers.add(new Layer(l, kind(l), groups(l), served.getOrDefault(l.digest(), 0)));
        List<Model> models = new ArrayList<>();
        r.models().forEach((name, keys) -> {
            Set<Digest> seen = new LinkedHashSet<>();
            long bytes = 0;
            for (String k : keys) {
                Descriptor l = index.layerOf(k);
                if (l != null && seen.add(l.digest())) bytes += l.size();
            }
            models.add(new Model(name, keys.size(), bytes, seen.size()));
        });
        return new Contents(format, layers, models, Map.of());
    }

    private static String kind(Descriptor l) {
        if (MediaTypes.FILE_LAYER.equals(l.mediaType())) return "file";
        if (!MediaTypes.TAR_LAYER.equals(l.mediaType())) return "other";
        if (LayerIndex.isDelta(l)) return "delta";
        return l.annotation(Annotations.GROUPS) != null ? "merged" : "tar";
    }

    private static List<String> groups(Descriptor l) {
        if (!MediaTypes.TAR_LAYER.equals(l.mediaType()) || LayerIndex.isDelta(l)) return List.of();
        try {
            return LayerIndex.groupsOf(l);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    /** Sum of the layer sizes. */
    public long layerBytes() {
        return layers.stream().mapToLong(l -> l.descriptor().size()).sum();
    }

    public String created() {
        return annotations.get(Annotations.CREATED);
    }

    public Map<String, String> metadata() {
        return Metadata.of(annotations);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("reference", label);
        j.put("location", location);
        j.put("digest", digest.toString());
        j.put("mediaType", mediaType);
        j.put("size", size);
        j.put("artifactType", artifactType);
        j.put("format", format);
        if (!about.isEmpty()) j.put("about", new LinkedHashMap<>(about));
        j.put("created", created());
        j.put("annotations", new TreeMap<>(annotations));
        j.put("metadata", metadata());
        Map<String, Object> c = Manifest.descriptorJson(config);
        c.put("files", (long) registry.files().size());
        c.put("models", (long) registry.models().size());
        c.put("examples", (long) registry.examples().size());
        j.put("config", c);
        j.put("layerBytes", layerBytes());
        List<Object> ms = new ArrayList<>();
        for (Model m : models) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("name", m.name());
            x.put("files", (long) m.files());
            x.put("bytes", m.bytes());
            x.put("layers", (long) m.layers());
            ms.add(x);
        }
        j.put("models", ms);
        j.put("examples", new TreeMap<>(registry.examples()));
        List<Object> ls = new ArrayList<>();
        for (Layer l : layers) {
            Map<String, Object> x = Manifest.descriptorJson(l.descriptor());
            x.put("kind", l.kind());
            if (l.kind().equals("file")) x.put("file", l.descriptor().title());
            if (l.path() != null) x.put("path", l.path());
            if (l.packing() != null) x.put("packing", l.packing());
            if (!l.groups().isEmpty()) x.put("groups", l.groups());
            x.put("files", (long) l.files());
            ls.add(x);
        }
        j.put("layers", ls);
        j.put("referrers", referrersJson());
        return j;
    }

    private Map<String, Object> referrersJson() {
        Map<String, Object> j = new LinkedHashMap<>();
        if (referrers == null) {
            j.put("listed", false);
            j.put("error", referrersError);
            return j;
        }
        j.put("listed", true);
        j.put("api", referrers.apiSupported());
        j.put("via", referrers.via().name().toLowerCase(java.util.Locale.ROOT));
        j.put("tag", referrers.tag());
        Map<String, Object> by = new TreeMap<>();
        for (Referrers.Referrer r : referrers.referrers()) {
            @SuppressWarnings("unchecked")
            List<Object> l = (List<Object>) by.computeIfAbsent(r.artifactType(), k -> new ArrayList<>());
            l.add(Manifest.descriptorJson(r.descriptor()));
        }
        j.put("count", (long) referrers.referrers().size());
        j.put("byArtifactType", by);
        return j;
    }
}
