package dev.modelreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * A command that dies of an Error (not an Exception: picocli's exception handler never sees those) still fails the
 * way every command fails: one line on stderr, exit 1 and, with {@code --json}, exactly one error document on stdout.
 */
class ErrorDocumentTest {
    /** A command that throws what it is given. */
    @Command(name = "fail")
    static final class Fail extends BaseCommand {
        private final Supplier<Throwable> what;

        Fail(Supplier<Throwable> what) {
            this.what = what;
        }

        @Override
        public Integer call() throws Exception {
            Throwable t = what.get();
            if (t instanceof Error e) throw e;
            throw (Exception) t;
        }
    }

    private record Run(int code, String out, String err) {}

    private static Run run(Supplier<Throwable> what, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out);
        PrintWriter e = new PrintWriter(err);
        CommandLine cl = Cli.commandLine(o, e);
        cl.addSubcommand(new Fail(what));
        cl.setOut(o).setErr(e); // (picocli gives the writers to the subcommands there are when they are set)
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** A real one: deep enough recursion. */
    private static int recurse(int n) {
        return n == Integer.MAX_VALUE ? n : 1 + recurse(n + 1);
    }

    private static Throwable stackOverflow() {
        try {
            recurse(0);
            throw new IllegalStateException("no StackOverflowError");
        } catch (StackOverflowError e) {
            return e;
        }
    }

    @Test
    void anErrorGivesOneLineAndOneJsonDocument() {
        Map<String, Supplier<Throwable>> cases = Map.of(
                "internal error: java.lang.StackOverflowError (run with -v for the stack trace)", ErrorDocumentTest::stackOverflow,
                "internal error: java.lang.AssertionError: walked past the end (run with -v for the stack trace)",
                () -> new AssertionError("walked past the end\nsecond line"),
                "out of memory (give the JVM more, e.g. MODELREG_JAVA_OPTS=-Xmx512m)", () -> new OutOfMemoryError("Java heap space"));
        for (var c : cases.entrySet()) {
            Run json = run(c.getValue(), "fail", "--json");
            assertThat(json.code()).as(c.getKey()).isEqualTo(ExitCodes.ERROR);
            assertThat(json.err().lines().toList()).as("stderr").containsExactly("modelreg: error: " + c.getKey());
            assertThat(json.out().lines().toList()).as("stdout: one document").hasSize(1);
            Map<String, Object> doc = Json.parseObject(json.out().getBytes(StandardCharsets.UTF_8), "stdout");
            assertThat(doc).isEqualTo(Map.of("error", Map.of("kind", "error", "message", c.getKey(), "exitCode", 1L)));

            Run plain = run(c.getValue(), "fail");
            assertThat(plain.code()).isEqualTo(ExitCodes.ERROR);
            assertThat(plain.out()).isEmpty();
            assertThat(plain.err().lines().toList()).containsExactly("modelreg: error: " + c.getKey());

            Run verbose = run(c.getValue(), "-v", "fail", "--json");
            assertThat(verbose.err().lines().toList().get(0)).isEqualTo("modelreg: error: " + c.getKey());
            assertThat(verbose.err()).as("the stack trace with -v").contains("\tat ");
            assertThat(verbose.out().lines().toList()).hasSize(1);
        }
    }

    @Test
    void anExceptionStillGivesItsOwnKind() {
        Run r = run(() -> new IllegalArgumentException("bad input"), "fail", "--json");
        assertThat(r.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.err().lines().toList()).isEqualTo(List.of("modelreg: error: bad input"));
        assertThat(Json.parseObject(r.out().getBytes(StandardCharsets.UTF_8), "stdout"))
                .isEqualTo(Map.of("error", Map.of("kind", "invalid", "message", "bad input", "exitCode", 1L)));
    }
}
