package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.content.store.OciLayout;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.ModelregException;
import dev.modelreg.spec.ModelregException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A foreign artifact is as hostile as any registry content (issue 22, "Bad input"): each bad path, clash, diffId,
 * expansion or entry is one line naming the artifact and the field, of the right kind (the exit code follows), with
 * nothing written to the target or outside it and the bad layer not cached.
 */
class ForeignBadInputTest {
    @TempDir Path tmp;

    /** Pushes a ModelPack of {@code layers} (config from their diffIds unless {@code config} is given), pulls it, expects a refusal. */
    void refused(List<TestForeign.Layer> layers, byte[] config, Kind kind, String... says) throws IOException {
        Path layout = tmp.resolve("layout");
        byte[] cfg = config != null ? config : TestForeign.modelPackConfig(Map.of("name", "bad"), layers);
        TestForeign.pushModelPack(OciLayout.open(layout), "v1", cfg, layers);
        pullRefused(layout, kind, says);
        for (TestForeign.Layer l : layers) {
            if (l.mediaType().contains(".tar")) {
                assertThat(tmp.resolve("cache/blobs/sha256/" + l.descriptor().digest().hex())).doesNotExist();
            }
        }
    }

    void pullRefused(Path layout, Kind kind, String... says) throws IOException {
        Map<String, String> env = Map.of("MODELREG_CACHE", tmp.resolve("cache").toString());
        ModelReg reg = new ModelReg(ModelReg.loadConfig(null, env), Settings.from(env));
        Path out = tmp.resolve("work/out");
        String ref = "oci-layout:" + layout + ":v1";
        assertThatThrownBy(() -> reg.pull(reg.ref(ref), out, Selection.ALL, Placement.COPY))
                .isInstanceOfSatisfying(ModelregException.class, e -> assertThat(e.kind()).isEqualTo(kind))
                .hasMessageContaining(layout.toString()).hasMessageContainingAll(says)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(out).doesNotExist();
        try (var s = Files.list(tmp.resolve("work"))) {
            assertThat(s.toList()).isEmpty(); // no staging directory, no file beside the target
        } catch (java.nio.file.NoSuchFileException e) {
            // not even the parent was made
        }
        assertThat(tmp.resolve("evil")).doesNotExist();
    }

    static TestForeign.Layer raw(String path) {
        return TestForeign.raw("weight", path, TestForeign.text("w " + path));
    }

    @Test
    void pathsThatLeaveTheTargetOrHoldANulAreRefusedBeforeAnyLayerIsFetched() throws IOException {
        refused(List.of(raw("../evil")), null, Kind.INVALID, "layer 0 org.cncf.model.filepath '../evil'", "'..' segment");
        refused(List.of(raw("/etc/evil")), null, Kind.INVALID, "layer 0 org.cncf.model.filepath '/etc/evil' is absolute");
        refused(List.of(raw("a\0b")), null, Kind.INVALID, "layer 0 org.cncf.model.filepath 'a\\u0000b' holds a NUL");
    }

    @Test
    void twoLayersClaimingOnePathOrOneInsideTheOtherAreRefused() throws IOException {
        refused(List.of(raw("w.bin"), TestForeign.raw("doc", "w.bin", TestForeign.text("other"))), null, Kind.INVALID,
                "layers 0 and 1 both claim the path 'w.bin'");
        refused(List.of(TestForeign.tar("doc", "d", Map.of("d/x", TestForeign.text("x")), false), raw("d/y")), null,
                Kind.INVALID, "layer 1's path 'd/y' is inside layer 0's 'd'");
    }

    @Test
    void diffIdsThatDoNotMatchTheLayersAreRefused() throws IOException {
        List<TestForeign.Layer> two = List.of(raw("a.bin"), raw("b.bin"));
        byte[] one = TestForeign.modelPackConfig(Map.of(), two.subList(0, 1));
        refused(two, one, Kind.INVALID, "config modelfs.diffIds has 1 entries for 2 layers");
        TestForeign.Layer lying = new TestForeign.Layer(raw("c.bin").mediaType(), TestForeign.text("c"),
                raw("c.bin").annotations(), Digest.sha256Of(TestForeign.text("not c")));
        refused(List.of(lying), null, Kind.DIGEST_MISMATCH, "layer 0: config modelfs.diffIds[0] is");
        TestForeign.Layer gz = TestForeign.tar("doc", "docs", Map.of("docs/a.md", TestForeign.text("a")), true);
        TestForeign.Layer badGz = new TestForeign.Layer(gz.mediaType(), gz.blob(), gz.annotations(), Digest.sha256Of(gz.blob()));
        refused(List.of(badGz), null, Kind.DIGEST_MISMATCH, "the tar (diffId) of layer", "digest mismatch: want "
                + Digest.sha256Of(gz.blob()));
    }

