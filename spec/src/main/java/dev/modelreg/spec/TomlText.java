package dev.modelreg.spec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;

/** Parses TOML bytes strictly (valid UTF-8, a leading BOM tolerated); errors name origin:line:column. */
final class TomlText {
    private TomlText() {}

    static TomlParseResult parse(byte[] bytes, String origin) {
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
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            TomlParseError e = toml.errors().get(0);
            String msg = e.getMessage().replaceFirst(" \\(line \\d+, column \\d+\\)$", "");
            throw new RegistryFormatException(origin + ":" + e.position().line() + ":" + e.position().column()
                    + ": malformed TOML: " + msg);
        }
        return toml;
    }
}
