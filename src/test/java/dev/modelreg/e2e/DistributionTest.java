package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive {@code mvn package} builds (cli/target/modelreg-VERSION.tar.gz and .zip), unpacked elsewhere, runs the
 * demo's commands with no Maven (an {@code mvn} on PATH that fails the test if called) and no checkout around it.
 */
class DistributionTest {
    @TempDir Path tmp;
    Path home;
    Path fakeBin;

    static Path archive(String suffix) throws IOException {
        Path target = Modelreg.repoRoot().resolve("cli/target");
        try (Stream<Path> s = Files.list(target)) {
            return s.filter(p -> p.getFileName().toString().matches("modelreg-[0-9][^-]*(-SNAPSHOT)?\\." + suffix))
                    .findFirst().orElseThrow(() -> new AssertionError("no cli/target/modelreg-VERSION." + suffix
                            + ": the cli module's mvn package builds it (run the reactor: mvn verify)"));
        }
    }

    @BeforeEach
    void unpack() throws Exception {
        Path tar = archive("tar.gz");
        Path into = Files.createDirectories(tmp.resolve("opt"));
        run(List.of("tar", "-xzf", tar.toString(), "-C", into.toString()), Map.of());
        try (Stream<Path> s = Files.list(into)) {
            home = s.findFirst().orElseThrow();
        }
        fakeBin = Files.createDirectories(tmp.resolve("fake-bin"));
        Path mvn = Files.writeString(fakeBin.resolve("mvn"), "#!/bin/sh\ntouch " + tmp.resolve("mvn-was-called") + "\nexit 1\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    record Result(int code, String out, String err) {}

    Result run(List<String> cmd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("MODELREG_") || k.startsWith("JAVA"));
        e.put("PATH", fakeBin + ":/usr/local/bin:/usr/bin:/bin");
        e.put("HOME", tmp.resolve("home").toString());
        e.put("XDG_CACHE_HOME", tmp.resolve("xdg-cache").toString());
        e.put("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString());
        e.put("DOCKER_CONFIG", tmp.resolve("docker").toString());
        e.put("MODELREG_CACHE", tmp.resolve("cache").toString());
        e.putAll(env);
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        assertThat(tmp.resolve("mvn-was-called")).as("Maven is never needed").doesNotExist();
        return r;
    }

    Result modelreg(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/modelreg").toString()));
        cmd.addAll(List.of(args));
        Result r = run(cmd, env);
        assertThat(r.code()).as("modelreg " + String.join(" ", args) + "\n" + r.err()).isZero();
        return r;
    }

    @Test
    void theUnpackedArchiveRunsTheDemoWithoutMaven() throws Exception {
        assertThat(home.resolve("bin/modelreg")).isExecutable();
        Map<String, String> noCds = Map.of("MODELREG_CDS", "0");
        assertThat(modelreg(noCds, "--version").out()).startsWith("modelreg ");
        String layout = "oci-layout:" + tmp.resolve("layout") + ":demo";
        String digest = modelreg(noCds, "push", home.resolve("examples/models").toString(), layout, "--name", "example",
                "--ref", "demo").out().strip();
        assertThat(digest).startsWith("sha256:");
        modelreg(noCds, "copy", "--from", layout, "example/ex-gwt-keating", tmp.resolve("ws").toString());
        Result verify = modelreg(noCds, "verify", "--from", layout, "example/ex-gwt-keating", tmp.resolve("ws").toString(), "--json");
        assertThat(Json.parse(verify.out().strip())).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("ok", true);
        assertThat(modelreg(noCds, "completion", "bash").out()).contains("complete -F _complete_modelreg");
        // the first command starts the class-data archive's build in the background (beside the jar: lib/ is writable
        // here) and does not wait for it; it is there for the next commands
        Result first = modelreg(Map.of(), "--version");
        assertThat(first.err()).contains("modelreg: preparing the start-up archive in the background");
        assertThat(first.out()).startsWith("modelreg ");
        awaitArchive(home.resolve("lib/modelreg.jsa"));
        assertThat(modelreg(Map.of(), "--version").err()).isEmpty();
    }

    /** Waits (at most 3 min) until the launcher's background build wrote ARCHIVE and its key, and let go of its lock. */
    void awaitArchive(Path jsa) throws Exception {
        Path key = jsa.resolveSibling(jsa.getFileName() + ".key");
        for (int i = 0; i < 360 && !Files.exists(key); i++) Thread.sleep(500);
        assertThat(key).as("the archive's key; log: " + (Files.exists(jsa.resolveSibling(jsa.getFileName() + ".log"))
                ? Files.readString(jsa.resolveSibling(jsa.getFileName() + ".log")) : "none")).exists();
        assertThat(jsa).exists();
        run(List.of("flock", jsa.resolveSibling(jsa.getFileName() + ".lock").toString(), "true"), Map.of()); // its builder ended
    }

    @Test
    void anUnprivilegedUserWithHomeSetKeepsEverythingUnderThatHome() throws Exception {
        // nobody (root writes anywhere) with HOME set and no XDG or MODELREG variables: nobody's own home in the password
        // database (/nonexistent) is never used; lib/ belongs to root, so the class-data archive goes to the user's cache
        Path userHome = Files.createDirectories(tmp.resolve("nobody-home"));
        for (Path p = tmp; p != null && p.startsWith(tmp.getRoot().resolve("tmp")); p = p.getParent()) {
            if (Files.getOwner(p).getName().equals("root")) run(List.of("chmod", "a+rx", p.toString()), Map.of());
        }
        run(List.of("chown", "65534:65534", userHome.toString()), Map.of());
        Map<String, String> env = Map.of("HOME", userHome.toString(), "XDG_CACHE_HOME", "", "XDG_CONFIG_HOME", "",
                "MODELREG_CACHE", "", "DOCKER_CONFIG", "");
        List<String> asNobody = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", home.resolve("bin/modelreg").toString());
        String layout = "oci-layout:" + userHome.resolve("layout") + ":demo";
        for (List<String> args : List.of(List.of("--version"),
                List.of("push", home.resolve("examples/models").toString(), layout, "--name", "example", "--ref", "demo"),
                List.of("copy", "--from", layout, "example/ex-gwt-keating", userHome.resolve("ws").toString()))) {
            List<String> cmd = new java.util.ArrayList<>(asNobody);
            cmd.addAll(args);
            Result r = run(cmd, env);
            assertThat(r.code()).as(args + ": " + r.err()).isZero();
        }
        assertThat(userHome.resolve(".cache/modelreg/blobs/sha256")).as("the cache under $HOME").isDirectory();
        assertThat(home.resolve("lib/modelreg.jsa")).doesNotExist();
        Path cds = userHome.resolve(".cache/modelreg/cds");
        try (Stream<Path> s = Files.list(cds)) {
            Path jsa = s.filter(p -> p.getFileName().toString().endsWith(".jsa.lock")).findFirst().orElseThrow();
            awaitArchive(cds.resolve(jsa.getFileName().toString().replace(".lock", "")));
        }
    }

    @Test
    void noJavaAndTooOldAJavaAreOneLineErrors() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bare-bin"));
        for (String tool : List.of("bash", "readlink", "dirname", "sed")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of("/usr/bin").resolve(tool).toRealPath());
        }
        Result none = run(List.of(home.resolve("bin/modelreg").toString(), "--version"), Map.of("PATH", bin.toString()));
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err().strip()).startsWith("modelreg: error: no Java runtime found").doesNotContain("\n");
        Path old = Files.createDirectories(tmp.resolve("old-jdk/bin"));
        Files.writeString(tmp.resolve("old-jdk/release"), "JAVA_VERSION=\"11.0.2\"\n");
        Path java = Files.writeString(old.resolve("java"), "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Result tooOld = run(List.of(home.resolve("bin/modelreg").toString(), "--version"),
                Map.of("JAVA_HOME", tmp.resolve("old-jdk").toString()));
        assertThat(tooOld.code()).isEqualTo(1);
        assertThat(tooOld.err().strip()).contains("is Java 11; modelreg needs Java 17 or newer");
    }

    @Test
    void theZipHoldsWhatTheTarHolds() throws Exception {
        TreeSet<String> tar = new TreeSet<>(run(List.of("tar", "-tzf", archive("tar.gz").toString()), Map.of()).out().lines()
                .filter(l -> !l.endsWith("/")).toList());
        TreeSet<String> zip = new TreeSet<>();
        try (ZipFile z = new ZipFile(archive("zip").toFile(), StandardCharsets.UTF_8)) {
            z.stream().filter(e -> !e.isDirectory()).forEach(e -> zip.add(e.getName()));
        }
        assertThat(zip).isEqualTo(tar).contains(home.getFileName() + "/bin/modelreg", home.getFileName() + "/lib/modelreg.jar");
    }
}