    @Test
    void aLayerThatExpandsPastTheBoundOrIsDamagedIsStopped() throws IOException {
        TestForeign.Layer bomb = TestForeign.tar("weight", "zeros.bin", Map.of("zeros.bin", new byte[16 << 20]), true);
        assertThat(bomb.blob().length).isLessThan(64 << 10);
        refused(List.of(bomb), null, Kind.INVALID, "expands past " + TreeLayers.bound(bomb.blob().length) + " bytes");
        TestForeign.Layer zbomb = TestForeign.tarZstd("weight", "zeros.bin", Map.of("zeros.bin", new byte[16 << 20]));
        assertThat(zbomb.blob().length).isLessThan(64 << 10);
        refused(List.of(zbomb), null, Kind.INVALID, "expands past " + TreeLayers.bound(zbomb.blob().length) + " bytes");
        TestForeign.Layer z = new TestForeign.Layer(TestForeign.MP + "weight.v1.tar+zstd", TestForeign.text("zstd?"),
                Map.of("org.cncf.model.filepath", "z.bin"), Digest.sha256Of(TestForeign.text("tar")));
        refused(List.of(z), null, Kind.INVALID, "damaged zstd data");
        TestForeign.Layer whole = TestForeign.tarZstd("doc", "d.md", Map.of("d.md", TestForeign.bytes(50_000, 9)));
        byte[] cut = java.util.Arrays.copyOf(whole.blob(), whole.blob().length - 7);
        refused(List.of(new TestForeign.Layer(whole.mediaType(), cut, whole.annotations(), whole.diffId())), null,
                Kind.INVALID, "the zstd stream is truncated");
        // a frame asking for a 1 GiB window (windowLog 30) holding one raw byte: refused, not allocated
        byte[] wide = {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 0x00, (byte) ((30 - 10) << 3), 0x09, 0x00, 0x00, 'x'};
        refused(List.of(new TestForeign.Layer(TestForeign.MP + "doc.v1.tar+zstd", wide, Map.of("org.cncf.model.filepath",
                "x.md"), Digest.sha256Of(TestForeign.text("x")))), null, Kind.INVALID, "Frame requires too much memory");
    }

    @Test
    void tarEntriesThatTraverseLinkOrLeaveTheLayersPathAreRefused() throws IOException {
        Map<String, byte[]> traverse = new LinkedHashMap<>();
        traverse.put("docs/a.md", TestForeign.text("a"));
        traverse.put("docs/../../evil", TestForeign.text("evil"));
        refused(List.of(TestForeign.tar("doc", "docs", traverse, false)), null, Kind.INVALID,
                "tar entry 'docs/../../evil' leaves the layer ('..' in its path)");
        refused(List.of(TestForeign.tar("doc", "docs", Map.of("docs/./a.md", TestForeign.text("a")), false)), null,
                Kind.INVALID, "tar entry 'docs/./a.md' is not a plain path ('.' or an empty segment)");
        refused(List.of(TestForeign.tar("doc", "docs", Map.of("other.md", TestForeign.text("o")), false)), null,
                Kind.INVALID, "tar entry 'other.md' is outside the layer's path 'docs'");
        byte[] absolute = concat(dev.modelreg.testkit.TarMutator.entry("/docs/a.md", (byte) '0', TestForeign.text("a"), ""),
                new byte[1024]);
        refused(List.of(new TestForeign.Layer(TestForeign.MP + "doc.v1.tar", absolute, Map.of("org.cncf.model.filepath", "docs"),
                Digest.sha256Of(absolute))), null, Kind.INVALID, "tar entry '/docs/a.md' has an absolute or empty path");
        byte[] link = symlinkTar("docs/link", "/etc/passwd");
        refused(List.of(new TestForeign.Layer(TestForeign.MP + "doc.v1.tar", link, Map.of("org.cncf.model.filepath", "docs"),
                Digest.sha256Of(link))), null, Kind.INVALID, "tar entry 'docs/link' is a symbolic link");
    }

    @Test
    void anOrasTitleThatLeavesTheTargetIsRefusedAsOrasPullRefusesIt() throws IOException {
        Path layout = tmp.resolve("layout");
        TestForeign.push(OciLayout.open(layout), "v1", "application/vnd.example", TestForeign.emptyConfig(), TestForeign.EMPTY,
                List.of(TestForeign.orasFile("../evil", TestForeign.text("x"))));
        pullRefused(layout, Kind.INVALID, "layer 0 org.opencontainers.image.title '../evil'");
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static byte[] symlinkTar(String name, String target) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            e.setLinkName(target);
            t.putArchiveEntry(e);
            t.closeArchiveEntry();
        }
        return out.toByteArray();
    }
}
