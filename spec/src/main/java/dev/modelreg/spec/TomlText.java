package dev.modelreg.spec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/** Parses TOML bytes strictly (valid UTF-8, a leading BOM tolerated); errors name origin:line:column. */
final class TomlText {
    private TomlText() {}

    /**
     * The document as nested maps (String, Long, Double, Boolean, java.time values, {@code List<Object>},
     * {@code Map<String, Object>}). The plain subset is read by {@link FastToml}; anything else by tomlj.
     */
    static Map<String, Object> parse(byte[] bytes, String origin) throws RegistryFormatException {
        String text = text(bytes, origin);
        Map<String, Object> fast = FastToml.parse(text);
        if (fast != null) {
            return fast;
        }
        return toMap(tomlj(text, origin));
    }

    /** The bytes as text: strict UTF-8, a leading BOM dropped. */
    static String text(byte[] bytes, String origin) throws RegistryFormatException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new RegistryFormatException(origin + ": not valid UTF-8 text");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return text;
    }

    static TomlParseResult tomlj(String text, String origin) throws RegistryFormatException {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            TomlParseError e = toml.errors().get(0);
            // tomlj quotes the offending text, control characters and all: shown printable, on one line
            String msg = Text.printable(e.getMessage().replaceFirst(" \\(line \\d+, column \\d+\\)$", ""));
            throw new RegistryFormatException(origin + ":" + e.position().line() + ":" + e.position().column()
                    + ": malformed TOML: " + msg);
        }
        return toml;
    }

    static Map<String, Object> toMap(TomlTable t) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : t.entrySet()) {
            m.put(e.getKey(), plain(e.getValue()));
        }
        return m;
    }

    private static Object plain(Object v) {
        if (v instanceof TomlTable t) return toMap(t);
        if (v instanceof TomlArray a) {
            List<Object> l = new ArrayList<>(a.size());
            for (int i = 0; i < a.size(); i++) l.add(plain(a.get(i)));
            return l;
        }
        return v;
    }
}
