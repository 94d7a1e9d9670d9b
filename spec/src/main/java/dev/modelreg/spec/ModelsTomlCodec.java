package dev.modelreg.spec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads every models.toml variant in use and writes one canonical form. See spec/README.md, "models.toml".
 *
 * <p>Read: {@code hash} as bare hex or {@code sha256:<hex>} (any case, kept lowercase), or absent/empty;
 * optional {@code size} (a non-negative integer), {@code url} and {@code path}; top-level {@code schema_version}, {@code generated_at},
 * {@code devtools_version} and an {@code [_meta]} table are tolerated; unknown keys and tables are ignored;
 * {@code [models]}/{@code [examples]} may be empty or missing. File keys (in {@code [files]} and in model
 * lists) must be safe relative paths. Read with {@code entrySet()}, so {@code [files."a.b/c.nam"]} is the one
 * key {@code a.b/c.nam}; an unquoted {@code [files.a.b]} (a nested table) is an error with a hint.
 *
 * <p>Write: sorted keys (Java String order), bare-hex sha256 hashes (what modflow-devtools writes), fixed
 * layout, LF line ends, so the same content always gives the same bytes.
 */
public final class ModelsTomlCodec {
    private ModelsTomlCodec() {}

    /**
     * Parses models.toml bytes. {@code origin} names the file in error messages (a path, URL or blob digest).
     *
     * @throws RegistryFormatException for malformed TOML ({@code origin:line:column: ...}), invalid UTF-8, a
     *     wrongly typed {@code [files]}/{@code [models]}/{@code [examples]} value, a bad hash or an unsafe file key
     */
    public static ModelsToml read(byte[] bytes, String origin) throws RegistryFormatException {
        try {
            Limits.checkRegistrySize(bytes.length, origin);
        } catch (IllegalArgumentException e) {
            throw new RegistryFormatException(e.getMessage());
        }
        return read(TomlText.parse(bytes, origin), origin);
    }

    /** The registry in a parsed TOML document (whichever reader parsed it: the fuzz test compares both). */
    static ModelsToml read(Map<String, Object> toml, String origin) throws RegistryFormatException {
        checkNotSplitFormat(toml, origin);
        TreeMap<String, FileEntry> files = new TreeMap<>();
        Map<String, Object> ft = table(toml, "files", origin);
        if (ft != null) {
            checkCount(ft.size(), Limits.MAX_FILES, origin, "files");
            for (Map.Entry<String, Object> e : ft.entrySet()) {
                checkKey(e.getKey(), "[files] entry", origin);
                files.put(e.getKey(), fileEntry(e.getKey(), e.getValue(), origin));
            }
        }
        TreeMap<String, List<String>> models = stringLists(toml, "models", origin);
        for (Map.Entry<String, List<String>> m : models.entrySet()) {
            for (String k : m.getValue()) checkKey(k, "[models] '" + Text.printable(m.getKey()) + "' file", origin);
        }
        TreeMap<String, List<String>> examples = stringLists(toml, "examples", origin);
        return new ModelsToml(schemaVersion(toml), files, models, examples);
    }

    /**
     * Refuses, in one line that names the format, a file of modflow-devtools' split registry format (devtools 1.8 and
     * older: {@code registry.toml} with one top-level table per file, {@code models.toml} and {@code examples.toml}
     * with one top-level list per model or example), which would otherwise read as an empty registry: it has no
     * {@code [files]}, {@code [models]} or {@code [examples]} table, and its top level holds lists or file tables.
     */
    private static void checkNotSplitFormat(Map<String, Object> toml, String origin) throws RegistryFormatException {
        if (toml.containsKey("files") || toml.containsKey("models") || toml.containsKey("examples")) return;
        String part = null;
        for (Map.Entry<String, Object> e : toml.entrySet()) {
            if (e.getValue() instanceof List<?>) {
                part = "model or example lists at the top level, as in its models.toml or examples.toml";
            } else if (e.getValue() instanceof Map<?, ?> t && (t.containsKey("hash") || t.containsKey("url"))) {
                part = "file entries at the top level, as in its registry.toml";
            }
            if (part != null) {
                throw new RegistryFormatException(origin + ": modflow-devtools' split registry format of devtools 1.8 and "
                        + "older (" + part + ", '" + Text.printable(e.getKey()) + "'), not a models.toml with [files], [models] "
                        + "and [examples] (devtools 1.9 and modelreg): make it again with modelreg make-registry");
            }
        }
    }

