package dev.modelreg.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CNCF ModelPack format (github.com/modelpack/model-spec, spec/README.md 3.12): its media types and annotations,
 * current ({@code application/vnd.cncf.model.*}, {@code org.cncf.model.*}) and earlier ({@code vnd.cnai},
 * {@code org.cnai}), and its config ({@code descriptor}, {@code config}, {@code modelfs.diffIds}).
 */
public final class ModelPack {
    private ModelPack() {}

    public static final String ARTIFACT_TYPE = "application/vnd.cncf.model.manifest.v1+json";
    public static final String CONFIG = "application/vnd.cncf.model.config.v1+json";
    public static final String LEGACY_ARTIFACT_TYPE = "application/vnd.cnai.model.manifest.v1+json";
    public static final String LEGACY_CONFIG = "application/vnd.cnai.model.config.v1+json";
    /** Layer: the path of the file (raw layer) or of the file or directory the tar holds. */
    public static final String FILEPATH = "org.cncf.model.filepath";
    public static final String LEGACY_FILEPATH = "org.cnai.model.filepath";
    /** Layer: JSON of the file's name, mode, uid, gid, size, mtime and typeflag. */
    public static final String FILE_METADATA = "org.cncf.model.file.metadata+json";
    /** Layer: "true" when the kind was guessed, not checked, by the packager. */
    public static final String UNTESTED = "org.cncf.model.file.mediatype.untested";

    private static final String PREFIX = "application/vnd.cncf.model.";
    private static final String LEGACY_PREFIX = "application/vnd.cnai.model.";

    /** A layer's kind and packing, as its media type says. */
    public record LayerType(FileKind kind, Packing packing) {}

    /** The layer media type of {@code kind} and {@code packing} (current names), e.g. {@code ...weight.config.v1.raw}. */
    public static String mediaType(FileKind kind, Packing packing) {
        String k = kind == FileKind.CONFIG ? "weight.config" : kind.id();
        return PREFIX + k + ".v1." + packing.suffix();
    }

    /** True if the manifest is a ModelPack artifact: its artifactType or config media type, current or earlier. */
    public static boolean is(Manifest m) {
        String c = m.config().mediaType();
        return ARTIFACT_TYPE.equals(m.artifactType()) || LEGACY_ARTIFACT_TYPE.equals(m.artifactType())
                || CONFIG.equals(c) || LEGACY_CONFIG.equals(c);
    }

    /** The kind and packing of a ModelPack layer media type, or null when it is not one. */
    public static LayerType parse(String mediaType) {
        String rest = mediaType.startsWith(PREFIX) ? mediaType.substring(PREFIX.length())
                : mediaType.startsWith(LEGACY_PREFIX) ? mediaType.substring(LEGACY_PREFIX.length()) : null;
        if (rest == null) return null;
        int v1 = rest.indexOf(".v1.");
        if (v1 < 0) return null;
        String k = rest.substring(0, v1);
        FileKind kind = switch (k) {
            case "weight" -> FileKind.WEIGHT;
            case "weight.config" -> FileKind.CONFIG;
            case "doc" -> FileKind.DOC;
            case "code" -> FileKind.CODE;
            case "dataset" -> FileKind.DATASET;
            default -> null;
        };
        Packing p = Packing.ofSuffix(rest.substring(v1 + 4));
        return kind == null || p == null ? null : new LayerType(kind, p);
    }

    /** The file path annotation of a layer (current name, else the earlier one), or null. */
    public static String filepath(Descriptor layer) {
        String p = layer.annotation(FILEPATH);
        return p != null ? p : layer.annotation(LEGACY_FILEPATH);
    }

    /**
     * A ModelPack config, read as the schema requires: an object with {@code descriptor} and {@code config} objects
     * and {@code modelfs} {@code {"type": "layers", "diffIds": [DIGEST, ...]}}.
     *
     * @param about what it says of the model, for people: descriptor and config fields that are text (lists joined)
     */
    public record Config(Map<String, String> about, List<Digest> diffIds, String name) {}

    /** Parses a config; one bad field is refused in one line naming {@code what} and the field (INVALID). */
    public static Config config(byte[] bytes, String what) throws ModelregException {
        Map<String, Object> doc;
        try {
            doc = Json.parseObject(bytes, what);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        Map<?, ?> descriptor = object(doc, "descriptor", what);
        Map<?, ?> config = object(doc, "config", what);
        Map<?, ?> fs = object(doc, "modelfs", what);
        if (!"layers".equals(fs.get("type"))) throw invalid(what + ": modelfs.type must be \"layers\"");
        if (!(fs.get("diffIds") instanceof List<?> ids) || ids.isEmpty()) {
            throw invalid(what + ": modelfs.diffIds must be a non-empty list of digests");
        }
        List<Digest> diffIds = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            try {
                diffIds.add(Digest.parse(String.valueOf(ids.get(i))));
            } catch (IllegalArgumentException e) {
                throw invalid(what + ": modelfs.diffIds[" + i + "] is not a digest ("
                        + Text.printable(String.valueOf(ids.get(i))) + ")");
            }
        }
        Map<String, String> about = new LinkedHashMap<>();
        for (String k : List.of("name", "version", "family", "title", "description", "vendor", "authors", "licenses",
                "createdAt", "revision", "sourceURL", "docURL")) {
            put(about, k, descriptor.get(k));
        }
        for (String k : List.of("architecture", "format", "paramSize", "precision", "quantization")) {
            put(about, k, config.get(k));
        }
        Object name = descriptor.get("name");
        return new Config(about, diffIds, name instanceof String s ? s : null);
    }

    private static void put(Map<String, String> about, String key, Object v) {
        if (v instanceof String s && !s.isEmpty()) about.put(key, s);
        else if (v instanceof List<?> l && !l.isEmpty()) {
            about.put(key, String.join(", ", l.stream().map(String::valueOf).toList()));
        }
    }

    private static Map<?, ?> object(Map<String, Object> doc, String field, String what) throws ModelregException {
        if (doc.get(field) instanceof Map<?, ?> m) return m;
        throw invalid(what + ": " + field + " must be an object (the ModelPack config schema requires it)");
    }

    static ModelregException invalid(String message) {
        return new ModelregException(ModelregException.Kind.INVALID, message);
    }
}
