package dev.modelreg.publisher;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CNCF ModelPack config schema (model-spec schema/config-schema.json, draft 2020-12) as an exact structural check,
 * written from the schema (no JSON-schema library resolves offline here): the three required objects and no other
 * property; each object's properties with their types, no other property ({@code additionalProperties: false});
 * {@code name} at least one character; {@code createdAt} and {@code knowledgeCutoff} RFC 3339 date-times;
 * {@code modelfs.type} the enum {@code ["layers"]}; {@code diffIds} at least one string; modalities from their enum;
 * languages two lower-case letters. Returns every violation (empty: valid).
 */
final class ModelPackSchema {
    private ModelPackSchema() {}

    private static final Set<String> DESCRIPTOR_STRINGS = Set.of("family", "name", "docURL", "sourceURL", "version",
            "revision", "vendor", "title", "description");
    private static final Set<String> DESCRIPTOR_LISTS = Set.of("authors", "datasetsURL", "licenses");
    private static final Set<String> CONFIG_STRINGS = Set.of("architecture", "format", "paramSize", "precision", "quantization");
    private static final Set<String> MODALITIES = Set.of("text", "image", "audio", "video", "embedding", "other");

    static List<String> violations(Object doc) {
        List<String> v = new ArrayList<>();
        Map<?, ?> root = object(doc, "$", v);
        if (root == null) return v;
        only(root, Set.of("descriptor", "config", "modelfs"), "$", v);
        for (String r : List.of("descriptor", "config", "modelfs")) if (!root.containsKey(r)) v.add("$: missing required " + r);
        Map<?, ?> d = root.containsKey("descriptor") ? object(root.get("descriptor"), "descriptor", v) : null;
        if (d != null) {
            Set<String> allowed = new java.util.HashSet<>(DESCRIPTOR_STRINGS);
            allowed.addAll(DESCRIPTOR_LISTS);
            allowed.add("createdAt");
            only(d, allowed, "descriptor", v);
            for (String k : DESCRIPTOR_STRINGS) if (d.containsKey(k)) string(d.get(k), "descriptor." + k, v);
            for (String k : DESCRIPTOR_LISTS) if (d.containsKey(k)) strings(d.get(k), "descriptor." + k, 0, v);
            if (d.containsKey("createdAt")) dateTime(d.get("createdAt"), "descriptor.createdAt", v);
            if (d.get("name") instanceof String s && s.isEmpty()) v.add("descriptor.name: shorter than 1");
        }
        Map<?, ?> c = root.containsKey("config") ? object(root.get("config"), "config", v) : null;
        if (c != null) {
            Set<String> allowed = new java.util.HashSet<>(CONFIG_STRINGS);
            allowed.add("capabilities");
            only(c, allowed, "config", v);
            for (String k : CONFIG_STRINGS) if (c.containsKey(k)) string(c.get(k), "config." + k, v);
            if (c.containsKey("capabilities")) capabilities(c.get("capabilities"), v);
        }
        Map<?, ?> fs = root.containsKey("modelfs") ? object(root.get("modelfs"), "modelfs", v) : null;
        if (fs != null) {
            only(fs, Set.of("type", "diffIds"), "modelfs", v);
            if (!fs.containsKey("type")) v.add("modelfs: missing required type");
            else if (!"layers".equals(fs.get("type"))) v.add("modelfs.type: not in [layers]");
            if (!fs.containsKey("diffIds")) v.add("modelfs: missing required diffIds");
            else strings(fs.get("diffIds"), "modelfs.diffIds", 1, v);
        }
        return v;
    }

    private static void capabilities(Object o, List<String> v) {
        Map<?, ?> c = object(o, "config.capabilities", v);
        if (c == null) return;
        only(c, Set.of("inputTypes", "outputTypes", "knowledgeCutoff", "reasoning", "toolUsage", "reward", "languages"),
                "config.capabilities", v);
        for (String k : List.of("inputTypes", "outputTypes")) {
            if (!c.containsKey(k)) continue;
            strings(c.get(k), "config.capabilities." + k, 0, v);
            if (c.get(k) instanceof List<?> l) for (Object m : l) if (!MODALITIES.contains(m)) v.add("config.capabilities." + k + ": " + m + " not in the enum");
        }
        if (c.containsKey("knowledgeCutoff")) dateTime(c.get("knowledgeCutoff"), "config.capabilities.knowledgeCutoff", v);
        for (String k : List.of("reasoning", "toolUsage", "reward")) {
            if (c.containsKey(k) && !(c.get(k) instanceof Boolean)) v.add("config.capabilities." + k + ": not a boolean");
        }
        if (c.containsKey("languages")) {
            strings(c.get("languages"), "config.capabilities.languages", 0, v);
            if (c.get("languages") instanceof List<?> l) for (Object x : l) if (!String.valueOf(x).matches("[a-z]{2}")) v.add("config.capabilities.languages: " + x);
        }
    }

    private static Map<?, ?> object(Object o, String at, List<String> v) {
        if (o instanceof Map<?, ?> m) return m;
        v.add(at + ": not an object");
        return null;
    }

    private static void only(Map<?, ?> m, Set<String> allowed, String at, List<String> v) {
        for (Object k : m.keySet()) if (!allowed.contains(k)) v.add(at + ": additional property " + k);
    }

    private static void string(Object o, String at, List<String> v) {
        if (!(o instanceof String)) v.add(at + ": not a string");
    }

    private static void strings(Object o, String at, int minItems, List<String> v) {
        if (!(o instanceof List<?> l)) {
            v.add(at + ": not an array");
            return;
        }
        if (l.size() < minItems) v.add(at + ": fewer than " + minItems + " items");
        for (Object x : l) if (!(x instanceof String)) v.add(at + ": an item is not a string");
    }

    private static void dateTime(Object o, String at, List<String> v) {
        if (!(o instanceof String s)) {
            v.add(at + ": not a string");
            return;
        }
        try {
            OffsetDateTime.parse(s);
        } catch (DateTimeParseException e) {
            v.add(at + ": not an RFC 3339 date-time");
        }
    }
}
