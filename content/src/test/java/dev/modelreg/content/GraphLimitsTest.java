package dev.modelreg.content;

import dev.modelreg.content.store.OciArchive;
import dev.modelreg.content.store.OciLayout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.testkit.HostileRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The graph a copy walks is bounded (spec section 14, {@link Graph}): nested image indexes by depth on every path, the
 * manifests of the graph by count and by bytes, each refused in one INVALID line before the manifests past the limit
 * are fetched, and with nothing written at the destination. A legitimate nested index still copies, children first.
 */
class GraphLimitsTest {
    @TempDir Path tmp;

    static byte[] index(List<Descriptor> entries) {
        return HostileRegistry.indexBytes(entries);
    }

    /** Writes an index into the layout's blobs directly (a fixture: thousands of them, without an fsync each). */
    private static Descriptor push(OciLayout l, byte[] indexBytes) throws IOException {
        Descriptor d = Blobs.describe(MediaTypes.OCI_INDEX, indexBytes);
        Files.write(l.blobPath(d.digest()), indexBytes);
        return d;
    }

    /** A manifest descriptor that no store holds: a walk that fetches it fails NOT_FOUND. */
    static Descriptor absent(int i, long size) {
        return Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256Of(("absent " + i).getBytes(StandardCharsets.UTF_8)), size);
    }

    /** A source that counts the manifests fetched from it. */
    private record Counting(ReadOnlyTarget source, AtomicInteger fetched) implements ReadOnlyTarget {
        Counting(ReadOnlyTarget source) {
            this(source, new AtomicInteger());
        }

        @Override
        public InputStream fetch(Descriptor d) throws IOException {
            fetched.incrementAndGet();
            return source.fetch(d);
        }

        @Override
        public boolean exists(Descriptor d) throws IOException {
            return source.exists(d);
        }

        @Override
        public Descriptor resolve(String reference) throws IOException {
            return source.resolve(reference);
        }

        @Override
        public String name() {
            return source.name();
        }
    }

    @Test
    void aChainOf3000IndexesIsRefusedAtTheDepthLimit() throws IOException {
        // the chain in an archive (one file: thousands of blob files would only slow the test down)
        Blobs.Artifact art = Blobs.artifact(1, 1);
        HostileRegistry.Tar tar = new HostileRegistry.Tar().file("oci-layout", OciLayout.LAYOUT_BYTES);
        for (var e : art.blobs().entrySet()) tar.file("blobs/sha256/" + e.getKey().digest().hex(), e.getValue());
        tar.file("blobs/sha256/" + art.root().digest().hex(), art.manifestBytes());
        Descriptor d = art.root();
        for (int i = 0; i < 3000; i++) {
            byte[] b = index(List.of(d));
            d = Blobs.describe(MediaTypes.OCI_INDEX, b);
            tar.file("blobs/sha256/" + d.digest().hex(), b);
        }
        Descriptor top = d;
        Path file = Files.write(tmp.resolve("deep.tar"), tar.file("index.json", index(List.of())).bytes());
        OciLayout b = OciLayout.open(tmp.resolve("b"));
        try (OciArchive archive = OciArchive.open(file)) {
            Counting src = new Counting(archive);
            assertThatThrownBy(() -> Copy.copy(src, top, b, "deep", CopyOptions.defaults()))
                    .isInstanceOf(ContentException.class)
                    .satisfies(e -> assertThat(((ContentException) e).kind()).isEqualTo(ContentException.Kind.INVALID))
                    .hasMessageStartingWith("the graph under " + top.digest() + " in oci-archive:" + file
                            + " nests image indexes more than 16 levels deep, the limit (17 levels through manifest sha256:")
                    .hasMessageNotContaining("\n");
            assertThat(src.fetched()).as("manifests fetched").hasValue(Limits.MAX_GRAPH_DEPTH);
        }
        assertThat(blobs(b)).as("blobs written at the destination").isEmpty();
        assertThat(b.tags()).isEmpty();
    }

    @Test
    void aPathTooDeepThroughAManifestMetBeforeIsRefusedToo() throws IOException {
        // the root lists X (3 levels: X -> X' -> a manifest), walked first at level 2, then C14 -> C13 -> ... -> C1 -> X:
        // the walk meets X again at level 16, and X's 3 levels make that path 18 deep
        OciLayout a = OciLayout.open(tmp.resolve("a"));
        Blobs.Artifact art = Blobs.artifact(2, 1);
        art.pushTo(a);
        Descriptor x = push(a, index(List.of(push(a, index(List.of(art.root()))))));
        List<Descriptor> chain = new ArrayList<>(); // C1, C2, ...
        for (int i = 0; i < 14; i++) chain.add(push(a, index(List.of(i == 0 ? x : chain.get(i - 1)))));
        Descriptor root = push(a, index(List.of(x, chain.get(13))));
        OciLayout b = OciLayout.open(tmp.resolve("b"));

        assertThatThrownBy(() -> Copy.copy(a, root, b, null, CopyOptions.defaults()))
                .isInstanceOf(ContentException.class)
                .hasMessageEndingWith("nests image indexes more than 16 levels deep, the limit (18 levels through manifest "
                        + x.digest() + ")");
        assertThat(blobs(b)).isEmpty();

        // through C12 the longest path is 16 levels: within the limit, copied, every child before its parent
        Descriptor within = push(a, index(List.of(x, chain.get(11))));
        CopyResult r = Copy.copy(a, within, b, "ok", CopyOptions.defaults());
        assertThat(b.resolve("ok")).isEqualTo(within);
        assertThat(b.exists(art.layer(0))).isTrue();
        assertThat(b.exists(chain.get(0))).isTrue();
        assertThat(r.blobsCopied()).isEqualTo(2 + 3 + 12 + 1); // config and layer; the manifest, X', X; C1..C12; the root
    }

    @Test
    void aGraphOf100000ManifestsIsRefusedBeforeTheyAreFetched() throws IOException {
        // the root lists 4 indexes of 25,000 manifests each (each index within the 4 MiB manifest limit)
        OciLayout a = OciLayout.open(tmp.resolve("a"));
        List<Descriptor> parts = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            List<Descriptor> leaves = new ArrayList<>();
            for (int i = 0; i < 25_000; i++) leaves.add(absent(p * 25_000 + i, 500));
            parts.add(push(a, index(leaves)));
        }
        Descriptor root = push(a, index(parts));
        Counting src = new Counting(a);
        OciLayout b = OciLayout.open(tmp.resolve("b"));

        assertThatThrownBy(() -> Copy.copy(src, root, b, "wide", CopyOptions.defaults()))
                .isInstanceOf(ContentException.class)
                .hasMessage("the graph under " + root.digest() + " in " + a.name()
                        + " lists 10001 manifests, more than the limit of 10000");
        assertThat(src.fetched()).as("the root and the first index of 25,000, nothing they list").hasValue(2);
        assertThat(blobs(b)).isEmpty();
    }

    @Test
    void manifestsOfMoreThan64MiBTogetherAreRefusedBeforeTheyAreFetched() throws IOException {
        OciLayout a = OciLayout.open(tmp.resolve("a"));
        List<Descriptor> big = new ArrayList<>();
        for (int i = 0; i < 17; i++) big.add(absent(i, Limits.MAX_MANIFEST_BYTES)); // each within the manifest limit
        Descriptor root = push(a, index(big));
        Counting src = new Counting(a);

        assertThatThrownBy(() -> Copy.copy(src, root, OciLayout.open(tmp.resolve("b")), null, CopyOptions.defaults()))
                .isInstanceOf(ContentException.class)
                .hasMessage("the manifests of the graph under " + root.digest() + " in " + a.name()
                        + " come to more than 67108864 bytes, the limit for one copy");
        assertThat(src.fetched()).hasValue(1);
    }

    private static List<Path> blobs(OciLayout l) throws IOException {
        try (Stream<Path> s = Files.list(l.dir().resolve("blobs/sha256"))) {
            return s.toList();
        }
    }
}
