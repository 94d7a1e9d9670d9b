package dev.modelreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.testkit.HostileRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile nesting of image indexes, from an OCI layout, an OCI archive and a registry, through {@code mirror --json}:
 * a chain of 3,000 nested indexes (which once ended in a StackOverflowError and an empty stdout), a graph of 100,000
 * manifests (4 indexes of 25,000) and one index of 100,000 entries are each refused in one line on stderr, with
 * exactly one JSON error document on stdout and nothing written at the destination.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NestedIndexCommandTest {
    @TempDir Path tmp;

    /** The graphs: every index and manifest by digest (with its bytes), and the root. */
    private record Graph(Map<Digest, byte[]> blobs, Descriptor root) {}

    private static byte[] index(List<Descriptor> entries) {
        return HostileRegistry.indexBytes(entries);
    }

    private static Descriptor add(Map<Digest, byte[]> blobs, String mediaType, byte[] bytes) {
        Descriptor d = Descriptor.of(mediaType, Digest.sha256Of(bytes), bytes.length);
        blobs.put(d.digest(), bytes);
        return d;
    }

    /** 3,000 indexes, each listing the next; the last lists a manifest (with its config). */
    private static Graph chain() {
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        Descriptor config = add(blobs, MediaTypes.CONFIG, "[files]\n".getBytes(StandardCharsets.UTF_8));
        Descriptor d = add(blobs, MediaTypes.OCI_MANIFEST, new Manifest(MediaTypes.ARTIFACT_TYPE, config, List.of(), Map.of()).toBytes());
        for (int i = 0; i < 3000; i++) d = add(blobs, MediaTypes.OCI_INDEX, index(List.of(d)));
        return new Graph(blobs, d);
    }

    /** {@code parts} indexes of {@code each} manifests (that no store holds) under a root; one index alone for 1 part. */
    private static Graph wide(int parts, int each) {
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        List<Descriptor> tops = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            List<Descriptor> leaves = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                byte[] id = ("manifest " + p + " " + i).getBytes(StandardCharsets.UTF_8);
                leaves.add(Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256Of(id), 400));
            }
            tops.add(add(blobs, MediaTypes.OCI_INDEX, index(leaves)));
        }
        return new Graph(blobs, parts == 1 ? tops.get(0) : add(blobs, MediaTypes.OCI_INDEX, index(tops)));
    }

    private Path layout(Graph g, String name) throws Exception {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir.resolve("blobs/sha256"));
        for (var e : g.blobs().entrySet()) Files.write(dir.resolve("blobs/sha256/" + e.getKey().hex()), e.getValue());
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.write(dir.resolve("index.json"), tagged(g.root()));
        return dir;
    }

    private Path archive(Graph g, String name) throws Exception {
        HostileRegistry.Tar tar = new HostileRegistry.Tar()
                .file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8))
                .file("index.json", tagged(g.root()));
        for (var e : g.blobs().entrySet()) tar.file("blobs/sha256/" + e.getKey().hex(), e.getValue());
        Path file = tmp.resolve(name + ".tar");
        Files.write(file, tar.bytes());
        return file;
    }

    /** An index.json tagging {@code root} "t". */
    private static byte[] tagged(Descriptor root) {
        Map<String, Object> entry = new LinkedHashMap<>(Manifest.descriptorJson(root));
        entry.put("annotations", Map.of("org.opencontainers.image.ref.name", "t"));
        return Json.writeBytes(Map.of("schemaVersion", 2L, "manifests", List.of(entry)));
    }

    private static void serve(HostileRegistry reg, Graph g) {
        for (var e : g.blobs().entrySet()) {
            String type = new String(e.getValue(), StandardCharsets.UTF_8).contains("\"manifests\"") ? MediaTypes.OCI_INDEX
                    : MediaTypes.OCI_MANIFEST;
            reg.manifest(e.getKey().toString(), new HostileRegistry.Served(type, e.getKey(), e.getValue().length,
                    HostileRegistry.Body.of(e.getValue())));
        }
        byte[] root = g.blobs().get(g.root().digest());
        reg.manifest("t", new HostileRegistry.Served(MediaTypes.OCI_INDEX, g.root().digest(), root.length,
                HostileRegistry.Body.of(root)));
    }

    /**
     * {@code mirror --json SRC oci-archive:OUT:t}: exit 1, one error line on stderr, one JSON error document of kind
     * invalid on stdout with the same message, which contains {@code want}; no archive written, nothing beside it.
     */
    private void refused(String source, String want) throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out-" + Integer.toHexString(source.hashCode())));
        MirrorCommandTest.Run r = MirrorCommandTest.run("mirror", "--json", source, "oci-archive:" + out.resolve("x.tar") + ":t");
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        List<String> errLines = r.err().lines().toList();
        assertThat(errLines).as("stderr").hasSize(1);
        assertThat(errLines.get(0)).startsWith("modelreg: error: ").contains(want);
        assertThat(r.out().lines().toList()).as("stdout").hasSize(1);
        Map<String, Object> doc = Json.parseObject(r.out().getBytes(StandardCharsets.UTF_8), "stdout");
        assertThat(doc).containsOnlyKeys("error");
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) doc.get("error");
        assertThat(error).containsEntry("kind", "invalid").containsEntry("exitCode", 1L)
                .containsEntry("message", errLines.get(0).substring("modelreg: error: ".length()));
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.toList()).as("written beside the archive").isEmpty();
        }
    }

    private static final String TOO_DEEP = " nests image indexes more than 16 levels deep, the limit (17 levels through manifest ";
    private static final String TOO_MANY = " lists 10001 manifests, more than the limit of 10000";
    private static final String TOO_BIG = " bytes, more than the 4194304-byte limit for a manifest";

    /** What the registry saw of a refused mirror. */
    private record Seen(long manifestRequests, long bytesSent) {}

    /**
     * {@link #refused} from a layout, an archive and a registry holding {@code g} as {@code name}:{@code t}; {@code want}
     * gives the message (its part to find) from the source's name.
     */
    private Seen refusedFromEach(Graph g, String name, java.util.function.UnaryOperator<String> want) throws Exception {
        Path dir = layout(g, name);
        refused("oci-layout:" + dir + ":t", want.apply("oci-layout:" + dir));
        Path tar = archive(g, name);
        refused("oci-archive:" + tar + ":t", want.apply("oci-archive:" + tar));
        try (HostileRegistry reg = HostileRegistry.start()) {
            serve(reg, g);
            refused(reg.ref(name, "t"), want.apply(reg.host() + "/" + name));
            return new Seen(reg.manifestRequests(), reg.bytesSent());
        }
    }

    @Test
    void aChainOf3000IndexesIsRefusedFromALayoutAnArchiveAndARegistry() throws Exception {
        Graph g = chain();
        Seen seen = refusedFromEach(g, "deep", source -> "the graph under " + g.root().digest() + " in " + source + TOO_DEEP);
        assertThat(seen.manifestRequests()).as("manifest requests: a HEAD, 16 GETs").isEqualTo(17);
    }

    @Test
    void aGraphOf100000ManifestsIsRefusedFromALayoutAnArchiveAndARegistry() throws Exception {
        Graph g = wide(4, 25_000);
        Seen seen = refusedFromEach(g, "wide", source -> "the graph under " + g.root().digest() + " in " + source + TOO_MANY);
        assertThat(seen.manifestRequests()).as("the root's HEAD and GET, the first index's GET").isEqualTo(3);
    }

    @Test
    void anIndexOf100000EntriesIsRefusedFromALayoutAnArchiveAndARegistry() throws Exception {
        Graph g = wide(1, 100_000); // over the 4 MiB manifest limit
        Seen seen = refusedFromEach(g, "one", source -> TOO_BIG);
        assertThat(seen.bytesSent()).as("index bytes sent").isZero();
    }
}