    /**
     * Checks a registry against the limits of {@link Limits} (what {@link #read} enforces): at most
     * {@link Limits#MAX_FILES} files, {@link Limits#MAX_MODELS} models and examples, and file keys and names within
     * {@link Limits#MAX_KEY_BYTES}, {@link Limits#MAX_KEY_SEGMENT_BYTES} and {@link Limits#MAX_KEY_SEGMENTS}. A
     * publisher calls it before it writes one.
     *
     * @throws RegistryFormatException naming {@code origin} and the limit
     */
    public static void checkLimits(ModelsToml r, String origin) throws RegistryFormatException {
        checkCount(r.files().size(), Limits.MAX_FILES, origin, "files");
        checkCount(r.models().size(), Limits.MAX_MODELS, origin, "models");
        checkCount(r.examples().size(), Limits.MAX_MODELS, origin, "examples");
        for (String k : r.files().keySet()) checkKey(k, "[files] entry", origin);
        for (Map.Entry<String, List<String>> m : r.models().entrySet()) {
            checkName(m.getKey(), "[models] name", origin);
            for (String k : m.getValue()) checkKey(k, "[models] '" + m.getKey() + "' file", origin);
        }
        for (String e : r.examples().keySet()) checkName(e, "[examples] name", origin);
    }

    private static void checkCount(int n, int limit, String origin, String things) throws RegistryFormatException {
        try {
            Limits.checkCount(n, limit, origin, things);
        } catch (IllegalArgumentException e) {
            throw new RegistryFormatException(e.getMessage());
        }
    }

    /** A model or example name is at most {@link Limits#MAX_KEY_BYTES} UTF-8 bytes. */
    private static void checkName(String name, String what, String origin) throws RegistryFormatException {
        long n = utf8Length(name, 0, name.length());
        if (n > Limits.MAX_KEY_BYTES) {
            throw new RegistryFormatException(origin + ": " + what + " '" + Text.printable(name) + "' is " + n
                    + " bytes long, more than the limit of " + Limits.MAX_KEY_BYTES);
        }
    }

