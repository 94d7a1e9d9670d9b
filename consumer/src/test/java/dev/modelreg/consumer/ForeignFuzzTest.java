package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.content.BlobSink;
import dev.modelreg.content.ContentException;
import dev.modelreg.content.fs.Trees;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.ForeignArtifact;
import dev.modelreg.spec.ForeignArtifacts;
import dev.modelreg.spec.Packing;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.ModelregException;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import dev.modelreg.testkit.Fuzz;
import dev.modelreg.testkit.TarMutator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded fuzzing of foreign artifacts as the consumer reads them (issue 22): ModelPack, ORAS and KitOps manifests and
 * configs mutated at the JSON level (hostile paths, media types, diffIds, annotations, wrong types) and at the byte
 * level, read by {@link ForeignArtifact#of}; and a ModelPack tar layer mutated by {@link TarMutator} through
 * {@link TreeLayers}. An accepted artifact has only safe, disjoint paths and a models.toml that reads back; an
 * accepted layer wrote only below its path; everything else is refused with one line.
 */
class ForeignFuzzTest {
    @TempDir Path tmp;

    static final List<String> PATHS = List.of("model.safetensors", "docs", "a/b/c.bin", "../evil", "/abs", "a\0b", "",
            ".", "./x", "x/", "a//b", "a/./b", "C:x", "\\\\host\\x", "x".repeat(300), "é/ü.bin", "docs/inner", "\u202eevil",
            "a/" + "s/".repeat(70) + "z");
    static final List<String> TYPES = List.of("application/vnd.cncf.model.weight.v1.raw",
            "application/vnd.cncf.model.weight.config.v1.tar", "application/vnd.cncf.model.doc.v1.tar+gzip",
            "application/vnd.cnai.model.code.v1.raw", "application/vnd.cncf.model.dataset.v1.tar+zstd",
            "application/vnd.cncf.model.weight.v2.raw", "application/vnd.cncf.model.other.v1.raw", "text/plain",
            "application/vnd.kitops.modelkit.model.v1.tar", "application/vnd.kitops.modelkit.docs.v1.tar+gzip",
            "application/vnd.oci.image.layer.v1.tar+gzip");

    /** A seed artifact of {@code format}: manifest and config documents (as maps) with a few layers. */
    static Map<String, Object>[] seed(Random rnd, int format) {
        List<Object> layers = new ArrayList<>();
        List<Object> diffIds = new ArrayList<>();
        int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            String digest = Digest.sha256Of(new byte[] {(byte) i, (byte) format}).toString();
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("mediaType", format == 2 ? "application/vnd.kitops.modelkit.code.v1.tar" : TYPES.get(i % 3));
            l.put("digest", digest);
            l.put("size", (long) (100 + i));
            Map<String, Object> ann = new LinkedHashMap<>();
            if (format == 0) ann.put("org.cncf.model.filepath", "f" + i + ".bin");
            if (format == 1) ann.put("org.opencontainers.image.title", "f" + i + ".bin");
            if (format == 1 && i == 1) ann.put("io.deis.oras.content.unpack", "true");
            l.put("annotations", ann);
            layers.add(l);
            diffIds.add(digest);
        }
        Map<String, Object> config = new LinkedHashMap<>();
        String configType;
        if (format == 0) {
            config.put("descriptor", new LinkedHashMap<>(Map.of("name", "m", "licenses", List.of("MIT"))));
            config.put("config", new LinkedHashMap<>(Map.of("format", "safetensors")));
            config.put("modelfs", new LinkedHashMap<>(Map.of("type", "layers", "diffIds", diffIds)));
            configType = "application/vnd.cncf.model.config.v1+json";
        } else if (format == 1) {
            configType = "application/vnd.oci.empty.v1+json";
        } else {
            config.put("package", Map.of("name", "kit"));
            List<Object> code = new ArrayList<>();
            for (int i = 0; i < n; i++) code.add(new LinkedHashMap<>(Map.of("path", "src" + i)));
            config.put("code", code);
            configType = "application/vnd.kitops.modelkit.config.v1+json";
        }
        byte[] cb = Json.writeBytes(config);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2L);
        manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        if (format == 0) manifest.put("artifactType", "application/vnd.cncf.model.manifest.v1+json");
        manifest.put("config", new LinkedHashMap<>(Map.of("mediaType", configType, "digest", Digest.sha256Of(cb).toString(),
                "size", (long) cb.length)));
        manifest.put("layers", layers);
        @SuppressWarnings("unchecked")
        Map<String, Object>[] out = new Map[] {manifest, config};
        return out;
    }

    /** One JSON-level mutation of the seed. */
    @SuppressWarnings("unchecked")
    static void mutate(Random rnd, Map<String, Object> manifest, Map<String, Object> config) {
        List<Object> layers = (List<Object>) manifest.get("layers");
        Map<String, Object> l = (Map<String, Object>) layers.get(rnd.nextInt(layers.size()));
        Map<String, Object> ann = (Map<String, Object>) l.get("annotations");
        switch (rnd.nextInt(10)) {
            case 0, 1, 2 -> {
                String key = List.of("org.cncf.model.filepath", "org.cnai.model.filepath", "org.opencontainers.image.title")
                        .get(rnd.nextInt(3));
                ann.put(key, PATHS.get(rnd.nextInt(PATHS.size())));
            }
            case 3 -> l.put("mediaType", TYPES.get(rnd.nextInt(TYPES.size())));
            case 4 -> {
                Object m = config.get("modelfs");
                if (m instanceof Map<?, ?> fs) {
                    List<Object> ids = new ArrayList<>((List<Object>) fs.get("diffIds"));
                    if (ids.isEmpty()) ids.add("sha256:" + "2".repeat(64));
                    switch (rnd.nextInt(3)) {
                        case 0 -> ids.remove(0);
                        case 1 -> ids.set(0, "sha256:" + "0".repeat(64));
                        default -> ids.set(0, rnd.nextBoolean() ? "nope" : 7L);
                    }
                    ((Map<String, Object>) m).put("diffIds", ids);
                } else {
                    config.put("code", List.of("not an entry"));
                }
            }
            case 5 -> config.put(List.of("descriptor", "config", "modelfs", "package").get(rnd.nextInt(4)),
                    rnd.nextBoolean() ? "a string" : List.of(1L, 2L));
            case 6 -> layers.add(new LinkedHashMap<>(l)); // the same layer twice: one path twice
            case 7 -> ann.put("io.deis.oras.content.unpack", rnd.nextBoolean() ? "true" : "yes");
            case 8 -> ann.put("io.deis.oras.content.digest", rnd.nextBoolean() ? "sha256:zz" : Digest.sha256Of(new byte[9]).toString());
            default -> ann.put("dev.modelreg.registry", rnd.nextBoolean() ? l.get("digest") : "sha256:" + "1".repeat(64));
        }
    }

    /** Input: the manifest's length (4 bytes), the manifest, the config. */
    static byte[] pack(byte[] manifest, byte[] config) {
        return ByteBuffer.allocate(4 + manifest.length + config.length).putInt(manifest.length).put(manifest).put(config).array();
    }

    @Test
    void mutatedForeignManifestsAndConfigsGiveSafeDisjointPathsOrOneLineRefusals() throws Exception {
        try (Fuzz fuzz = Fuzz.of("foreign-artifacts", 20261206L, 1500).timeoutMillis(5_000)) {
            Fuzz.Report report = fuzz.run((rnd, i) -> {
                Map<String, Object>[] s = seed(rnd, i % 3);
                for (int k = 0; k < 1 + rnd.nextInt(3); k++) mutate(rnd, s[0], s[1]);
                byte[] m = Json.writeBytes(s[0]);
                byte[] c = Json.writeBytes(s[1]);
                if (rnd.nextInt(5) == 0) { // and at the byte level
                    byte[] t = rnd.nextBoolean() ? m : c;
                    for (int k = 0; k < 1 + rnd.nextInt(3); k++) t[rnd.nextInt(t.length)] = (byte) rnd.nextInt(256);
                }
                return pack(m, c);
            }, ForeignFuzzTest::read, t -> (t instanceof ModelregException || t instanceof IllegalArgumentException)
                    && t.getMessage() != null && !t.getMessage().isBlank() && !t.getMessage().contains("\n"));
            report.print();
            assertThat(report.accepted()).as("accepted").isGreaterThan(report.cases() / 20);
            assertThat(report.refused()).as("refused").isGreaterThan(report.cases() / 5);
            assertThat(report.refusals().size()).as("kinds of refusal").isGreaterThanOrEqualTo(10);
        }
    }

    static void read(byte[] input, int i) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(input);
        byte[] mb = new byte[b.getInt()];
        b.get(mb);
        byte[] cb = Arrays.copyOfRange(input, 4 + mb.length, input.length);
        Manifest m = Manifest.parse(mb, "fuzz manifest");
        ForeignArtifact.Format f = ForeignArtifact.formatOf(m);
        if (f == null) throw new IllegalArgumentException("not a foreign artifact");
        ForeignArtifact a = ForeignArtifacts.read(f, m, ForeignArtifact.needsConfig(f) ? cb : null, "fuzz");
        ModelsToml r = a.registry();
        ModelsToml back = ModelsTomlCodec.read(ModelsTomlCodec.write(r), "fuzz registry");
        assertThat(back.files().keySet()).isEqualTo(r.files().keySet());
        List<String> paths = a.layers().stream().map(ForeignArtifact.Layer::path).sorted().toList();
        for (int k = 0; k < paths.size(); k++) {
            String p = paths.get(k);
            assertThat(Path.of("/t").resolve(p).normalize().startsWith(Path.of("/t"))).as(p).isTrue();
            assertThat(p).doesNotContain("\0").doesNotStartWith("/").isNotEqualTo(".");
            if (k > 0) assertThat(p).doesNotStartWith(paths.get(k - 1) + "/").isNotEqualTo(paths.get(k - 1));
        }
    }

    @Test
    void mutatedTarLayersWriteOnlyBelowTheirPathOrAreRefused() throws Exception {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        tar.writeBytes(TarMutator.entry("docs/", (byte) '5', new byte[0], ""));
        tar.writeBytes(TarMutator.entry("docs/a.md", (byte) '0', "alpha\n".getBytes(StandardCharsets.UTF_8), ""));
        tar.writeBytes(TarMutator.entry("docs/sub/", (byte) '5', new byte[0], ""));
        tar.writeBytes(TarMutator.entry("docs/sub/b.md", (byte) '0', new byte[3000], ""));
        tar.writeBytes(new byte[1024]);
        byte[] seed = tar.toByteArray();
        Path root = tmp.resolve("t");
        Fuzz.Reader reader = treeReader(root, layer(Packing.TAR, seed));
        reader.read(seed, 0);
        assertThat(root.resolve("docs/sub/b.md")).hasSize(3000);
        try (Fuzz fuzz = Fuzz.of("foreign-tar-layers", 20261207L, 500).maxAllocatedBytes(64L << 20)) {
            Fuzz.Report report = fuzz.run((rnd, i) -> TarMutator.mutate(seed, rnd), reader,
                    t -> t instanceof ContentException c && !c.getMessage().isBlank() && !c.getMessage().contains("\n"));
            report.print();
            assertThat(report.accepted()).as("accepted").isGreaterThan(report.cases() / 50);
            assertThat(report.refused()).as("refused").isGreaterThan(report.cases() / 5);
        }
        assertThat(Files.exists(tmp.resolve("evil"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    /** A doc layer at {@code docs} of {@code packing} whose descriptor is that of {@code blob}. */
    static ForeignArtifact.Layer layer(Packing packing, byte[] blob) {
        return new ForeignArtifact.Layer(0, new dev.modelreg.spec.Descriptor("application/vnd.cncf.model.doc.v1."
                + packing.suffix(), Digest.sha256Of(blob), blob.length, Map.of()), dev.modelreg.spec.FileKind.DOC, false,
                "docs", packing, null);
    }

    /** Reads an input as {@code layer} into {@code root}/docs in random chunks; whatever happens, nothing lies outside it. */
    static Fuzz.Reader treeReader(Path root, ForeignArtifact.Layer layer) {
        return (input, i) -> {
            Trees.delete(root);
            Files.createDirectories(root);
            BlobSink sink = TreeLayers.unpacked(layer, TreeLayers.sink(Map.of("docs", root.resolve("docs")), n -> {}, "fuzz layer"), "fuzz layer");
            try {
                Random chunks = new Random(i);
                for (int at = 0; at < input.length; ) {
                    int n = Math.min(input.length - at, 1 + chunks.nextInt(2048));
                    sink.write(input, at, n);
                    at += n;
                }
                sink.finish();
            } finally {
                try (Stream<Path> s = Files.walk(root)) {
                    for (Path p : (Iterable<Path>) s::iterator) {
                        assertThat(p.equals(root) || p.startsWith(root.resolve("docs"))).as("%s", p).isTrue();
                        assertThat(Files.isSymbolicLink(p)).as("%s is a link", p).isFalse();
                    }
                }
            }
            assertThat(root.resolve("docs")).isDirectory();
        };
    }

    @Test
    void mutatedZstdLayersAreDecodedOrRefusedInOneLine() throws Exception {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        tar.writeBytes(TarMutator.entry("docs/", (byte) '5', new byte[0], ""));
        tar.writeBytes(TarMutator.entry("docs/a.md", (byte) '0', TestForeign.bytes(200_000, 8), ""));
        tar.writeBytes(new byte[1024]);
        byte[] seed = TestForeign.zstd(tar.toByteArray());
        Path root = tmp.resolve("z");
        Fuzz.Reader reader = treeReader(root, layer(Packing.TAR_ZSTD, seed));
        reader.read(seed, 0);
        assertThat(root.resolve("docs/a.md")).hasBinaryContent(TestForeign.bytes(200_000, 8));
        try (Fuzz fuzz = Fuzz.of("foreign-zstd-layers", 20261208L, 300).maxAllocatedBytes(256L << 20)) {
            Fuzz.Report report = fuzz.run((rnd, i) -> mutateBytes(seed, rnd), reader,
                    t -> t instanceof ContentException c && !c.getMessage().isBlank() && !c.getMessage().contains("\n"));
            report.print();
            assertThat(report.refused()).as("refused").isGreaterThan(report.cases() / 5);
        }
    }

    /** Bit flips, a truncation, a cut-out or repeated run, or random bytes spliced in. */
    static byte[] mutateBytes(byte[] seed, Random rnd) {
        byte[] b = seed.clone();
        switch (rnd.nextInt(5)) {
            case 0 -> {
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
            case 1 -> b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
            case 2 -> {
                int at = rnd.nextInt(b.length);
                int n = Math.min(b.length - at, 1 + rnd.nextInt(64));
                ByteArrayOutputStream o = new ByteArrayOutputStream();
                o.write(b, 0, at);
                if (rnd.nextBoolean()) {
                    o.write(b, at, n); // the run twice
                    o.write(b, at, b.length - at);
                } else {
                    o.write(b, at + n, b.length - at - n); // the run cut out
                }
                b = o.toByteArray();
            }
            case 3 -> {
                int at = rnd.nextInt(b.length);
                byte[] junk = new byte[1 + rnd.nextInt(32)];
                rnd.nextBytes(junk);
                ByteArrayOutputStream o = new ByteArrayOutputStream();
                o.write(b, 0, at);
                o.writeBytes(junk);
                o.write(b, at, b.length - at);
                b = o.toByteArray();
            }
            default -> b[rnd.nextInt(Math.min(b.length, 16))] = (byte) rnd.nextInt(256); // the frame header
        }
        return b;
    }
}
