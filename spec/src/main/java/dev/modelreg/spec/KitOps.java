package dev.modelreg.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * KitOps ModelKits (github.com/kitops-ml/kitops, spec/README.md 3.12): the config is the Kitfile as JSON
 * ({@code application/vnd.kitops.modelkit.config.v1+json}); each layer is a tar
 * ({@code application/vnd.kitops.modelkit.TYPE.v1.tar[+gzip|+zstd]}) of the path a Kitfile entry names, its members
 * named by their paths in the packed directory. The layers of each type follow the Kitfile's entries of that type in
 * order: {@code model} ({@code model.path}), {@code modelpart} ({@code model.parts}), {@code code}, {@code dataset}
 * ({@code datasets}), {@code docs}.
 */
public final class KitOps {
    private KitOps() {}

    public static final String CONFIG = "application/vnd.kitops.modelkit.config.v1+json";
    private static final String PREFIX = "application/vnd.kitops.modelkit.";

    public static boolean is(Manifest m) {
        return CONFIG.equals(m.config().mediaType());
    }

    /** The type ({@code model}, {@code code}, ...) and packing of a ModelKit layer media type, or null. */
    static String[] type(String mediaType) {
        if (!mediaType.startsWith(PREFIX)) return null;
        String rest = mediaType.substring(PREFIX.length());
        int v1 = rest.indexOf(".v1.");
        if (v1 <= 0) return null;
        return new String[] {rest.substring(0, v1), rest.substring(v1 + 4)};
    }

    static FileKind kind(String type) {
        return switch (type) {
            case "model", "modelpart" -> FileKind.WEIGHT;
            case "code" -> FileKind.CODE;
            case "dataset" -> FileKind.DATASET;
            case "docs" -> FileKind.DOC;
            default -> null;
        };
    }

    /** A Kitfile entry's path and the layer digest and diffId it records (null when an older kit recorded none). */
    record Entry(String path, String digest, String diffId) {}

    /** The Kitfile's entries of each layer type, in order. */
    static Map<String, List<Entry>> entries(Map<String, Object> kitfile) {
        Map<String, List<Entry>> out = new LinkedHashMap<>();
        Object model = kitfile.get("model");
        if (model instanceof Map<?, ?> m) {
            out.put("model", List.of(entry(m)));
            out.put("modelpart", list(m.get("parts")));
        }
        out.put("code", list(kitfile.get("code")));
        out.put("dataset", list(kitfile.get("datasets")));
        out.put("docs", list(kitfile.get("docs")));
        return out;
    }

    /** What the Kitfile says of the kit, for people. */
    static Map<String, String> about(Map<String, Object> kitfile) {
        Map<String, String> about = new LinkedHashMap<>();
        if (kitfile.get("package") instanceof Map<?, ?> p) {
            for (String k : List.of("name", "version", "description", "license")) text(about, k, p.get(k));
            if (p.get("authors") instanceof List<?> a && !a.isEmpty()) {
                about.put("authors", String.join(", ", a.stream().map(String::valueOf).toList()));
            }
        }
        if (kitfile.get("model") instanceof Map<?, ?> m) {
            text(about, "model", m.get("name"));
            text(about, "framework", m.get("framework"));
            text(about, "format", m.get("format"));
        }
        return about;
    }

    private static void text(Map<String, String> about, String k, Object v) {
        if (v instanceof String s && !s.isEmpty()) about.put(k, s);
    }

    private static List<Entry> list(Object v) {
        List<Entry> out = new ArrayList<>();
        if (v instanceof List<?> l) for (Object o : l) out.add(o instanceof Map<?, ?> m ? entry(m) : new Entry(null, null, null));
        return out;
    }

    private static Entry entry(Map<?, ?> m) {
        return new Entry(str(m.get("path")), str(m.get("digest")), str(m.get("diffId")));
    }

    private static String str(Object o) {
        return o instanceof String s ? s : null;
    }
}
