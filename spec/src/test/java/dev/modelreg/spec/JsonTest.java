package dev.modelreg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON codec (Jackson): kinds read, hostile input refused in one line, canonical writing. */
class JsonTest {
    @Test
    void readsPlainKindsWithIntegersAsLongs() {
        Object v = Json.parse("{\"a\":1,\"b\":[true,null,\"x\",2.5],\"c\":{\"d\":9223372036854775807}}");
        assertThat(v).isEqualTo(Map.of("a", 1L, "b", java.util.Arrays.asList(true, null, "x", 2.5),
                "c", Map.of("d", Long.MAX_VALUE)));
        assertThat(new java.util.ArrayList<Object>(((Map<?, ?>) v).keySet())).containsExactly("a", "b", "c");
    }

    @Test
    void refusesDuplicatesTrailingContentAndDeepNesting() {
        assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a");
        assertThatThrownBy(() -> Json.parse("{} {}")).hasMessageContaining("trailing content");
        assertThatThrownBy(() -> Json.parse("[".repeat(200) + "]".repeat(200))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parseObject("[1]".getBytes(StandardCharsets.UTF_8), "index.json"))
                .hasMessage("index.json: expected a JSON object");
        assertThatThrownBy(() -> Json.parseObject("{\"a\":\u001b}".getBytes(StandardCharsets.UTF_8), "m.json"))
                .hasMessageStartingWith("m.json: invalid JSON: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u001b").doesNotContain("\n"));
    }

    @Test
    void writesCompactlyInMapOrderEscapingOnlyWhatJsonRequires() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        m.put("size", 12L);
        m.put("text", "é \"q\" \\ \n\t\u0001");
        m.put("list", List.of(1L, "two"));
        m.put("none", null);
        m.put("digest", Digest.sha256("ab".repeat(32)));
        assertThat(Json.write(m)).isEqualTo("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"size\":12,"
                + "\"text\":\"é \\\"q\\\" \\\\ \\n\\t\\u0001\",\"list\":[1,\"two\"],\"none\":null,"
                + "\"digest\":\"sha256:" + "ab".repeat(32) + "\"}");
        assertThat(Json.parse(Json.write(m))).isEqualTo(Json.parse(Json.write(m)));
    }
}
