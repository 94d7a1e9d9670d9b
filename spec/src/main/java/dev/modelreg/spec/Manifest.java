package dev.modelreg.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An OCI image manifest carrying a model set. {@link #toBytes()} is canonical: fixed field order
 * (schemaVersion, mediaType, artifactType, config, layers, annotations), descriptor fields in the order
 * (mediaType, digest, size, annotations), annotation keys sorted, no whitespace. The same manifest gives the
 * same bytes, and so the same digest, in any JVM run on any machine.
 */
public record Manifest(String artifactType, Descriptor config, List<Descriptor> layers, Map<String, String> annotations) {
    public Manifest {
        Objects.requireNonNull(config, "config");
        layers = List.copyOf(layers);
        annotations = annotations == null ? Map.of() : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
    }

    public byte[] toBytes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 2L);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        if (artifactType != null) m.put("artifactType", artifactType);
        m.put("config", descriptorJson(config));
        List<Object> ls = new ArrayList<>();
        for (Descriptor d : layers) ls.add(descriptorJson(d));
        m.put("layers", ls);
        if (!annotations.isEmpty()) m.put("annotations", annotations);
        return Json.writeBytes(m);
    }

    /** The descriptor of this manifest's canonical bytes. */
    public Descriptor descriptor() {
        byte[] b = toBytes();
        return Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256Of(b), b.length);
    }

    public static Map<String, Object> descriptorJson(Descriptor d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mediaType", d.mediaType());
        m.put("digest", d.digest().toString());
        m.put("size", d.size());
        if (!d.annotations().isEmpty()) m.put("annotations", d.annotations());
        return m;
    }

    @SuppressWarnings("unchecked")
    public static Descriptor descriptorFrom(Object json, String what) {
        if (!(json instanceof Map<?, ?> m)) throw new IllegalArgumentException(what + ": expected a descriptor object");
        Object mt = m.get("mediaType");
        Object dg = m.get("digest");
        Object sz = m.get("size");
        if (!(mt instanceof String) || !(dg instanceof String) || !(sz instanceof Long)) {
            throw new IllegalArgumentException(what + ": descriptor needs mediaType, digest and an integer size");
        }
        Map<String, String> ann = new TreeMap<>();
        if (m.get("annotations") instanceof Map<?, ?> a) {
            a.forEach((k, v) -> ann.put(String.valueOf(k), String.valueOf(v)));
        }
        try {
            return new Descriptor((String) mt, Digest.parse((String) dg), (Long) sz, ann);
        } catch (IllegalArgumentException e) { // a bad digest or size: say in which document
            throw new IllegalArgumentException(what + ": " + Text.printable(e.getMessage()), e);
        }
    }

    /**
     * Parses manifest bytes (any field order); unknown fields are ignored. A manifest over
     * {@link Limits#MAX_MANIFEST_BYTES} or with more than {@link Limits#MAX_LAYERS} layers is refused.
     */
    @SuppressWarnings("unchecked")
    public static Manifest parse(byte[] bytes, String what) {
        Limits.checkManifestSize(bytes.length, what);
        Map<String, Object> m = Json.parseObject(bytes, what);
        Object mt = m.get("mediaType");
        if (mt != null && !MediaTypes.OCI_MANIFEST.equals(mt) && !MediaTypes.DOCKER_MANIFEST.equals(mt)) {
            throw new IllegalArgumentException(what + ": not an image manifest (mediaType " + Text.printable(String.valueOf(mt)) + ")");
        }
        Descriptor config = descriptorFrom(m.get("config"), what + " config");
        List<Descriptor> layers = new ArrayList<>();
        if (m.get("layers") instanceof List<?> l) {
            Limits.checkCount(l.size(), Limits.MAX_LAYERS, what, "layers");
            for (int i = 0; i < l.size(); i++) layers.add(descriptorFrom(l.get(i), what + " layer " + i));
        }
        Map<String, String> ann = new TreeMap<>();
        if (m.get("annotations") instanceof Map<?, ?> a) {
            a.forEach((k, v) -> ann.put(String.valueOf(k), String.valueOf(v)));
        }
        return new Manifest((String) m.get("artifactType"), config, layers, ann);
    }
}
