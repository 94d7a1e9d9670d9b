package dev.modelreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SafeWriterTest {
    static String through(String text) {
        StringWriter sink = new StringWriter();
        try (PrintWriter w = new PrintWriter(new SafeWriter(sink))) {
            w.print(text);
        }
        return sink.toString();
    }

    @Test
    void terminalControlsBecomeVisibleEscapes() {
        assertThat(through("X\u001b[31mRED\u001b]0;PWNED\u0007\u001b[0m\rmodelreg: ok\u0000"))
                .isEqualTo("X\\u001b[31mRED\\u001b]0;PWNED\\u0007\\u001b[0m\\u000dmodelreg: ok\\u0000");
        assertThat(through("a\u0085b\u009bc\u007fd")).isEqualTo("a\\u0085b\\u009bc\\u007fd");
        assertThat(through("file\u202etxt.exe\u2066")).isEqualTo("file\\u202etxt.exe\\u2066");
    }

    @Test
    void linesTabsAndTextPassUnchanged() {
        String text = "Models: 3\n\tex/ex-gwf-twri01 (13 files)\nÅ modèle 模型 ✓\n";
        assertThat(through(text)).isEqualTo(text);
        StringWriter sink = new StringWriter();
        try (PrintWriter w = new PrintWriter(new SafeWriter(sink))) {
            w.write('\u001b');
            w.write('x');
            w.write("ab\u0007cd", 1, 3);
        }
        assertThat(sink.toString()).isEqualTo("\\u001bxb\\u0007c");
    }

    @Test
    void jsonKeepsItsMeaning() {
        Map<String, Object> doc = Map.of("model", "ex/m\u001b]0;PWNED\u0007\r\u0085\u202e", "n", 2L);
        String out = through(Json.write(doc));
        assertThat(out.chars().noneMatch(SafeWriter::unsafe)).isTrue();
        assertThat(Json.parse(out)).isEqualTo(doc);
    }
}
