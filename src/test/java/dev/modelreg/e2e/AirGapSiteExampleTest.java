package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.testkit.RegistryFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Air-gapped site" workflow, run as written: {@code examples/airgap/connected.sh} publishes to registry A
 * and exports the bootstrap's refs into one archive; registry A is stopped; {@code examples/airgap/internal.sh}
 * imports the archive into registry B and consumes the unchanged source through a mirror-only rule, by tag and by
 * the original digest, every file verified.
 */
class AirGapSiteExampleTest {
    @TempDir Path tmp;

    @Test
    void publishExportStopUpstreamImportAndConsumeThroughAMirrorRule() throws Exception {
        Path root = Modelreg.repoRoot();
        Path work = tmp.resolve("work");
        String modelreg = String.join(" ", Modelreg.command(Modelreg.FAST_JVM));
        RegistryFixture a = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("a"));
        String upstream = a.host() + "/acme";
        try (RegistryFixture b = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("b"))) {
            String internal = b.host() + "/mirror";
            Modelreg.Run connected;
            try {
                connected = script(root.resolve("examples/airgap/connected.sh"), modelreg, upstream, work.toString());
            } finally {
                a.close();
            }
            assertThat(connected.out()).contains("v1").contains("develop");
            assertThat(work.resolve("site.tar")).isRegularFile();

            Modelreg.Run internalRun = script(root.resolve("examples/airgap/internal.sh"), modelreg, upstream, internal,
                    work.toString());
            assertThat(internalRun.out()).contains("OK: ");
            assertThat(internalRun.out().lines().filter(l -> l.startsWith("OK: ")).count()).isEqualTo(2);
            assertThat(internalRun.err() + internalRun.out()).contains(b.host());
            Map<String, String> byTag = tree(work.resolve("by-tag"));
            assertThat(byTag).containsKey("mfsim.nam").hasSizeGreaterThan(3);
            Map<String, String> source = tree(root.resolve("examples/models/ex-gwf-twri01"));
            byTag.forEach((rel, content) -> assertThat(content).as(rel).isEqualTo(source.get(rel)));
            assertThat(tree(work.resolve("by-digest"))).isEqualTo(byTag);
        }
    }

    /** Runs a bash script of the example with MODELREG set to this build's CLI; it must exit 0. */
    Modelreg.Run script(Path script, String modelreg, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
        cmd.addAll(List.of(args));
        Modelreg.Run r = Modelreg.startCommand(tmp, tmp, Map.of("MODELREG", modelreg), cmd, script.getFileName().toString())
                .finish();
        assertThat(r.code()).as("%s\nstdout: %s\nstderr: %s", script, r.out(), r.err()).isZero();
        return r;
    }

    /** Relative path -> content of every regular file below {@code dir}. */
    static Map<String, String> tree(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).collect(Collectors.toMap(p -> dir.relativize(p).toString(), p -> {
                try {
                    return new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, (x, y) -> x, java.util.TreeMap::new));
        }
    }
}
