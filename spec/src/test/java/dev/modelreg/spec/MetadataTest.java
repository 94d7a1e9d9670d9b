package dev.modelreg.spec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataTest {
    static Map<String, String> parse(String text, String origin) {
        return Metadata.parse(text.getBytes(UTF_8), origin);
    }

    @Test
    void standardKeysGoUnderOciAnnotationsAndFreeKeysUnderThePrefix() {
        Map<String, String> a = parse("""
                description = "MODFLOW 6 examples"
                authors = ["Ann", "Bob"]
                license = "CC0-1.0"
                title = "Examples"
                grid = "structured"
                """, "m.toml");
        assertThat(a).containsExactlyInAnyOrderEntriesOf(Map.of(
                Annotations.DESCRIPTION, "MODFLOW 6 examples",
                Annotations.AUTHORS, "Ann, Bob",
                Annotations.LICENSES, "CC0-1.0",
                Annotations.TITLE, "Examples",
                "dev.modelreg.metadata.grid", "structured"));
        assertThat(Metadata.of(a)).containsExactly(Map.entry("title", "Examples"),
                Map.entry("description", "MODFLOW 6 examples"), Map.entry("authors", "Ann, Bob"),
                Map.entry("license", "CC0-1.0"), Map.entry("grid", "structured"));
    }

    @Test
    void jsonAndTomlOfTheSameContentGiveTheSameAnnotations() {
        Map<String, String> t = parse("description = \"d\"\nvendor = \"v\"\n", "m.toml");
        Map<String, String> j = parse("{\"vendor\": \"v\", \"description\": \"d\"}", "m.json");
        Map<String, String> sniffed = parse("  {\"vendor\": \"v\", \"description\": \"d\"}", "metadata");
        assertThat(j).isEqualTo(t).isEqualTo(sniffed);
    }

    @Test
    void badInputIsOneLineNamingTheFileAndKey() {
        assertThatThrownBy(() -> parse("Bad = \"x\"", "m.toml")).hasMessageStartingWith("m.toml: key 'Bad': want lower-case");
        assertThatThrownBy(() -> parse("size = 3", "m.toml")).hasMessage("m.toml: key 'size': want a string, got long");
        assertThatThrownBy(() -> parse("[x]\na = \"b\"", "m.toml")).hasMessageContaining("key 'x': want a string, got a table");
        assertThatThrownBy(() -> parse("{\"d\": \"a\\u001b[2Jb\"}", "m.json")).hasMessageContaining("key 'd': control character \\u001b");
        assertThatThrownBy(() -> parse("license = \"a\"\nlicenses = \"b\"", "m.toml")).hasMessageContaining("given twice");
        assertThatThrownBy(() -> parse("x = \"\"", "m.toml")).hasMessage("m.toml: key 'x': empty value");
        assertThatThrownBy(() -> parse("x = \"" + "a".repeat(Limits.MAX_METADATA_VALUE_BYTES + 1) + "\"", "m.toml"))
                .hasMessageContaining("more than the limit of 8192");
        assertThatThrownBy(() -> parse("x = ", "m.toml")).hasMessageStartingWith("m.toml:1:").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> parse("{\"a\": ", "m.json")).hasMessageStartingWith("m.json: invalid JSON");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= Limits.MAX_METADATA_KEYS; i++) many.append("k").append(i).append(" = \"v\"\n");
        assertThatThrownBy(() -> parse(many.toString(), "m.toml")).hasMessageContaining("more than the limit of 64");
    }
}
