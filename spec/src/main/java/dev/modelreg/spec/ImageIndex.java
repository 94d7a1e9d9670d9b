package dev.modelreg.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OCI image index: an OCI layout's {@code index.json} (layout directories and archives share this type), or an
 * image index manifest met in a copy. Tags are entries annotated with {@code org.opencontainers.image.ref.name}.
 * Unknown fields of the document and of its entries (e.g. {@code platform}, other annotations) are kept as they
 * are; {@link #withTag} replaces the entries of one tag and appends the new one. Immutable.
 */
public final class ImageIndex {
    /** A tag and the manifest it names. */
    public record Tagged(String tag, Descriptor manifest) {}

    /**
     * A tag with the repository it came from ({@code HOST/REPOSITORY}, from {@link Annotations#IMAGE_NAME}), or null
     * when the entry names none.
     */
    public record Named(String repository, String tag, Descriptor manifest) {
        /** {@code REPOSITORY:TAG}, or the tag alone. */
        public String displayName() {
            return repository != null ? repository + ":" + tag : tag;
        }
    }

    private final Map<String, Object> doc;
    private final List<Map<String, Object>> entries;
    private final String what;

    private ImageIndex(Map<String, Object> doc, List<Map<String, Object>> entries, String what) {
        this.doc = doc;
        this.entries = entries;
        this.what = what;
    }

    public static ImageIndex empty(String what) {
        return new ImageIndex(new LinkedHashMap<>(), new ArrayList<>(), what);
    }

    /** Parses and checks an index; errors (IllegalArgumentException) name {@code what}. */
    @SuppressWarnings("unchecked")
    public static ImageIndex parse(byte[] bytes, String what) {
        Limits.checkManifestSize(bytes.length, what);
        Map<String, Object> doc = Json.parseObject(bytes, what);
        List<Map<String, Object>> entries = new ArrayList<>();
        Object ms = doc.get("manifests");
        if (ms != null && !(ms instanceof List<?>)) throw new IllegalArgumentException(what + ": 'manifests' is not a list");
        if (ms instanceof List<?> l) {
            Limits.checkCount(l.size(), Limits.MAX_INDEX_ENTRIES, what, "manifests");
            for (int i = 0; i < l.size(); i++) {
                if (!(l.get(i) instanceof Map<?, ?> e)) {
                    throw new IllegalArgumentException(what + ": manifests[" + i + "] is not an object");
                }
                Manifest.descriptorFrom(e, what + " manifests[" + i + "]"); // checks mediaType, digest and size
                entries.add(new LinkedHashMap<>((Map<String, Object>) e));
            }
        }
        return new ImageIndex(doc, entries, what);
    }

    /** Every entry as a descriptor (mediaType, digest, size, annotations), in index order. */
    public List<Descriptor> manifests() {
        List<Descriptor> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) out.add(Manifest.descriptorFrom(entries.get(i), what + " manifests[" + i + "]"));
        return out;
    }

    /** The tagged entries, in index order (a tag listed twice: each occurrence). */
    public List<Tagged> tags() {
        List<Tagged> out = new ArrayList<>();
        for (Map<String, Object> e : entries) {
            String t = refName(e);
            if (t != null) out.add(new Tagged(t, plain(Manifest.descriptorFrom(e, what))));
        }
        return out;
    }

    /**
     * The tagged entries with their repositories, in index order. The repository is {@link Annotations#IMAGE_NAME}
     * without {@code :TAG} (containerd, Docker, modelreg); without it, a ref.name that is a full name
     * ({@code HOST/REPO:TAG}, as podman and skopeo may write) is split into repository and tag.
     */
    public List<Named> named() {
        List<Named> out = new ArrayList<>();
        for (Map<String, Object> e : entries) {
            String t = refName(e);
            if (t == null) continue;
            String repo = repository(e, t);
            int colon = t.lastIndexOf(':');
            if (repo == null && !OciReference.isTag(t) && colon > t.lastIndexOf('/') && colon > 0) {
                // a full name as ref.name (podman; skopeo oci-archive:FILE:HOST/REPO:TAG): repository and tag
                repo = t.substring(0, colon);
                t = t.substring(colon + 1);
            }
            out.add(new Named(repo, t, plain(Manifest.descriptorFrom(e, what))));
        }
        return out;
    }

    /** The manifest of {@code tag} (the last entry naming it), or null. */
    public Descriptor byTag(String tag) {
        Descriptor found = null;
        for (Tagged t : tags()) if (t.tag().equals(tag)) found = t.manifest();
        return found;
    }

    /** The entry with this digest, or null. */
    public Descriptor byDigest(Digest digest) {
        for (Map<String, Object> e : entries) {
            if (digest.toString().equals(e.get("digest"))) return plain(Manifest.descriptorFrom(e, what));
        }
        return null;
    }

    /** A copy where {@code tag} names {@code manifest}: entries of the same tag are removed, the new one appended. */
    public ImageIndex withTag(String tag, Descriptor manifest) {
        return withTag(tag, manifest, null);
    }

    /**
     * A copy where {@code tag} of {@code repository} ({@code HOST/REPOSITORY}, or null) names {@code manifest}: the
     * entry gets {@code ref.name = TAG} and, with a repository, {@code io.containerd.image.name = REPOSITORY:TAG}.
     * Entries of the same tag are removed when they name the same repository or none (without a repository: every
     * entry of the tag); the new one is appended.
     */
    public ImageIndex withTag(String tag, Descriptor manifest, String repository) {
        Reference.checkTag(tag, what);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> e : entries) {
            String t = refName(e);
            String r = t == null ? null : repository(e, t);
            boolean same = tag.equals(t) && (repository == null || r == null || repository.equals(r));
            if (!same) out.add(e);
        }
        Map<String, Object> entry = new LinkedHashMap<>(Manifest.descriptorJson(plain(manifest)));
        Map<String, Object> annotations = new LinkedHashMap<>();
        if (repository != null) annotations.put(Annotations.IMAGE_NAME, repository + ":" + tag);
        annotations.put(Annotations.REF_NAME, tag);
        entry.put("annotations", annotations);
        out.add(entry);
        return new ImageIndex(doc, out, what);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Canonical bytes: schemaVersion, mediaType, manifests, then the document's other fields in their order. */
    public byte[] toBytes() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("schemaVersion", 2L);
        out.put("mediaType", MediaTypes.OCI_INDEX);
        out.put("manifests", entries);
        doc.forEach(out::putIfAbsent);
        return Json.writeBytes(out);
    }

    /** The repository of an entry: its image name without {@code :TAG} (null when absent or not ending in the tag). */
    private static String repository(Map<String, Object> entry, String tag) {
        if (!(entry.get("annotations") instanceof Map<?, ?> a) || !(a.get(Annotations.IMAGE_NAME) instanceof String n)) return null;
        String suffix = ":" + tag;
        return n.endsWith(suffix) && n.length() > suffix.length() ? n.substring(0, n.length() - suffix.length()) : null;
    }

    private static String refName(Map<String, Object> entry) {
        return entry.get("annotations") instanceof Map<?, ?> a && a.get(Annotations.REF_NAME) instanceof String s ? s : null;
    }

    /** The descriptor without annotations: what a tag resolves to. */
    public static Descriptor plain(Descriptor d) {
        return Descriptor.of(d.mediaType(), d.digest(), d.size());
    }
}
