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
        // the class-data archive is built on first use beside the jar (lib/ is writable here), then used
        modelreg(Map.of(), "--version");
        assertThat(home.resolve("lib/modelreg.jsa")).exists();
        assertThat(home.resolve("lib/modelreg.jsa.key")).exists();
    }

    @Test
    void anInstallationTheUserCannotWriteKeepsItsClassDataArchiveInTheUsersCache() throws Exception {
        // run as nobody (root writes anywhere): lib/ belongs to root, the user's cache to everyone
        Path cache = Files.createDirectories(tmp.resolve("xdg-cache"));
        for (Path p = tmp; p != null && p.startsWith(tmp.getRoot().resolve("tmp")); p = p.getParent()) {
            if (Files.getOwner(p).getName().equals("root")) run(List.of("chmod", "a+rx", p.toString()), Map.of());
        }
        run(List.of("chmod", "a+rwx", cache.toString()), Map.of());
        Result r = run(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                home.resolve("bin/modelreg").toString(), "--version"), Map.of());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(home.resolve("lib/modelreg.jsa")).doesNotExist();
        try (Stream<Path> s = Files.list(cache.resolve("modelreg/cds"))) {
            assertThat(s.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".jsa"));
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
