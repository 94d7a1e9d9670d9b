package dev.modelreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Json;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.StubServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's commands, run as written, in this process: every line of the {@code sh} blocks of {@link #SECTIONS}
 * (issue 23's: files stored outside the registry, filters, {@code tags --long}, {@code catalog}, diff, safe promotion,
 * annotate, cache management; with the sections they build on), in README order, one shell session, each
 * {@code ./modelreg ARGS} through {@link Cli#run} with the session's environment and a working directory W laid out as
 * the repository root after {@code ./scripts/demo}. A line must exit 0, or the code its comment gives
 * ({@code # exit 8: ...}); a line with {@code --json} must print one JSON document. A line the test cannot run (a
 * pipe, another program) fails it, as does a section that is renamed or left without commands.
 * <p>
 * The session understands {@code ./modelreg ARGS}, {@code NAME=VALUE ./modelreg ARGS}, {@code export NAME=VALUE...},
 * {@code unset NAME...}, {@code NAME=$(./modelreg ARGS)} (stdout, trimmed) and {@code $NAME}/{@code "$NAME"} (an
 * unset name fails, as under {@code set -u}); quoting and comments as {@link Shell} reads them.
 * <p>
 * What differs from a shell in the repository root, mechanically, and only this:
 * <ul>
 *   <li><b>Registry hosts.</b> Each host of {@link #HOSTS} a command names is the {@code host:port} of a test registry
 *       of its own (the CNCF registry on loopback, plain HTTP), started when first named: the word {@code HOST} or
 *       {@code HOST/REST} becomes {@code 127.0.0.1:PORT[/REST]}. Any other word that looks like a registry reference
 *       fails the test.</li>
 *   <li><b>{@code /tmp/}.</b> A word or an environment value starting with {@code /tmp/} (also after
 *       {@code oci-layout:}/{@code oci-archive:}) starts with the test's temp directory instead, so runs never meet
 *       (and never leave anything) in the real /tmp.</li>
 *   <li><b>Relative local references.</b> A relative {@code oci-layout:}/{@code oci-archive:} path, in a word, in
 *       {@code MODELREG_CONFIG}/{@code MODELREG_CACHE} or in W's copy of {@code examples/sources.toml}, is made
 *       absolute against W: a process in W reads it so, this JVM would read it against its own directory (path
 *       options and parameters the command line resolves against W itself).</li>
 * </ul>
 * What the README presupposes and does not run, the test does first, with the same runner: {@code ./scripts/demo}'s
 * push (its cache under {@code .modelreg-demo}), and the artifact behind the {@code mirror --internalize} example
 * ({@code ghcr.io/acme/models:v1}, pushed with {@code --external '**}{@code /*.bin'} and a URL base served by a local
 * HTTP server that serves W's {@code examples/models}).
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ReadmeCommandsTest {
    static final List<String> SECTIONS = List.of("Publishing", "Files stored outside the registry",
            "Promotion and inspection", "Comparing two refs", "Safe promotion", "Annotate", "Consuming models",
            "Cache management");

    static final List<String> HOSTS = List.of("127.0.0.1:5000", "ghcr.io", "registry.internal:5000");

    private static final Pattern SUBSTITUTION = Pattern.compile("([A-Za-z_]\\w*)=\\$\\((\\./modelreg [^)]*)\\)\\s*(#.*)?");
    private static final Pattern EXIT = Pattern.compile("\\s#\\s*exit (\\d+)\\b");
    private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_]\\w*=.*");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_]\\w*)}?");
    private static final Pattern REGISTRY_LIKE = Pattern.compile("[a-z0-9-]+(\\.[a-z0-9-]+)+(:\\d+(/.*)?|/.+)");

    @TempDir Path tmp;
    Path work;
    final Map<String, RegistryFixture> registries = new LinkedHashMap<>();
    final Map<String, String> exported = new HashMap<>();
    final Map<String, String> vars = new HashMap<>();
    int ran;

    @Test
    void everyCommandOfTheseSectionsRunsAsWritten() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isDirectory(root.resolve("examples/models"))) root = root.getParent();
        assertThat(root).as("repository root").isNotNull();
        String readme = Files.readString(root.resolve("README.md"));
        work = Files.createDirectories(tmp.resolve("work"));
        Files.createDirectories(tmp.resolve("tmp")); // what /tmp/ stands for
        copy(root.resolve("examples"), work.resolve("examples"));
        Path sources = work.resolve("examples/sources.toml");
        Files.writeString(sources, Files.readString(sources).replaceAll("\"(oci-(?:layout|archive)):(?!/)",
                "\"$1:" + Matcher.quoteReplacement(work.toString()) + "/"));
        try (StubServer files = StubServer.http("127.0.0.1", x -> {
            Path f = work.resolve("examples/models").resolve(x.getRequestURI().getPath().substring("/models/".length()));
            StubServer.answer(x, Files.isRegularFile(f) ? 200 : 404, Files.isRegularFile(f) ? Files.readAllBytes(f) : null);
        })) {
            // what ./scripts/demo runs, and the artifact the mirror --internalize example reads
            line("MODELREG_CACHE=.modelreg-demo/cache ./modelreg push examples/models oci-layout:.modelreg-demo/layout:demo"
                    + " --name example --ref demo");
            line("./modelreg push examples/models ghcr.io/acme/models:v1 --name example --external '**/*.bin'"
                    + " --external-url-base http://" + files.host() + "/models");
            ran = 0;
            for (String section : SECTIONS) {
                List<String> lines = commands(readme, section);
                assertThat(lines).as("commands of README section '" + section + "'").isNotEmpty();
                for (String l : lines) line(l);
            }
            assertThat(files.seen()).as("external files fetched by mirror --internalize").isNotEmpty();
        } finally {
            for (RegistryFixture r : registries.values()) r.close();
        }
        System.out.printf("ReadmeCommandsTest: %d README lines of %d sections ran as written%n", ran, SECTIONS.size());
    }

    /** The lines of the {@code sh} blocks of the section headed {@code title} (to the next heading), continuations joined. */
    static List<String> commands(String readme, String title) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        boolean fence = false;
        boolean sh = false;
        StringBuilder cont = new StringBuilder();
        for (String l : readme.lines().toList()) {
            if (l.startsWith("```")) {
                fence = !fence;
                sh = fence && l.equals("```sh");
                continue;
            }
            if (!fence && l.matches("#+ .*")) {
                in = l.replaceFirst("#+ ", "").equals(title);
                continue;
            }
            if (!in || !sh) continue;
            if (l.endsWith("\\")) {
                cont.append(l, 0, l.length() - 1);
                continue;
            }
            String whole = cont.append(l).toString().strip();
            cont.setLength(0);
            if (!whole.isEmpty() && !whole.startsWith("#")) out.add(whole);
        }
        return out;
    }

    /** Runs one line of the session. */
    void line(String line) {
        ran++;
        Matcher m = SUBSTITUTION.matcher(line);
        if (m.matches()) {
            vars.put(m.group(1), modelreg(m.group(2), 0).strip());
            return;
        }
        List<String> t = Shell.tokens(line);
        if (t.get(0).equals("export") || t.get(0).equals("unset")) {
            for (String w : t.subList(1, t.size())) {
                if (t.get(0).equals("unset")) exported.remove(w);
                else exported.put(w.substring(0, w.indexOf('=')), expand(w.substring(w.indexOf('=') + 1)));
            }
            return;
        }
        Matcher exit = EXIT.matcher(line);
        modelreg(line, exit.find() ? Integer.parseInt(exit.group(1)) : 0);
    }

    /** Runs {@code [NAME=VALUE...] ./modelreg ARGS}, expecting exit code {@code want}; returns its stdout. */
    String modelreg(String line, int want) {
        Map<String, String> env = new HashMap<>(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "HOME", tmp.resolve("home").toString(), "DOCKER_CONFIG", tmp.resolve("docker").toString(),
                "XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString(), "XDG_CACHE_HOME", tmp.resolve("xdg-cache").toString(),
                "XDG_RUNTIME_DIR", tmp.resolve("runtime").toString()));
        env.putAll(exported);
        List<String> t = new ArrayList<>(Shell.tokens(line));
        while (!t.isEmpty() && ASSIGNMENT.matcher(t.get(0)).matches()) {
            String a = t.remove(0);
            env.put(a.substring(0, a.indexOf('=')), expand(a.substring(a.indexOf('=') + 1)));
        }
        assertThat(t).as("a line of ./modelreg and its arguments: " + line).isNotEmpty().noneMatch(w -> w.startsWith("\0"));
        assertThat(t.get(0)).as(line).isEqualTo("./modelreg");
        env.replaceAll((k, v) -> k.equals("MODELREG_CONFIG") || k.equals("MODELREG_CACHE") ? path(v) : tmpPath(v));
        String[] args = t.subList(1, t.size()).stream().map(this::word).toArray(String[]::new);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(args, new PrintWriter(out, true), new PrintWriter(err, true), Context.of(env, work));
        String what = line + "\n  ran as: modelreg " + String.join(" ", args) + "\n  stdout: " + out + "\n  stderr: " + err;
        assertThat(code).as(what).isEqualTo(want);
        if (List.of(args).contains("--json")) assertThat(Json.parse(out.toString().strip())).as(what).isNotNull();
        return out.toString();
    }

    /** A word of a command line: variables expanded, a registry host mapped, /tmp/ and relative local references placed. */
    String word(String w) {
        String e = expand(w);
        for (String prefix : List.of("oci-layout:", "oci-archive:")) {
            if (e.startsWith(prefix)) return prefix + path(e.substring(prefix.length()));
        }
        for (String host : HOSTS) {
            if (e.equals(host) || e.startsWith(host + "/")) return registry(host).host() + e.substring(host.length());
        }
        assertThat(REGISTRY_LIKE.matcher(e).matches()).as("'" + w + "' names a registry host the test does not map").isFalse();
        return tmpPath(e);
    }

    private String path(String p) {
        return p.startsWith("/") ? tmpPath(p) : work + "/" + p;
    }

    private String tmpPath(String p) {
        return p.startsWith("/tmp/") ? tmp.resolve("tmp") + p.substring("/tmp".length()) : p;
    }

    private String expand(String w) {
        return VARIABLE.matcher(w).replaceAll(r -> {
            String v = vars.containsKey(r.group(1)) ? vars.get(r.group(1)) : exported.get(r.group(1));
            assertThat(v).as("$" + r.group(1) + " is not set").isNotNull();
            return Matcher.quoteReplacement(v);
        });
    }

    private RegistryFixture registry(String host) {
        return registries.computeIfAbsent(host, h -> RegistryFixture.start(RegistryFixture.Mode.PLAIN,
                tmp.resolve("registry-" + registries.size())));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted().toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }
}
