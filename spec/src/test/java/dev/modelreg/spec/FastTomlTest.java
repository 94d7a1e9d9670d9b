package dev.modelreg.spec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

/** Differential tests: the fast subset reader never disagrees with tomlj, and covers the files that matter. */
class FastTomlTest {
    static final String HEX = Digest.sha256Of(new byte[0]).hex();

    /** Documents in the subset: the fast reader must accept them and agree with tomlj. */
    static List<String> subsetDocs() {
        List<String> docs = new ArrayList<>(List.of(
                FileGroupsTest.NESTED,
                BootstrapConfigTest.DEVTOOLS,
                new String(BootstrapConfig.bundledBytes(), UTF_8),
                "",
                "# only a comment\r\n\r\n[a]\r\nb = 'lit' # trailing\r\n",
                "schema_version = \"1.0\"\ngenerated_at = \"2025-06-01T12:00:00+00:00\"\ndevtools_version = \"1.8.0\"\n",
                "[_meta]\ngenerated_at = 2025-06-01T12:00:00Z\nlocal = 2025-06-01T12:00:00.123456\nday = 2025-06-01\n"
                        + "t = 07:32:00\nspaced = 1979-05-27 07:32:00-07:00\nn = -12_345\nz = 0\nyes = true\nno = false\n",
                "[ files . \"a.b/c.nam\" ]\n\thash\t=\t\"" + HEX + "\"\n[files]\n[models]\n\"m\" = [ ]\nx = [\"a\",'b' ,\n\n  \"c\",]\n",
                "[files.\"esc \\\" \\\\ \\t \\u00e9 \\U0001F600 \\b\\f\\n\\r\"]\nurl = \"grüße 模型\"\n",
                "[\"\"]\n\"\" = \"\"\n",
                "[a.b.c]\n[a]\nd = \"x\"\n[a.b]\ne = \"y\"\n",
                // inline tables, as many registry files list their files
                "[files]\n\"ex-gwf-a/mfsim.nam\" = {hash = \"" + HEX + "\", url = \"https://x/a.nam\"}\n"
                        + "'b' = { hash = \"" + HEX + "\" }\nc = {}\n[models]\n\"m\" = [\"ex-gwf-a/mfsim.nam\"]\n",
                "a = {b = 1, c = true, d = {e = 'x', f = [\"y\", 'z']}, g = 2025-06-01T12:00:00Z}\nh = {\"i j\" = \"k\"} # c\n"));
        Random rnd = new Random(5);
        for (int n = 0; n < 5; n++) {
            docs.add(new String(ModelsTomlCodec.write(ModelsTomlCodecTest.sample(rnd, 30)), UTF_8));
        }
        return docs;
    }

    @Test
    void acceptsTheSubsetAndAgreesWithTomlj() {
        for (String doc : subsetDocs()) {
            TomlParseResult t = Toml.parse(doc);
            assertThat(t.errors()).as(doc).isEmpty();
            Map<String, Object> fast = FastToml.parse(doc);
            assertThat(fast).as("fast reader refused:\n%s", doc).isNotNull();
            assertThat(fast).as(doc).isEqualTo(TomlText.toMap(t));
        }
    }

    @Test
    void leavesEverythingElseToTomlj() {
        for (String doc : List.of("a.b = 1\n", "a = { b.c = 1 }\n", "a = {b = 1,}\n", "a = {b = 1\n}\n",
                "a = {b = 1, b = 2}\n", "a = {b = 1}\n[a]\n", "a = {b = 1}\n[a.c]\n", "[x]\na = {b = 1}\n[x.a.c]\n",
                "a = {b = 1} c = 2\n", "a = [{b = 1}]\n", "a = \"\"\"x\"\"\"\n", "a = 1.5\n", "[[a]]\n",
                "a = 0x1f\n", "a = [1, 2]\n", "a = [\n# c\n\"x\"]\n", "a = inf\n", "a = 1\na = 2\n", "[a]\n[a]\n",
                "a = \"x\"\n[a]\n", "a = \"\\x41\"\n", "a = \"\\ud800\"\n", "a = 2025-02-30\n", "a = 9223372036854775808\n",
                "a = \"x\" b = 1\n", "a = \"x\"\rb = 1\n", "a = 'x\n", "a = 12:00\n")) {
            assertThat(FastToml.parse(doc)).as(doc).isNull();
        }
    }

