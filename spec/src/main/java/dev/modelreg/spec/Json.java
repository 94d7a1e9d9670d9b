package dev.modelreg.spec;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.jr.ob.JSON;

/**
 * Every JSON document modelreg reads or writes (manifests, image indexes, index.json, state.json, token answers,
 * registry error bodies, {@code --json} output) goes through Jackson (jackson-core and jackson-jr) here.
 * {@link #parse} gives plain insertion-ordered Maps, Lists, Strings, Longs (every integer that fits), Doubles,
 * Booleans and nulls; a duplicate key, trailing content or nesting deeper than {@link Limits#MAX_JSON_DEPTH} is an
 * error. {@link #write} renders the same kinds compactly with keys in the map's own order, escaping only what JSON
 * requires (never {@code /} or non-ASCII, lowercase {@code \\u} hex), so canonical manifests keep their bytes.
 * Any other value is written as its {@code toString()}.
 */
public final class Json {
    private Json() {}

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .disable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Limits.MAX_JSON_DEPTH).build())
            .build();
    private static final JSON CODEC = JSON.builder(FACTORY)
            .enable(JSON.Feature.PRESERVE_FIELD_ORDERING, JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS,
                    JSON.Feature.WRITE_NULL_PROPERTIES)
            .disable(JSON.Feature.HANDLE_JAVA_BEANS)
            .build();

    /** Parses one JSON document; malformed input throws IllegalArgumentException with a one-line reason. */
    public static Object parse(byte[] bytes) {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), bytes)) {
            Object v = CODEC.anyFrom(p);
            if (p.nextToken() != null) throw new IllegalArgumentException("trailing content " + at(p.currentLocation()));
            return normalize(v);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(Text.oneLine(e.getOriginalMessage()) + " " + at(e.getLocation()), e);
        }
    }

    public static Object parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses a document that must be an object; errors name {@code what}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(byte[] bytes, String what) {
        Object v;
        try {
            v = parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": invalid JSON: " + e.getMessage(), e);
        }
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException(what + ": expected a JSON object");
        }
        return (Map<String, Object>) v;
    }

    public static String write(Object value) {
        return new String(writeBytes(value), StandardCharsets.UTF_8);
    }

    public static byte[] writeBytes(Object value) {
        return CODEC.asBytes(plain(value));
    }

    private static String at(TokenStreamLocation l) {
        return l == null ? "" : "(line " + l.getLineNr() + ", column " + l.getColumnNr() + ")";
    }

    /** Integers as Long (as the readers of sizes expect); BigIntegers that fit too. */
    private static Object normalize(Object v) {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        if (v instanceof BigInteger b && b.bitLength() < 64) return b.longValue();
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), normalize(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object x : l) out.add(normalize(x));
            return out;
        }
        return v;
    }

    /** The tree with every value that is not a JSON kind replaced by its {@code toString()}. */
    private static Object plain(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) return v;
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
            return out;
        }
        if (v instanceof Iterable<?> it) {
            List<Object> out = new ArrayList<>();
            for (Object x : it) out.add(plain(x));
            return out;
        }
        return v.toString();
    }
}
