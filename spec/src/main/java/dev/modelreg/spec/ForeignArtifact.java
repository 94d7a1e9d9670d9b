package dev.modelreg.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An OCI artifact another tool wrote, read as a model set (spec/README.md 3.12): a CNCF ModelPack, a KitOps ModelKit,
 * or any artifact whose layers carry {@code org.opencontainers.image.title} (what {@code oras push} writes). Each
 * layer that holds files has a path: a raw layer is the one file at its path; a tar layer holds the file or the
 * directory at its path (its members are that path or below it). Paths are plain relative paths, and no layer's path
 * is another's or below another's, so no two layers can write one file. {@link #registry()} is the models.toml
 * modelreg reads it as, made from the manifest and config alone.
 *
 * @param format        which kind of artifact
 * @param model         the name of its one model in {@link #registry()}
 * @param layers        the layers that hold files, in manifest order
 * @param about         what it says of itself, for people (ModelPack descriptor and config fields, the Kitfile's package)
 * @param skipped       layers that hold no file modelreg reads (untitled layers of an ORAS artifact)
 * @param registryLayer the layer holding the artifact's own models.toml ({@link Annotations#REGISTRY_LAYER}), or null
 */
public record ForeignArtifact(Format format, String model, List<Layer> layers, Map<String, String> about,
                              List<Descriptor> skipped, Descriptor registryLayer) {
    /** The kinds of artifact read as model sets beside modelreg's own. */
    public enum Format {
        MODELPACK("modelpack"), KITOPS("kitops"), ORAS("oras");

        private final String id;

        Format(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /**
     * A layer that holds files.
     *
     * @param index   its place in the manifest's layers
     * @param kind    what its files are
     * @param guessed true when the kind is modelreg's guess (ORAS layers: by {@link KindRules}), not the artifact's
     * @param diffId  for a compressed tar, the digest its tar must have once decompressed (null: none said)
     */
    public record Layer(int index, Descriptor descriptor, FileKind kind, boolean guessed, String path, Packing packing,
                        Digest diffId) {}

    public ForeignArtifact {
        layers = List.copyOf(layers);
        about = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(about));
        skipped = List.copyOf(skipped);
    }

    /** The format of {@code m} when it is one of these (and not modelreg's own, checked before), else null. */
    public static Format formatOf(Manifest m) {
        if (ModelPack.is(m)) return Format.MODELPACK;
        if (KitOps.is(m)) return Format.KITOPS;
        for (Descriptor l : m.layers()) if (l.title() != null) return Format.ORAS;
        return null;
    }

    /** True if reading {@code format} needs its config (the ModelPack config, the Kitfile); an ORAS config is not read. */
    public static boolean needsConfig(Format format) {
        return format != Format.ORAS;
    }

    /** The layer at {@code path}, or null. */
    public Layer layerAt(String path) {
        for (Layer l : layers) if (l.path().equals(path)) return l;
        return null;
    }

    /**
     * The models.toml this artifact is read as: a raw layer is the file at its path, with the layer's digest as its
     * hash and its size; a tar layer is one entry at its path without a hash or size (what it holds is known once it
     * is read); every entry has its layer's kind; one model, {@link #model}, lists them all.
     */
    public ModelsToml registry() {
        TreeMap<String, FileEntry> files = new TreeMap<>();
        for (Layer l : layers) {
            files.put(l.path(), l.packing() == Packing.RAW
                    ? new FileEntry(l.descriptor().digest(), null, null, l.descriptor().size(), l.kind())
                    : new FileEntry(null, null, null, null, l.kind()));
        }
        TreeMap<String, List<String>> models = new TreeMap<>();
        if (!files.isEmpty()) models.put(model, new ArrayList<>(files.keySet()));
        return new ModelsToml(ModelsToml.SCHEMA_VERSION, files, models, new TreeMap<>());
    }

    /** Every path is a plain relative path; none is another's, or below another's. */
    void checkPaths(String what) throws ModelregException {
        Map<String, Layer> seen = new TreeMap<>();
        for (Layer l : layers) {
            Layer other = seen.put(l.path(), l);
            if (other != null) {
                throw ModelPack.invalid(what + ": layers " + other.index() + " and " + l.index() + " both claim the path '"
                        + Text.printable(l.path()) + "'");
            }
        }
        for (String p : seen.keySet()) { // sorted: a path below another follows it closely; check every prefix
            for (int i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) {
                Layer above = seen.get(p.substring(0, i));
                if (above != null) {
                    throw ModelPack.invalid(what + ": layer " + seen.get(p).index() + "'s path '" + Text.printable(p)
                            + "' is inside layer " + above.index() + "'s '" + Text.printable(above.path())
                            + "' (two layers would write the same files)");
                }
            }
        }
    }

    /**
     * {@code raw} as a layer path: leading {@code ./} and a trailing {@code /} dropped, then a plain relative path (no
     * empty, {@code .} or {@code ..} segment, not absolute, no NUL or other control character, within the key limits
     * of section 14); else refused naming {@code what} (the layer and field).
     */
    static String path(String raw, String what) throws ModelregException {
        if (raw == null || raw.isEmpty()) throw ModelPack.invalid(what + " is empty");
        String p = raw;
        while (p.startsWith("./")) p = p.substring(2);
        if (p.endsWith("/") && p.length() > 1) p = p.substring(0, p.length() - 1);
        String why = null;
        if (p.startsWith("/") || p.startsWith("\\") || (p.length() > 1 && p.charAt(1) == ':')) why = "is absolute";
        else if (p.indexOf('\0') >= 0) why = "holds a NUL";
        else {
            for (String seg : p.split("[/\\\\]", -1)) {
                if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                    why = "is not a plain relative path (an empty, '.' or '..' segment)";
                    break;
                }
            }
        }
        if (why != null) throw ModelPack.invalid(what + " '" + Text.printable(raw) + "' " + why);
        try {
            ModelsTomlCodec.checkKey(p, "path", what);
        } catch (RegistryFormatException e) {
            throw ModelPack.invalid(e.getMessage());
        }
        return p;
    }

    /** A model name from the artifact, or {@code fallback} when it has none fit to be one. */
    static String modelName(String name, String fallback) {
        if (name == null || name.isBlank() || name.length() > 200 || name.chars().anyMatch(Text::isControl)) return fallback;
        return name.strip();
    }
}