    /** The top-level schema_version as text (a number is tolerated); null when absent or of another type. */
    private static String schemaVersion(Map<String, Object> toml) {
        Object v = toml.get("schema_version");
        if (v instanceof String s) return s;
        if (v instanceof Long || v instanceof Double) return v.toString();
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> table(Map<String, Object> toml, String key, String origin) throws RegistryFormatException {
        Object v = toml.get(key);
        if (v == null) return null;
        if (v instanceof Map<?, ?> t) return (Map<String, Object>) t;
        throw new RegistryFormatException(origin + ": [" + key + "] must be a table");
    }

    /** File keys are relative paths: not empty, not absolute, no '..' segment, no control characters. */
    private static void checkKey(String key, String what, String origin) throws RegistryFormatException {
        boolean bad = key.isEmpty() || key.charAt(0) == '/' || key.charAt(0) == '\\'
                || (key.length() > 1 && key.charAt(1) == ':' && Character.isLetter(key.charAt(0)));
        int segStart = 0;
        for (int i = 0; i <= key.length() && !bad; i++) {
            char c = i < key.length() ? key.charAt(i) : '/';
            if (c < 0x20 || c == 0x7f) {
                bad = true;
            } else if (c == '/' || c == '\\') {
                bad = i - segStart == 2 && key.charAt(segStart) == '.' && key.charAt(segStart + 1) == '.';
                segStart = i + 1;
            }
        }
        if (bad) {
            throw new RegistryFormatException(origin + ": " + what + " '" + Text.printable(key)
                    + "' is not a safe relative path (empty, absolute, '..' segment or control character)");
        }
        String why = null;
        long bytes = utf8Length(key, 0, key.length());
        if (bytes > Limits.MAX_KEY_BYTES) {
            why = "is " + bytes + " bytes long, more than the limit of " + Limits.MAX_KEY_BYTES;
        } else {
            int segments = 0;
            segStart = 0;
            for (int i = 0; i <= key.length() && why == null; i++) {
                if (i < key.length() && key.charAt(i) != '/' && key.charAt(i) != '\\') continue;
                long seg = utf8Length(key, segStart, i);
                if (seg > Limits.MAX_KEY_SEGMENT_BYTES) {
                    why = "has a " + seg + "-byte segment, more than the limit of " + Limits.MAX_KEY_SEGMENT_BYTES;
                } else if (++segments > Limits.MAX_KEY_SEGMENTS) {
                    why = "has more than " + Limits.MAX_KEY_SEGMENTS + " segments, the limit";
                }
                segStart = i + 1;
            }
        }
        if (why != null) {
            throw new RegistryFormatException(origin + ": " + what + " '" + Text.printable(key) + "' " + why);
        }
    }

    /** The UTF-8 length of {@code s[from, to)} (a surrogate pair is 4 bytes; a lone surrogate counts as 3). */
    static long utf8Length(CharSequence s, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) n += 1;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    private static FileEntry fileEntry(String key, Object value, String origin) throws RegistryFormatException {
        String where = origin + ": [files] entry '" + Text.printable(key) + "'";
        if (!(value instanceof Map<?, ?> t)) {
            throw new RegistryFormatException(where + " must be a table");
        }
        for (Map.Entry<?, ?> f : t.entrySet()) {
            if (f.getValue() instanceof Map) {
                String sub = Text.printable(String.valueOf(f.getKey()));
                throw new RegistryFormatException(where + " has a sub-table '" + sub
                        + "': quote keys that contain dots, e.g. [files.\"" + Text.printable(key) + "." + sub + "\"]");
            }
        }
        return new FileEntry(hash(t, where), optString(t, "url", where), optString(t, "path", where), size(t, where));
    }

    /** {@code size}: the file's length in bytes, a non-negative integer; absent means not said. */
    private static Long size(Map<?, ?> t, String where) throws RegistryFormatException {
        Object v = t.get("size");
        if (v == null) return null;
        if (!(v instanceof Long n) || n < 0) {
            throw new RegistryFormatException(where + ": size must be a non-negative integer (bytes), not "
                    + Text.printable(String.valueOf(v)));
        }
        return n;
    }

    /** {@code hash}: bare hex or ALGORITHM:HEX, any case (stored lowercase); absent or "" means no hash. */
    private static Digest hash(Map<?, ?> t, String where) throws RegistryFormatException {
        Object h = t.get("hash");
        if (h == null) return null;
        if (!(h instanceof String hs)) {
            throw new RegistryFormatException(where + ": hash must be a string");
        }
        String text = hs.trim().toLowerCase(Locale.ROOT);
        if (text.isEmpty()) return null;
        try {
            return Digest.parseLenient(text);
        } catch (IllegalArgumentException e) {
            throw new RegistryFormatException(where + ": " + Text.printable(e.getMessage()));
        }
    }

    private static String optString(Map<?, ?> t, String field, String where) throws RegistryFormatException {
        Object v = t.get(field);
        if (v == null) return null;
        if (v instanceof String s) return s;
        throw new RegistryFormatException(where + ": " + field + " must be a string");
    }

    private static TreeMap<String, List<String>> stringLists(Map<String, Object> toml, String key, String origin) throws RegistryFormatException {
        TreeMap<String, List<String>> out = new TreeMap<>();
        Map<String, Object> t = table(toml, key, origin);
        if (t == null) return out;
        checkCount(t.size(), Limits.MAX_MODELS, origin, key);
        for (Map.Entry<String, Object> e : t.entrySet()) {
            checkName(e.getKey(), "[" + key + "] name", origin);
            String bad = origin + ": [" + key + "] '" + Text.printable(e.getKey()) + "' must be a list of strings";
            if (!(e.getValue() instanceof List<?> a)) {
                throw new RegistryFormatException(bad);
            }
            List<String> l = new ArrayList<>(a.size());
            for (int i = 0; i < a.size(); i++) {
                if (!(a.get(i) instanceof String s)) {
                    throw new RegistryFormatException(bad);
                }
                l.add(s);
            }
            out.put(e.getKey(), l);
        }
        return out;
    }

    /** Canonical bytes: same content, same bytes (sorted keys, fixed layout, LF line ends, UTF-8). */
    public static byte[] write(ModelsToml r) {
        StringBuilder sb = new StringBuilder();
        if (r.schemaVersion() != null) {
            sb.append("schema_version = ").append(quote(r.schemaVersion())).append("\n");
        }
        for (Map.Entry<String, FileEntry> e : r.files().entrySet()) {
            sb.append("\n[files.").append(quote(e.getKey())).append("]\n");
            FileEntry f = e.getValue();
            if (f.hash() != null) sb.append("hash = ").append(quote(hashText(f.hash()))).append("\n");
            if (f.size() != null) sb.append("size = ").append(f.size()).append("\n");
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
