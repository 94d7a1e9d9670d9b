package dev.modelreg.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Text.printable: escapes what could steer a terminal, cuts long text, and gives plain short text back as it is. */
class TextTest {
    @Test
    void controlAndBidiCharactersAreEscaped() {
        assertThat(Text.printable("a\u001b[31mb")).isEqualTo("a\\u001b[31mb");
        assertThat(Text.printable("x\ny\rz\u007f")).isEqualTo("x\\u000ay\\u000dz\\u007f");
        assertThat(Text.printable("\u202eevil\u2066\u0085")).isEqualTo("\\u202eevil\\u2066\\u0085");
        assertThat(Text.printable(null)).isEmpty();
    }

    @Test
    void plainTextUpToTheLimitIsGivenBackAndLongerIsCut() {
        String plain = "models/ex-gwf-twri/mfsim.nam grüße 模型";
        assertThat(Text.printable(plain)).isSameAs(plain);
        String limit = "a".repeat(Limits.MAX_SHOWN_TEXT);
        assertThat(Text.printable(limit)).isEqualTo(limit);
        assertThat(Text.printable(limit + "b")).isEqualTo(limit + "...");
        assertThat(Text.printable("\n" + limit)).isEqualTo("\\u000a" + "a".repeat(Limits.MAX_SHOWN_TEXT - 6) + "...");
    }
}
