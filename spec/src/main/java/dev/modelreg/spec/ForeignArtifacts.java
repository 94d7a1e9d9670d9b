package dev.modelreg.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How each foreign format's manifest and config say which layer holds which path (spec/README.md 3.12). */
public final class ForeignArtifacts {
    private ForeignArtifacts() {}

    /**
     * Reads {@code m} (with its config's bytes where {@link ForeignArtifact#needsConfig}, else null) as {@code format};
     * errors are one line naming {@code what} and the layer or field: a bad or clashing path, a media type it does not
     * know (INVALID), a diffId or Kitfile digest that does not match the layer (DIGEST_MISMATCH).
     */
    public static ForeignArtifact read(ForeignArtifact.Format format, Manifest m, byte[] config, String what)
            throws ModelregException {
        ForeignArtifact a = switch (format) {
            case MODELPACK -> modelPack(m, config, what);
            case KITOPS -> kitOps(m, config, what);
            case ORAS -> oras(m, what);
        };
        a.checkPaths(what);
        return a;
    }

    /** The model name when the artifact gives none fit to be one. */
    static final String DEFAULT_MODEL = "model";

    /**
     * ModelPack: a layer's path is its {@code org.cncf.model.filepath} ({@code org.cnai.model.filepath}), its kind and
     * packing its media type's; the config's {@code modelfs.diffIds} has one entry per layer, the layer's own digest for
     * a raw or plain tar layer (checked here), the digest of its tar for a compressed one (checked when it is read).
     */
    static ForeignArtifact modelPack(Manifest m, byte[] config, String what) throws ModelregException {
        ModelPack.Config c = ModelPack.config(config, what + ": config " + m.config().digest());
        if (c.diffIds().size() != m.layers().size()) {
            throw ModelPack.invalid(what + ": config modelfs.diffIds has " + c.diffIds().size() + " entries for "
                    + Text.count(m.layers().size(), "layer"));
        }
        List<ForeignArtifact.Layer> layers = new ArrayList<>();
        Descriptor registry = null;
        for (int i = 0; i < m.layers().size(); i++) {
            Descriptor l = m.layers().get(i);
            String lw = what + ": layer " + i;
            ModelPack.LayerType t = ModelPack.parse(l.mediaType());
            if (t == null) {
                throw ModelPack.invalid(lw + " has media type '" + Text.printable(l.mediaType())
                        + "', not a ModelPack layer type (application/vnd.cncf.model.KIND.v1.raw|tar|tar+gzip|tar+zstd)");
            }
            Digest diffId = c.diffIds().get(i);
            boolean compressed = t.packing() == Packing.TAR_GZIP || t.packing() == Packing.TAR_ZSTD;
            if (!compressed && !diffId.equals(l.digest())) {
                throw new ModelregException(ModelregException.Kind.DIGEST_MISMATCH, lw + ": config modelfs.diffIds[" + i
                        + "] is " + diffId + ", but the layer is uncompressed and its digest is " + l.digest());
            }
            if (l.annotation(Annotations.REGISTRY_LAYER) != null) {
                registry = registryLayer(l, t, registry, lw);
                continue;
            }
            String path = ForeignArtifact.path(ModelPack.filepath(l), lw + " " + ModelPack.FILEPATH);
            layers.add(new ForeignArtifact.Layer(i, l, t.kind(), "true".equals(l.annotation(ModelPack.UNTESTED)), path,
                    t.packing(), compressed ? diffId : null));
        }
        return new ForeignArtifact(ForeignArtifact.Format.MODELPACK, ForeignArtifact.modelName(c.name(), DEFAULT_MODEL),
                layers, c.about(), List.of(), registry);
    }

    /** The layer holding modelreg's models.toml: one raw layer whose annotation is its own digest. */
    private static Descriptor registryLayer(Descriptor l, ModelPack.LayerType t, Descriptor before, String lw)
            throws ModelregException {
        if (before != null) throw ModelPack.invalid(lw + ": a second layer marked " + Annotations.REGISTRY_LAYER);
        if (t.packing() != Packing.RAW || !l.digest().toString().equals(l.annotation(Annotations.REGISTRY_LAYER))) {
            throw ModelPack.invalid(lw + ": " + Annotations.REGISTRY_LAYER + " marks a raw layer, with its digest ("
                    + Text.printable(l.annotation(Annotations.REGISTRY_LAYER)) + " on " + l.digest() + ", "
                    + t.packing().suffix() + ")");
        }
        if (l.size() > Limits.MAX_REGISTRY_BYTES) {
            throw ModelPack.invalid(lw + ": models.toml is " + l.size() + " bytes, over " + Limits.MAX_REGISTRY_BYTES);
        }
        return l;
    }

