package dev.modelreg.spec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Bounded fuzzing of the models.toml readers: real registry files, mutated (character and token edits, bit flips,
 * truncations, duplicated or dropped lines, deep nesting), read by {@link ModelsTomlCodec#read(byte[], String)} (the
 * fast reader, falling back to tomlj) and by the same codec over tomlj alone. Both must reject (with a
 * {@link RegistryFormatException} whose message is one line naming the file, the same from both), or both accept
 * with equal content. Anything else (another throwable, a disagreement, a case over 10 s) fails with the seed, the
 * case index and the input. (The content modules' fuzz tests use testkit's Fuzz; spec cannot depend on testkit.) Cases: {@code -Dmodelreg.fuzz.cases=N} (default 2000); seed: {@code -Dmodelreg.fuzz.seed}.
 * A failing input is also written to {@code target/fuzz/}.
 */
class ModelsTomlFuzzTest {
    static final String ORIGIN = "fuzz.toml";
    static final String[] TOKENS = {"\"", "'", "'''", "\"\"\"", "[", "]", "[[", "]]", "{", "}", "=", ".", ",", "#",
            "\n", "\r\n", "\r", "\t", " ", "\\", "\\u00e9", "\\U0001F600", "\\ud800", "\\x41", "\u0000", "\u007f", "é",
            "\u202e", "1", "-1", "1.5", "0x1f", "inf", "nan", "true", "9223372036854775808", "2025-06-01",
            "2025-13-40", "07:32:00", "1979-05-27 07:32:00Z", "{}", "[]", "{a = 1}", "[\"x\"]", "[1, 2]", " = ",
            "[files]\n", "[models]\n", "[examples]\n", "[files.a]\n", "[files.\"../up\"]\n", "files = 1\n",
            "hash = \"sha256:abc\"\n", "hash = 3\n", "url = []\n", "\"/abs\"", "\"a\\nb\"", "\"..\"", "\"C:x\"",
            "m = [\"../x\"]\n", "a.b = 1\n", "schema_version = 2\n", "[_meta]\n"};
    static final ExecutorService RUNNER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "models-toml-fuzz");
        t.setDaemon(true); // a case that hangs must not keep the JVM alive
        return t;
    });

    static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    static volatile long cpuNanos;

    @AfterAll
    static void stop() {
        RUNNER.shutdownNow();
    }

    /** One reader's answer: the registry, or the clean refusal's message. */
    record Outcome(ModelsToml registry, String refusal) {}

    static int cases(int dflt) {
        return Integer.getInteger("modelreg.fuzz.cases", dflt);
    }

    static long seed(long dflt) {
        return Long.getLong("modelreg.fuzz.seed", dflt);
    }

    static List<byte[]> seeds() throws IOException {
        List<String> docs = new ArrayList<>();
        String example = Files.readString(Path.of("../examples/models/.registry/models.toml"));
        docs.add(example);
        // the same registry with inline file tables (the fast reader's other path) and with a [_meta] table (tomlj's)
        String inline = example.replaceAll("\\[files\\.(\"[^\"]*\")\\]\nhash = (\"[0-9a-f]+\")\nsize = (\\d+)\n",
                "[files]\n$1 = {hash = $2, size = $3}\n");
        int first = inline.indexOf("[files]\n") + "[files]\n".length();
        docs.add(inline.substring(0, first) + inline.substring(first).replace("[files]\n", ""));
        docs.add("[_meta]\ngenerated_at = 2025-06-01T12:00:00Z\nratio = 1.5\n" + example.replace("schema_version = \"1.0\"\n", ""));
        docs.addAll(FastTomlTest.subsetDocs());
        Random rnd = new Random(11);
        for (int n = 0; n < 4; n++) docs.add(new String(ModelsTomlCodec.write(ModelsTomlCodecTest.sample(rnd, 12)), UTF_8));
        List<byte[]> out = new ArrayList<>();
        for (String d : docs) out.add(d.getBytes(UTF_8));
        return out;
    }

    @Test
    void theSeedsAreReadAlikeAndTheExampleRegistryIsAccepted() throws IOException {
        List<byte[]> seeds = seeds();
        for (int i = 0; i < seeds.size(); i++) {
            Outcome[] both = run(seeds.get(i), -1, i);
            assertThat(both[0]).as("seed %d", i).isEqualTo(both[1]);
        }
        // the rewritten variants hold the example's registry
        ModelsToml example = ModelsTomlCodec.read(seeds.get(0), ORIGIN);
        assertThat(example.files()).hasSizeGreaterThan(50);
        assertThat(ModelsTomlCodec.read(seeds.get(1), ORIGIN)).isEqualTo(example);
        assertThat(FastToml.parse(TomlText.text(seeds.get(1), ORIGIN))).isNotNull();
        assertThat(ModelsTomlCodec.read(seeds.get(2), ORIGIN).files()).isEqualTo(example.files());
        assertThat(FastToml.parse(TomlText.text(seeds.get(2), ORIGIN))).isNull();
    }

    @Test
    void mutatedRegistryFilesAreReadAlikeByBothReadersOrRefusedCleanly() throws java.io.IOException {
        List<byte[]> seeds = seeds();
        long seed = seed(20261211L);
        int n = cases(2000);
        int accepted = 0;
        int refused = 0;
        int fastAccepted = 0;
        long start = System.nanoTime();
        cpuNanos = 0;
        for (int i = 0; i < n; i++) {
            Random rnd = new Random(seed * 1_000_003L + i);
            byte[] input = mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
            Outcome[] both = run(input, seed, i);
            Outcome real = both[0];
            Outcome tomlj = both[1];
            if (!real.equals(tomlj)) {
                failCase(seed, i, input, "the readers disagree:\n  fast+tomlj: " + real + "\n  tomlj only: " + tomlj, null);
            }
            if (real.registry() != null) {
                accepted++;
                if (FastToml.parse(TomlText.text(input, ORIGIN)) != null) fastAccepted++;
            } else {
                refused++;
            }
        }
        System.out.printf("models.toml fuzz: seed %d, %d cases in %d ms (%d ms CPU): %d accepted (%d by the fast reader), %d refused%n",
                seed, n, (System.nanoTime() - start) / 1_000_000, cpuNanos / 1_000_000, accepted, fastAccepted, refused);
        // the mutations reach both outcomes and both readers, or the test proves nothing
        assertThat(accepted).as("accepted").isGreaterThan(n / 20);
        assertThat(refused).as("refused").isGreaterThan(n / 10);
        assertThat(fastAccepted).as("accepted by the fast reader").isGreaterThan(n / 40);
    }

    /** Both readers' outcomes, on the runner thread, within 10 s. */
    static Outcome[] run(byte[] input, long seed, int i) {
        Future<Outcome[]> f = RUNNER.submit(() -> {
            long cpu = THREADS.getCurrentThreadCpuTime();
            Outcome[] both = {
                    outcome(input, () -> ModelsTomlCodec.read(input, ORIGIN)),
                    outcome(input, () -> ModelsTomlCodec.read(TomlText.toMap(TomlText.tomlj(TomlText.text(input, ORIGIN), ORIGIN)), ORIGIN))};
            cpuNanos += THREADS.getCurrentThreadCpuTime() - cpu;
            return both;
        });
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            failCase(seed, i, input, "no answer within 10 s (a hang?)", null);
        } catch (ExecutionException e) {
            failCase(seed, i, input, "not a clean refusal: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failCase(seed, i, input, "interrupted", e);
        }
        throw new AssertionError("unreachable");
    }

    interface Read {
        ModelsToml read() throws RegistryFormatException;
    }

    /** Accepted, or refused with a RegistryFormatException of one line naming the file; any other throwable escapes. */
    static Outcome outcome(byte[] input, Read read) {
        try {
            return new Outcome(read.read(), null);
        } catch (RegistryFormatException e) {
            String m = e.getMessage();
            if (m == null || !m.startsWith(ORIGIN + ":") || m.indexOf('\n') >= 0 || m.indexOf('\r') >= 0) {
                throw new IllegalStateException("refusal without a one-line message naming the file: " + m, e);
            }
            return new Outcome(null, m);
        }
    }

    static byte[] mutate(byte[] seed, Random rnd) {
        byte[] b = seed;
        for (int edits = 1 + rnd.nextInt(3); edits > 0; edits--) b = mutateOnce(b, rnd);
        return b;
    }

    static byte[] mutateOnce(byte[] b, Random rnd) {
        int at = b.length == 0 ? 0 : rnd.nextInt(b.length + 1);
        switch (rnd.nextInt(12)) {
            case 0, 1, 2 -> { // a TOML token inserted
                return splice(b, at, at, TOKENS[rnd.nextInt(TOKENS.length)].getBytes(UTF_8));
            }
            case 3, 4 -> { // a character replaced by a token
                return splice(b, at, Math.min(b.length, at + 1), TOKENS[rnd.nextInt(TOKENS.length)].getBytes(UTF_8));
            }
            case 5 -> { // a few bytes deleted
                return splice(b, at, Math.min(b.length, at + 1 + rnd.nextInt(8)), new byte[0]);
            }
            case 6 -> { // a bit flipped (also makes invalid UTF-8)
                if (b.length == 0) return b;
                byte[] c = b.clone();
                c[Math.min(at, c.length - 1)] ^= (byte) (1 << rnd.nextInt(8));
                return c;
            }
            case 7 -> { // truncated
                return Arrays.copyOf(b, at);
            }
            case 8, 9 -> { // a line duplicated (duplicate keys and tables), dropped or moved
                List<String> lines = new ArrayList<>(List.of(new String(b, UTF_8).split("\n", -1)));
                int l = rnd.nextInt(lines.size());
                String line = lines.get(l);
                switch (rnd.nextInt(3)) {
                    case 0 -> lines.add(rnd.nextInt(lines.size() + 1), line);
                    case 1 -> lines.remove(l);
                    default -> {
                        lines.remove(l);
                        lines.add(rnd.nextInt(lines.size() + 1), line);
                    }
                }
                return String.join("\n", lines).getBytes(UTF_8);
            }
            case 10 -> { // deep nesting, to depths over what any reader allows
                int depth = 1 << (3 + rnd.nextInt(11)); // 8 to 8192 levels
                String open = rnd.nextBoolean() ? "{a = " : "[";
                String close = open.equals("[") ? "]" : "}";
                String nest = "\nz = " + open.repeat(depth) + (open.equals("[") ? "" : "1") + (rnd.nextBoolean() ? close.repeat(depth) : "") + "\n";
                return splice(b, at, at, nest.getBytes(UTF_8));
            }
            default -> { // a random run of bytes
                byte[] r = new byte[1 + rnd.nextInt(4)];
                rnd.nextBytes(r);
                return splice(b, at, at, r);
            }
        }
    }

    static byte[] splice(byte[] b, int from, int to, byte[] with) {
        byte[] out = new byte[b.length - (to - from) + with.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(with, 0, out, from, with.length);
        System.arraycopy(b, to, out, from + with.length, b.length - to);
        return out;
    }

    static void failCase(long seed, int i, byte[] input, String why, Throwable cause) {
        String file = "";
        try {
            Path p = Path.of("target/fuzz/models-toml-" + seed + "-" + i + ".toml");
            Files.createDirectories(p.getParent());
            Files.write(p, input);
            file = "\n  input written to " + p.toAbsolutePath();
        } catch (IOException ignored) {
            // the report below still holds the input's start
        }
        String hex = HexFormat.of().formatHex(input, 0, Math.min(input.length, 256));
        fail("models.toml fuzz, seed " + seed + " case " + i + " (rerun: -Dmodelreg.fuzz.seed=" + seed
                + " -Dmodelreg.fuzz.cases=" + (i + 1) + "): " + why
                + "\n  input (" + input.length + " bytes), first 256 as hex: " + hex + file, cause);
    }
}
