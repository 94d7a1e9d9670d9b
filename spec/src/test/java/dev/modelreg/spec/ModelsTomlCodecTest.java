package dev.modelreg.spec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ModelsTomlCodecTest {
    static final String H1 = Digest.sha256Of("mfsim.nam".getBytes(UTF_8)).hex();
    static final String H2 = Digest.sha256Of("gwf.dis".getBytes(UTF_8)).hex();
    static final String H3 = Digest.sha256Of("gwf.npf".getBytes(UTF_8)).hex();

    static ModelsToml read(String text) throws java.io.IOException {
        return ModelsTomlCodec.read(text.getBytes(UTF_8), "models.toml");
    }

    @Test
    void readsModflowDevtoolsStyleWithBareHexAndUrls() throws java.io.IOException {
        String raw = "https://raw.githubusercontent.com/MODFLOW-ORG/modflow6-examples/master/examples/";
        ModelsToml r = read("""
                schema_version = "1.0"
                generated_at = "2025-06-01T12:00:00+00:00"
                devtools_version = "1.8.0"

                [files."ex-gwf-twri01/mfsim.nam"]
                hash = "%s"
                url = "%sex-gwf-twri01/mfsim.nam"

                [files."ex-gwf-twri01/twri01.dis"]
                hash = "%s"
                url = "%sex-gwf-twri01/twri01.dis"

                [models]
                "mf6/example/ex-gwf-twri01" = ["ex-gwf-twri01/mfsim.nam", "ex-gwf-twri01/twri01.dis"]

                [examples]
                ex-gwf-twri = ["mf6/example/ex-gwf-twri01"]
                """.formatted(H1, raw, H2, raw));
        assertThat(r.schemaVersion()).isEqualTo("1.0");
        assertThat(r.files()).containsOnlyKeys("ex-gwf-twri01/mfsim.nam", "ex-gwf-twri01/twri01.dis");
        FileEntry nam = r.files().get("ex-gwf-twri01/mfsim.nam");
        assertThat(nam.hash()).isEqualTo(Digest.sha256(H1));
        assertThat(nam.url()).isEqualTo(raw + "ex-gwf-twri01/mfsim.nam");
        assertThat(nam.path()).isNull();
        assertThat(r.filesOf("mf6/example/ex-gwf-twri01"))
                .containsExactly("ex-gwf-twri01/mfsim.nam", "ex-gwf-twri01/twri01.dis");
        assertThat(r.examples()).containsEntry("ex-gwf-twri", List.of("mf6/example/ex-gwf-twri01"));
    }

    @Test
    void readsDesignDocStyleWithSha256PrefixAndMetaTable() throws java.io.IOException {
        ModelsToml r = read("""
                [_meta]
                schema_version = "1.0"
                generated_at = 2025-06-01T12:00:00Z
                devtools_version = "2.0.0.dev1"

                [files."test001a_Tharmonic/mfsim.nam"]
                hash = "sha256:%s"
                path = "test001a_Tharmonic/mfsim.nam"

                [models]
                "mf6/test/test001a_Tharmonic" = ["test001a_Tharmonic/mfsim.nam"]
                """.formatted(H1));
        assertThat(r.schemaVersion()).isNull();
        FileEntry e = r.files().get("test001a_Tharmonic/mfsim.nam");
        assertThat(e.hash()).isEqualTo(Digest.sha256(H1));
        assertThat(e.path()).isEqualTo("test001a_Tharmonic/mfsim.nam");
        assertThat(e.url()).isNull();
        assertThat(r.examples()).isEmpty();
    }

    @Test
    void readsReleaseZipStyleWithoutHashes() throws java.io.IOException {
        ModelsToml r = read("""
                [files."ex-gwf-bcf2ss-p01a/mfsim.nam"]
                url = "https://github.com/MODFLOW-ORG/modflow6-examples/releases/download/current/mf6examples.zip"

                [files."ex-gwf-bcf2ss-p01a/bcf2ss.ic"]
                url = "https://github.com/MODFLOW-ORG/modflow6-examples/releases/download/current/mf6examples.zip"
                hash = ""

                [models]
                "mf6/example/ex-gwf-bcf2ss-p01a" = ["ex-gwf-bcf2ss-p01a/mfsim.nam", "ex-gwf-bcf2ss-p01a/bcf2ss.ic"]
                """);
        assertThat(r.files().values()).hasSize(2).allSatisfy(f -> {
            assertThat(f.hash()).isNull();
            assertThat(f.url()).endsWith("/mf6examples.zip");
        });
    }

    @Test
    void uppercaseHexAndPrefixAreLowercased() throws java.io.IOException {
        ModelsToml r = read("""
                [files.a]
                hash = "%s"
                [files.b]
                hash = "SHA256:%s"
                """.formatted(H1.toUpperCase(), H2.toUpperCase()));
        assertThat(r.files().get("a").hash()).isEqualTo(Digest.sha256(H1));
        assertThat(r.files().get("b").hash()).isEqualTo(Digest.sha256(H2));
    }

    @Test
    void missingAndEmptyTablesGiveEmptyMaps() throws java.io.IOException {
        assertThat(read("")).isEqualTo(new ModelsToml(null, null, null, null));
        ModelsToml r = read("""
                schema_version = "1.0"
                [files]
                [models]
                [examples]
                """);
        assertThat(r.files()).isEmpty();
        assertThat(r.models()).isEmpty();
        assertThat(r.examples()).isEmpty();
        assertThat(read("[models]\nempty = []\n").models()).containsEntry("empty", List.of());
    }

    @Test
    void unknownKeysAndTablesAreIgnored() throws java.io.IOException {
        ModelsToml r = read("""
                schema_version = 1
                generator = { name = "other", version = 3 }
                [files."a/b.txt"]
                hash = "%s"
                mtime = 2024-01-01T00:00:00Z
                [models]
                m = ["a/b.txt"]
                [extra]
                anything = [1, 2, 3]
                """.formatted(H1));
        assertThat(r.schemaVersion()).isEqualTo("1");
        assertThat(r.files()).containsOnlyKeys("a/b.txt");
        assertThat(r.files().get("a/b.txt")).isEqualTo(FileEntry.ofHash(Digest.sha256(H1)));
    }

    @Test
    void aSizeIsReadAndMustBeANonNegativeInteger() throws java.io.IOException {
        ModelsToml r = read("[files.a]\nhash = \"%s\"\nsize = 123\n[files.b]\nsize = 0\n".formatted(H1));
        assertThat(r.files().get("a")).isEqualTo(new FileEntry(Digest.sha256(H1), null, null, 123L));
        assertThat(r.files().get("b").size()).isZero();
        for (String bad : List.of("-1", "\"12\"", "1.5", "true", "[1]")) {
            assertThatThrownBy(() -> read("[files.a]\nhash = \"%s\"\nsize = %s\n".formatted(H1, bad))).as(bad)
                    .isInstanceOf(RegistryFormatException.class)
                    .hasMessageContaining("[files] entry 'a': size must be a non-negative integer");
        }
    }

    @Test
    void fileKeysWithDotsSpacesAndUnicodeAreSingleKeys() throws java.io.IOException {
        ModelsToml r = read("""
                [files."a.b/c.nam"]
                hash = "%s"
                [files."with space/x y.dat"]
                hash = "%s"
                [files."grüße/模型.nam"]
                hash = "%s"
                [files]
                "inline.key" = { hash = "%s" }
                """.formatted(H1, H2, H3, H1));
        assertThat(r.files()).containsOnlyKeys("a.b/c.nam", "with space/x y.dat", "grüße/模型.nam", "inline.key");
        assertThat(r.files().get("grüße/模型.nam").hash()).isEqualTo(Digest.sha256(H3));
        assertThat(ModelsTomlCodec.read(ModelsTomlCodec.write(r), "again")).isEqualTo(r);
    }

    @Test
    void unquotedDottedFileKeyIsAnErrorWithAHint() {
        assertThatThrownBy(() -> read("[files.mfsim.nam]\nhash = \"%s\"\n".formatted(H1)))
                .isInstanceOf(RegistryFormatException.class)
                .hasMessage("models.toml: [files] entry 'mfsim' has a sub-table 'nam': quote keys that contain dots,"
                        + " e.g. [files.\"mfsim.nam\"]");
    }

    @Test
    void malformedTomlNamesOriginLineAndColumn() {
        String text = "[files.\"a\"]\nhash = \"%s\"\n\n[models]\nm = [\"a\",\n  \"b\"\nn = 1\n".formatted(H1);
        assertThatThrownBy(() -> ModelsTomlCodec.read(text.getBytes(UTF_8), "cache/mf6-test/develop/models.toml"))
                .isInstanceOf(RegistryFormatException.class)
                .hasMessageStartingWith("cache/mf6-test/develop/models.toml:6:6: malformed TOML: ")
                .hasMessageContaining("malformed TOML")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> read("[files.a]\nhash = \"x\"\n[files.a]\nhash = \"y\"\n"))
                .hasMessageStartingWith("models.toml:3:1: malformed TOML");
        assertThatThrownBy(() -> read("a = \"unterminated\n"))
                .hasMessageStartingWith("models.toml:1:");
    }

    @Test
    void invalidUtf8IsRejected() {
        byte[] bytes = {'[', 'f', 'i', 'l', 'e', 's', ']', '\n', '"', (byte) 0xff, '"', ' ', '=', ' ', '{', '}', '\n'};
        assertThatThrownBy(() -> ModelsTomlCodec.read(bytes, "x.toml"))
                .isInstanceOf(RegistryFormatException.class).hasMessage("x.toml: not valid UTF-8 text");
    }

    @Test
    void byteOrderMarkIsTolerated() throws java.io.IOException {
        byte[] body = "[models]\nm = []\n".getBytes(UTF_8);
        byte[] bytes = new byte[body.length + 3];
        bytes[0] = (byte) 0xEF;
        bytes[1] = (byte) 0xBB;
        bytes[2] = (byte) 0xBF;
        System.arraycopy(body, 0, bytes, 3, body.length);
        assertThat(ModelsTomlCodec.read(bytes, "bom").models()).containsOnlyKeys("m");
    }

    @Test
    void badEntriesNameTheFileAndTheEntry() {
        assertThatThrownBy(() -> read("[files.\"a/b.nam\"]\nhash = \"abc123\"\n"))
                .isInstanceOf(RegistryFormatException.class)
                .hasMessageStartingWith("models.toml: [files] entry 'a/b.nam': invalid sha256 digest 'abc123'");
        assertThatThrownBy(() -> read("[files.a]\nhash = \"%s0\"\n".formatted(H1)))
                .hasMessageContaining("entry 'a': invalid sha256 digest");
        assertThatThrownBy(() -> read("[files.a]\nhash = \"md5:%s\"\n".formatted(H1)))
                .hasMessageContaining("entry 'a': unsupported digest algorithm 'md5'");
        assertThatThrownBy(() -> read("[files.a]\nhash = \"%sz\"\n".formatted(H1.substring(1))))
                .hasMessageContaining("entry 'a': invalid sha256 digest");
        assertThatThrownBy(() -> read("[files.a]\nhash = 12345\n"))
                .hasMessage("models.toml: [files] entry 'a': hash must be a string");
        assertThatThrownBy(() -> read("[files.a]\nurl = [\"x\"]\n"))
                .hasMessage("models.toml: [files] entry 'a': url must be a string");
        assertThatThrownBy(() -> read("[files]\na = \"%s\"\n".formatted(H1)))
                .hasMessage("models.toml: [files] entry 'a' must be a table");
        assertThatThrownBy(() -> read("files = [\"a\"]\n"))
                .hasMessage("models.toml: [files] must be a table");
    }

    @Test
    void badModelListsAreErrors() {
        assertThatThrownBy(() -> read("[models]\nm = \"a\"\n"))
                .isInstanceOf(RegistryFormatException.class)
                .hasMessage("models.toml: [models] 'm' must be a list of strings");
        assertThatThrownBy(() -> read("[models]\nm = [\"a\", 2]\n"))
                .hasMessage("models.toml: [models] 'm' must be a list of strings");
        assertThatThrownBy(() -> read("[examples]\nex = { m = 1 }\n"))
                .hasMessage("models.toml: [examples] 'ex' must be a list of strings");
        assertThatThrownBy(() -> read("models = 3\n")).hasMessage("models.toml: [models] must be a table");
    }

    @Test
    void unsafeFileKeysAreRejected() throws java.io.IOException {
        for (String key : List.of("../escape.nam", "a/../../b", "/etc/passwd", "\\\\server\\share", "C:/x", "a\\..\\b", "tab\there", "")) {
            assertThatThrownBy(() -> read("[files.'%s']\nhash = \"%s\"\n".formatted(key, H1)))
                    .as(key).isInstanceOf(RegistryFormatException.class)
                    .hasMessageContaining("is not a safe relative path");
        }
        assertThatThrownBy(() -> read("[models]\nm = [\"ok\", \"../up\"]\n"))
                .hasMessageStartingWith("models.toml: [models] 'm' file '../up' is not a safe relative path");
        assertThat(read("[files.\"a/..b/c..\"]\nhash = \"%s\"\n".formatted(H1)).files()).containsOnlyKeys("a/..b/c..");
    }

    /** Found by ModelsTomlFuzzTest: control characters of a key or hash went into the message as they were. */
    @Test
    void keysAndHashesInMessagesAreOneLineAndPrintable() {
        assertThatThrownBy(() -> read("[files.\"a\\rb\\u001b[2J\"]\nhash = \"%s\"\n".formatted(H1)))
                .hasMessage("models.toml: [files] entry 'a\\u000db\\u001b[2J' is not a safe relative path"
                        + " (empty, absolute, '..' segment or control character)");
        assertThatThrownBy(() -> read("[models]\n\"m\\n2\" = [\"x\\ny\"]\n"))
                .hasMessageStartingWith("models.toml: [models] 'm\\u000a2' file 'x\\u000ay' is not a safe relative path");
        assertThatThrownBy(() -> read("[models]\n\"m\\n2\" = 3\n"))
                .hasMessage("models.toml: [models] 'm\\u000a2' must be a list of strings");
        assertThatThrownBy(() -> read("[files.a]\nhash = \"ab\\ncd\"\n"))
                .hasMessageStartingWith("models.toml: [files] entry 'a': invalid sha256 digest 'ab\\u000acd'");
        assertThatThrownBy(() -> read("[files.\"a\\tb\"]\nhash = 1\n"))
                .hasMessageStartingWith("models.toml: [files] entry 'a\\u0009b'");
        // tomlj's own message quotes the text it stopped at
        assertThatThrownBy(() -> read("a = \"\\\r\"\n"))
                .hasMessage("models.toml:1:6: malformed TOML: Invalid escape sequence '\\\\u000d'");
    }

    @Test
    void roundTripIsExactAndStable() throws java.io.IOException {
        ModelsToml x = sample(new Random(42), 60);
        byte[] once = ModelsTomlCodec.write(x);
        ModelsToml back = ModelsTomlCodec.read(once, "once");
        assertThat(back).isEqualTo(x);
        assertThat(ModelsTomlCodec.write(back)).isEqualTo(once);
    }

    @Test
    void roundTripOfEveryVariantIsByteStable() throws java.io.IOException {
        for (String text : List.of(
                "[files.\"a.b/c.nam\"]\nhash = \"sha256:%s\"\nurl = \"https://x/y\"\npath = \"p\"\n".formatted(H1),
                "[_meta]\ngenerated_at = 2024-01-01T00:00:00Z\n[files.a]\nurl = \"u\"\n[models]\nm = []\n",
                "schema_version = \"1.0\"\n[files.\"q\\\"uote\\\\back slash\"]\nhash = \"%s\"\n".formatted(H2))) {
            ModelsToml r = read(text);
            byte[] w = ModelsTomlCodec.write(r);
            assertThat(ModelsTomlCodec.read(w, "w")).isEqualTo(r);
            assertThat(ModelsTomlCodec.write(ModelsTomlCodec.read(w, "w"))).isEqualTo(w);
        }
    }

    @Test
    void writtenFormIsCanonicalModflowDevtoolsStyle() throws java.io.IOException {
        ModelsToml r = read("""
                [models]
                "mf6/test/b" = ["b/mfsim.nam"]
                "mf6/test/a" = []
                [files."b/mfsim.nam"]
                url = "https://raw.githubusercontent.com/o/r/develop/b/mfsim.nam"
                size = 42
                hash = "sha256:%s"
                [files."a.txt"]
                path = "a.txt"
                schema_version = "ignored: inside [files.\\"a.txt\\"]"
                """.formatted(H1));
        String expected = """

                [files."a.txt"]
                path = "a.txt"

                [files."b/mfsim.nam"]
                hash = "%s"
                size = 42
                url = "https://raw.githubusercontent.com/o/r/develop/b/mfsim.nam"

                [models]
                "mf6/test/a" = []
                "mf6/test/b" = [
                    "b/mfsim.nam",
                ]

                [examples]
                """.formatted(H1);
        assertThat(new String(ModelsTomlCodec.write(r), UTF_8)).isEqualTo(expected);
    }

    @Test
    void writeIsIndependentOfInsertionOrder() {
        ModelsToml x = sample(new Random(7), 40);
        for (int seed = 0; seed < 5; seed++) {
            Random rnd = new Random(seed);
            assertThat(ModelsTomlCodec.write(shuffled(x, rnd))).isEqualTo(ModelsTomlCodec.write(x));
        }
    }

    /** A registry with random keys (dots, spaces, unicode, quotes), hashes, urls, paths, models and examples. */
    static ModelsToml sample(Random rnd, int n) {
        String[] parts = {"ex-gwf-twri01", "mfsim.nam", "a.b", "with space", "grüße", "模型", "q\"uote", "back\\slash", "t1", "gwf.dis"};
        Map<String, FileEntry> files = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String key = parts[rnd.nextInt(parts.length)] + "/" + parts[rnd.nextInt(parts.length)] + i;
            Digest hash = rnd.nextInt(4) == 0 ? null : Digest.sha256Of(key.getBytes(UTF_8));
            String url = rnd.nextBoolean() ? "https://raw.githubusercontent.com/o/r/develop/" + key : null;
            String path = rnd.nextInt(3) == 0 ? key : null;
            files.put(key, new FileEntry(hash, url, path, i % 2 == 0 ? (long) key.length() * 1000 : null)); // no rnd draw
        }
        List<String> keys = new ArrayList<>(files.keySet());
        Map<String, List<String>> models = new LinkedHashMap<>();
        for (int m = 0; m < n / 5; m++) {
            List<String> list = new ArrayList<>();
            for (int j = rnd.nextInt(6); j > 0; j--) list.add(keys.get(rnd.nextInt(keys.size())));
            models.put("mf6/test/" + parts[rnd.nextInt(parts.length)] + m, list);
        }
        Map<String, List<String>> examples = new LinkedHashMap<>();
        examples.put("ex", new ArrayList<>(models.keySet()).subList(0, Math.min(3, models.size())));
        return new ModelsToml(rnd.nextBoolean() ? "1.0" : null, new TreeMap<>(files), new TreeMap<>(models), new TreeMap<>(examples));
    }

    static ModelsToml shuffled(ModelsToml x, Random rnd) {
        List<String> fk = new ArrayList<>(x.files().keySet());
        Collections.shuffle(fk, rnd);
        Map<String, FileEntry> files = new LinkedHashMap<>();
        fk.forEach(k -> files.put(k, x.files().get(k)));
        List<String> mk = new ArrayList<>(x.models().keySet());
        Collections.shuffle(mk, rnd);
        Map<String, List<String>> models = new LinkedHashMap<>();
        mk.forEach(k -> models.put(k, x.models().get(k)));
        return new ModelsToml(x.schemaVersion(), sortedView(files), sortedView(models), x.examples());
    }

    private static <V> java.util.SortedMap<String, V> sortedView(Map<String, V> m) {
        // ModelsToml takes SortedMaps; a reverse-ordered map proves its constructor re-sorts by natural order.
        TreeMap<String, V> t = new TreeMap<>(Collections.reverseOrder());
        t.putAll(m);
        return t;
    }
}