    /**
     * KitOps: each layer's path is the one its Kitfile entry names (the layers of one type follow the entries of that
     * type); an entry's recorded digest must be the layer's, its diffId the layer's digest when the tar is plain.
     */
    static ForeignArtifact kitOps(Manifest m, byte[] config, String what) throws ModelregException {
        String cw = what + ": Kitfile (config " + m.config().digest() + ")";
        Map<String, Object> kitfile;
        try {
            kitfile = Json.parseObject(config, cw);
        } catch (IllegalArgumentException e) {
            throw ModelPack.invalid(e.getMessage());
        }
        Map<String, List<KitOps.Entry>> entries = KitOps.entries(kitfile);
        Map<String, Integer> next = new HashMap<>();
        List<ForeignArtifact.Layer> layers = new ArrayList<>();
        for (int i = 0; i < m.layers().size(); i++) {
            Descriptor l = m.layers().get(i);
            String lw = what + ": layer " + i;
            String[] type = KitOps.type(l.mediaType());
            FileKind kind = type == null ? null : KitOps.kind(type[0]);
            Packing p = type == null ? null : Packing.ofSuffix(type[1]);
            if (kind == null || p == null || p == Packing.RAW) {
                throw ModelPack.invalid(lw + " has media type '" + Text.printable(l.mediaType())
                        + "', not a ModelKit layer type (application/vnd.kitops.modelkit.model|modelpart|code|dataset|docs.v1.tar[+gzip])");
            }
            List<KitOps.Entry> of = entries.getOrDefault(type[0], List.of());
            int n = next.merge(type[0], 1, Integer::sum) - 1;
            if (n >= of.size() || of.get(n).path() == null) {
                throw ModelPack.invalid(lw + " is the " + (n + 1) + ". " + type[0] + " layer, but the Kitfile gives "
                        + Text.count(of.size(), type[0] + " path"));
            }
            KitOps.Entry e = of.get(n);
            String path = ForeignArtifact.path(e.path(), lw + " (Kitfile " + type[0] + " path)");
            if (e.digest() != null && !e.digest().equals(l.digest().toString())) {
                throw new ModelregException(ModelregException.Kind.DIGEST_MISMATCH, lw + ": the Kitfile records digest "
                        + Text.printable(e.digest()) + " for '" + Text.printable(path) + "', the layer is " + l.digest());
            }
            Digest diffId = e.diffId() == null ? null : digest(e.diffId(), lw + ": Kitfile diffId");
            if (p == Packing.TAR && diffId != null && !diffId.equals(l.digest())) {
                throw new ModelregException(ModelregException.Kind.DIGEST_MISMATCH, lw + ": the Kitfile records diffId "
                        + diffId + ", but the tar is uncompressed and its digest is " + l.digest());
            }
            layers.add(new ForeignArtifact.Layer(i, l, kind, false, path, p, p == Packing.TAR ? null : diffId));
        }
        Map<String, String> about = KitOps.about(kitfile);
        String name = about.getOrDefault("name", about.get("model"));
        return new ForeignArtifact(ForeignArtifact.Format.KITOPS, ForeignArtifact.modelName(name, DEFAULT_MODEL), layers,
                about, List.of(), null);
    }

    /**
     * ORAS: a layer titled T ({@code org.opencontainers.image.title}) is the file T, or, marked
     * {@code io.deis.oras.content.unpack: true}, a gzipped tar of the directory T (its tar's digest, when
     * {@code io.deis.oras.content.digest} gives it, checked as it is read). Untitled layers are skipped, as
     * {@code oras pull} skips them. Kinds are guessed from the paths ({@link KindRules#defaults()}).
     */
    static ForeignArtifact oras(Manifest m, String what) throws ModelregException {
        List<ForeignArtifact.Layer> layers = new ArrayList<>();
        List<Descriptor> skipped = new ArrayList<>();
        for (int i = 0; i < m.layers().size(); i++) {
            Descriptor l = m.layers().get(i);
            if (l.title() == null) {
                skipped.add(l);
                continue;
            }
            String lw = what + ": layer " + i;
            String path = ForeignArtifact.path(l.title(), lw + " " + Annotations.TITLE);
            boolean unpack = "true".equals(l.annotation(Annotations.ORAS_UNPACK));
            String mt = l.mediaType();
            Packing p = !unpack ? Packing.RAW
                    : mt.endsWith("+zstd") ? Packing.TAR_ZSTD
                    : mt.endsWith(".tar") ? Packing.TAR : Packing.TAR_GZIP;
            String cd = l.annotation(Annotations.ORAS_CONTENT_DIGEST);
            Digest diffId = unpack && cd != null ? digest(cd, lw + ": " + Annotations.ORAS_CONTENT_DIGEST) : null;
            if (p == Packing.TAR && diffId != null && !diffId.equals(l.digest())) {
                throw new ModelregException(ModelregException.Kind.DIGEST_MISMATCH, lw + ": "
                        + Annotations.ORAS_CONTENT_DIGEST + " is " + diffId + ", the uncompressed tar's digest is " + l.digest());
            }
            layers.add(new ForeignArtifact.Layer(i, l, KindRules.defaults().kindOf(path).kind(), true, path, p,
                    p == Packing.TAR ? null : diffId));
        }
        return new ForeignArtifact(ForeignArtifact.Format.ORAS, DEFAULT_MODEL, layers, Map.of(), skipped, null);
    }

    private static Digest digest(String text, String what) throws ModelregException {
        try {
            return Digest.parse(text);
        } catch (IllegalArgumentException e) {
            throw ModelPack.invalid(what + " is not a digest (" + Text.printable(text) + ")");
        }
    }
}