    /** Integers are read by a loop, not a regex: every edge of TOML's decimal integer against tomlj. */
    @Test
    void integersAgreeWithTomlj() {
        List<String> valid = List.of("0", "+0", "-0", "7", "+7", "-7", "10", "1_000", "12_345_678", "9223372036854775807",
                "-9223372036854775808");
        for (String w : List.of("00", "01", "+01", "0_1", "1__0", "_1", "1_", "+", "-", "+_1", "1_0_", "1a", "1_a", "--1")) {
            assertThat(FastToml.isInteger(w)).as(w).isFalse();
            assertThat(FastToml.parse("a = " + w + "\n")).as(w).isNull();
        }
        for (String w : valid) {
            assertThat(FastToml.isInteger(w)).as(w).isTrue();
            String doc = "a = " + w + "\n";
            assertThat(FastToml.parse(doc)).as(w).isEqualTo(TomlText.toMap(Toml.parse(doc)));
        }
    }

    /** Found by ModelsTomlFuzzTest: deeply nested inline tables overflowed the fast reader's stack. */
    @Test
    void deepInlineTablesAreLeftToTomljNotAStackOverflow() throws java.io.IOException {
        String deepest = "a = " + "{b = ".repeat(FastToml.MAX_DEPTH) + "1" + "}".repeat(FastToml.MAX_DEPTH) + "\n";
        assertThat(FastToml.parse(deepest)).isEqualTo(TomlText.toMap(Toml.parse(deepest)));
        String deeper = "a = " + "{b = ".repeat(FastToml.MAX_DEPTH + 1) + "1" + "}".repeat(FastToml.MAX_DEPTH + 1) + "\n";
        assertThat(FastToml.parse(deeper)).isNull();
        assertThat(ModelsTomlCodec.read(deeper.getBytes(UTF_8), "x").files()).isEmpty(); // tomlj reads it
        String hostile = "a = " + "{b = ".repeat(100_000) + "1" + "}".repeat(100_000) + "\n";
        assertThat(FastToml.parse(hostile)).isNull();
        assertThatThrownBy(() -> ModelsTomlCodec.read(hostile.getBytes(UTF_8), "x"))
                .isInstanceOf(RegistryFormatException.class).hasMessageContaining("x:1:").hasMessageContaining("Nesting is too deep");
    }

    /** Random edits of valid documents: whatever the fast reader accepts, tomlj accepts with the same value. */
    @Test
    void mutationsNeverMakeTheReadersDisagree() {
        List<String> docs = subsetDocs();
        String alphabet = "\"'[]=.,#\n\r\t \\uU0123456789-:abzTZ+_{}é";
        Random rnd = new Random(20261126);
        int accepted = 0;
        for (int n = 0; n < 2000; n++) {
            StringBuilder sb = new StringBuilder(docs.get(rnd.nextInt(docs.size())));
            for (int edits = 1 + rnd.nextInt(3); edits > 0; edits--) {
                int at = sb.length() == 0 ? 0 : rnd.nextInt(sb.length());
                switch (rnd.nextInt(3)) {
                    case 0 -> { if (sb.length() > 0) sb.deleteCharAt(at); }
                    case 1 -> sb.insert(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
                    default -> { if (sb.length() > 0) sb.setCharAt(at, alphabet.charAt(rnd.nextInt(alphabet.length()))); }
                }
            }
            String doc = sb.toString();
            Map<String, Object> fast = FastToml.parse(doc);
            if (fast == null) continue;
            accepted++;
            TomlParseResult t = Toml.parse(doc);
            assertThat(t.errors()).as("fast reader accepted what tomlj rejects:\n%s", doc).isEmpty();
            assertThat(fast).as(doc).isEqualTo(TomlText.toMap(t));
        }
        assertThat(accepted).as("mutations the fast reader accepted").isGreaterThan(250);
    }
}
