package dev.modelreg.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Descriptive metadata of a pushed ref ({@code push --metadata FILE}, spec/README.md 3.8): a flat TOML or JSON file of
 * keys and string values, stored as manifest annotations. Keys with a standard OCI annotation go under it
 * ({@link #STANDARD}); every other key under {@link Annotations#METADATA_PREFIX}. Bounded and validated: a bad file
 * is one line naming the file and the key.
 */
public final class Metadata {
    private Metadata() {}

    /** Metadata key -> the standard annotation it is stored under, in the order they are shown. */
    public static final Map<String, String> STANDARD = standard();

    private static final Pattern KEY = Pattern.compile("[a-z]([a-z0-9._-]*[a-z0-9])?");

    private static Map<String, String> standard() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("title", Annotations.TITLE);
        m.put("description", Annotations.DESCRIPTION);
        m.put("version", Annotations.VERSION);
        m.put("authors", Annotations.AUTHORS);
        m.put("license", Annotations.LICENSES); // the key a metadata file uses ("licenses" is accepted too)
        m.put("vendor", Annotations.VENDOR);
        m.put("url", Annotations.URL);
        m.put("documentation", Annotations.DOCUMENTATION);
        m.put("source", Annotations.SOURCE);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Reads {@code file} (at most {@link Limits#MAX_METADATA_BYTES}) and returns its annotations, see {@link #parse}. */
    public static Map<String, String> read(Path file) throws IOException {
        return parse(LocalFiles.read(file, "metadata file", Limits.MAX_METADATA_BYTES), file.toString());
    }

    /**
     * The annotations of a metadata file's bytes, sorted by key. JSON when {@code origin} ends in {@code .json}, TOML
     * when it ends in {@code .toml}, else JSON if the first non-blank character is <code>{</code>, else TOML.
     *
     * @throws IllegalArgumentException one line naming {@code origin} (and the key) when the file is not valid
     */
    public static Map<String, String> parse(byte[] bytes, String origin) {
        if (bytes.length > Limits.MAX_METADATA_BYTES) {
            throw new IllegalArgumentException(origin + ": " + bytes.length + " bytes, more than the "
                    + Limits.MAX_METADATA_BYTES + "-byte limit for a metadata file");
        }
        Map<String, Object> doc;
        try {
            doc = isJson(bytes, origin) ? Json.parseObject(bytes, origin) : TomlText.parse(bytes, origin);
        } catch (RegistryFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (doc.size() > Limits.MAX_METADATA_KEYS) {
            throw new IllegalArgumentException(origin + ": " + doc.size() + " keys, more than the limit of "
                    + Limits.MAX_METADATA_KEYS);
        }
        TreeMap<String, String> out = new TreeMap<>();
        for (Map.Entry<String, Object> e : doc.entrySet()) {
            String key = e.getKey();
            String where = origin + ": key '" + Text.printable(key) + "'";
            if (key.length() > Limits.MAX_METADATA_KEY_CHARS || !KEY.matcher(key).matches()) {
                throw new IllegalArgumentException(where + ": want lower-case letters, digits, '.', '_' or '-', starting"
                        + " with a letter, at most " + Limits.MAX_METADATA_KEY_CHARS + " characters");
            }
            String name = key.equals("licenses") ? "license" : key;
            String annotation = STANDARD.getOrDefault(name, Annotations.METADATA_PREFIX + name);
            if (out.containsKey(annotation)) throw new IllegalArgumentException(where + ": given twice (license, licenses)");
            out.put(annotation, value(e.getValue(), name, where));
        }
        return out;
    }

    /** The metadata view of a manifest's annotations: the standard keys present (in {@link #STANDARD} order), then the free keys. */
    public static Map<String, String> of(Map<String, String> annotations) {
        Map<String, String> out = new LinkedHashMap<>();
        STANDARD.forEach((k, a) -> {
            if (annotations.containsKey(a)) out.put(k, annotations.get(a));
        });
        new TreeMap<>(annotations).forEach((a, v) -> {
            if (a.startsWith(Annotations.METADATA_PREFIX) && a.length() > Annotations.METADATA_PREFIX.length()) {
                out.put(a.substring(Annotations.METADATA_PREFIX.length()), v);
            }
        });
        return out;
    }

    private static String value(Object v, String name, String where) {
        String s;
        if (v instanceof String str) {
            s = str;
        } else if (v instanceof List<?> l && name.equals("authors")) {
            StringBuilder b = new StringBuilder();
            for (Object o : l) {
                if (!(o instanceof String a) || a.isBlank()) throw new IllegalArgumentException(where + ": want a list of non-empty strings");
                b.append(b.length() > 0 ? ", " : "").append(a);
            }
            s = b.toString();
        } else {
            throw new IllegalArgumentException(where + ": want a string" + (name.equals("authors") ? " or a list of strings" : "")
                    + ", got " + kind(v));
        }
        if (s.isBlank()) throw new IllegalArgumentException(where + ": empty value");
        int bytes = s.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > Limits.MAX_METADATA_VALUE_BYTES) {
            throw new IllegalArgumentException(where + ": value is " + bytes + " bytes, more than the limit of "
                    + Limits.MAX_METADATA_VALUE_BYTES);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\n' && c != '\t' && Text.isControl(c)) {
                throw new IllegalArgumentException(where + ": control character " + Text.escape(c) + " in the value");
            }
        }
        return s;
    }

    private static String kind(Object v) {
        if (v instanceof Map<?, ?>) return "a table";
        if (v instanceof List<?>) return "a list";
        if (v == null) return "null";
        return v.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    private static boolean isJson(byte[] bytes, String origin) {
        String o = origin.toLowerCase(Locale.ROOT);
        if (o.endsWith(".json")) return true;
        if (o.endsWith(".toml")) return false;
        for (byte b : bytes) {
            if (b == ' ' || b == '\t' || b == '\n' || b == '\r') continue;
            return b == '{';
        }
        return false;
    }
}
