package dev.modelreg.spec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * Reads every models.toml variant in use and writes one canonical form. See spec/README.md, "models.toml".
 *
 * <p>Read: {@code hash} as bare lowercase hex or {@code sha256:<hex>}, or absent; optional {@code url} and
 * {@code path}; top-level {@code schema_version}, {@code generated_at}, {@code devtools_version} and an
 * {@code [_meta]} table are tolerated; unknown keys are ignored. Write: sorted keys, bare-hex hashes (what
 * modflow-devtools writes), fixed layout, LF line ends, so the same content always gives the same bytes.
 */
public final class ModelsTomlCodec {
    private ModelsTomlCodec() {}

    public static ModelsToml read(byte[] bytes, String origin) {
        TomlParseResult toml = Toml.parse(new String(bytes, StandardCharsets.UTF_8));
        if (toml.hasErrors()) {
            TomlParseError e = toml.errors().get(0);
            throw new RegistryFormatException(origin + ":" + e.position().line() + ":" + e.position().column()
                    + ": malformed TOML: " + e.getMessage().replaceFirst(" \\(line \\d+, column \\d+\\)$", ""));
        }
        String schema = toml.get(List.of("schema_version")) instanceof String s ? s : null;
        TreeMap<String, FileEntry> files = new TreeMap<>();
        TomlTable ft = table(toml, "files", origin);
        if (ft != null) {
            for (Map.Entry<String, Object> e : ft.entrySet()) {
                files.put(e.getKey(), fileEntry(e.getKey(), e.getValue(), origin));
            }
        }
        TreeMap<String, List<String>> models = stringLists(toml, "models", origin);
        TreeMap<String, List<String>> examples = stringLists(toml, "examples", origin);
        return new ModelsToml(schema, files, models, examples);
    }

    private static TomlTable table(TomlTable toml, String key, String origin) {
        Object v = toml.get(List.of(key));
        if (v == null) return null;
        if (v instanceof TomlTable t) return t;
        throw new RegistryFormatException(origin + ": [" + key + "] must be a table");
    }

    private static FileEntry fileEntry(String key, Object value, String origin) {
        if (!(value instanceof TomlTable t)) {
            throw new RegistryFormatException(origin + ": [files] entry '" + key + "' must be a table");
        }
        Digest hash = null;
        Object h = t.get(List.of("hash"));
        if (h != null) {
            if (!(h instanceof String hs)) {
                throw new RegistryFormatException(origin + ": [files] entry '" + key + "': hash must be a string");
            }
            if (!hs.isEmpty()) {
                try {
                    hash = Digest.parseLenient(hs.trim().toLowerCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new RegistryFormatException(origin + ": [files] entry '" + key + "': " + e.getMessage());
                }
            }
        }
        return new FileEntry(hash, optString(t, "url", key, origin), optString(t, "path", key, origin));
    }

    private static String optString(TomlTable t, String field, String key, String origin) {
        Object v = t.get(List.of(field));
        if (v == null) return null;
        if (v instanceof String s) return s;
        throw new RegistryFormatException(origin + ": [files] entry '" + key + "': " + field + " must be a string");
    }

    private static TreeMap<String, List<String>> stringLists(TomlTable toml, String key, String origin) {
        TreeMap<String, List<String>> out = new TreeMap<>();
        TomlTable t = table(toml, key, origin);
        if (t == null) return out;
        for (Map.Entry<String, Object> e : t.entrySet()) {
            if (!(e.getValue() instanceof TomlArray a)) {
                throw new RegistryFormatException(origin + ": [" + key + "] '" + e.getKey() + "' must be a list of strings");
            }
            List<String> l = new ArrayList<>(a.size());
            for (int i = 0; i < a.size(); i++) {
                if (!(a.get(i) instanceof String s)) {
                    throw new RegistryFormatException(origin + ": [" + key + "] '" + e.getKey() + "' must be a list of strings");
                }
                l.add(s);
            }
            out.put(e.getKey(), l);
        }
        return out;
    }

    public static byte[] write(ModelsToml r) {
        StringBuilder sb = new StringBuilder();
        if (r.schemaVersion() != null) {
            sb.append("schema_version = ").append(quote(r.schemaVersion())).append("\n");
        }
        for (Map.Entry<String, FileEntry> e : r.files().entrySet()) {
            sb.append("\n[files.").append(quote(e.getKey())).append("]\n");
            FileEntry f = e.getValue();
            if (f.hash() != null) sb.append("hash = ").append(quote(hashText(f.hash()))).append("\n");
            if (f.path() != null) sb.append("path = ").append(quote(f.path())).append("\n");
            if (f.url() != null) sb.append("url = ").append(quote(f.url())).append("\n");
        }
        lists(sb, "models", r.models());
        lists(sb, "examples", r.examples());
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** sha256 hashes are written as bare hex (modflow-devtools' form); others keep their algorithm prefix. */
    private static String hashText(Digest d) {
        return Digest.SHA256.equals(d.algorithm()) ? d.hex() : d.toString();
    }

    private static void lists(StringBuilder sb, String table, Map<String, List<String>> m) {
        sb.append("\n[").append(table).append("]\n");
        for (Map.Entry<String, List<String>> e : m.entrySet()) {
            sb.append(quote(e.getKey())).append(" = [");
            if (e.getValue().isEmpty()) {
                sb.append("]\n");
                continue;
            }
            sb.append("\n");
            for (String v : e.getValue()) sb.append("    ").append(quote(v)).append(",\n");
            sb.append("]\n");
        }
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) sb.append(String.format("\\u%04X", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
