package dev.modelreg.content;

import dev.modelreg.content.store.BlobCache;
import dev.modelreg.content.store.OciLayout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStoresTest {
    @TempDir Path tmp;

    @Test
    void cacheIngestsGoodContentAtItsDigest() throws IOException {
        BlobCache cache = BlobCache.open(tmp.resolve("cache"));
        byte[] b = Blobs.random(1, 12345);
        Descriptor d = Blobs.describe(MediaTypes.FILE_LAYER, b);
        assertThat(cache.has(d.digest())).isFalse();
        cache.push(d, new ByteArrayInputStream(b));
        assertThat(cache.has(d.digest())).isTrue();
        assertThat(cache.exists(d)).isTrue();
        assertThat(cache.path(d.digest())).isEqualTo(tmp.resolve("cache/blobs/sha256/" + d.digest().hex()));
        assertThat(Files.readAllBytes(cache.path(d.digest()))).isEqualTo(b);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.path(d.digest()))))
                .isEqualTo("rw-r--r--");
        try (InputStream in = cache.fetch(d)) {
            assertThat(in.readAllBytes()).isEqualTo(b);
        }
        // pushing again is not an error and changes nothing
        cache.push(d, new ByteArrayInputStream(b));
        assertThat(Files.readAllBytes(cache.path(d.digest()))).isEqualTo(b);
        assertThat(leftovers(tmp.resolve("cache/ingest"))).isEmpty();
    }

    @Test
    void wrongDigestLeavesNothing() throws IOException {
        BlobCache cache = BlobCache.open(tmp.resolve("cache"));
        byte[] b = Blobs.random(2, 5000);
        Descriptor claimed = Blobs.describe(MediaTypes.FILE_LAYER, Blobs.random(3, 5000));
        assertThatThrownBy(() -> cache.push(claimed, new ByteArrayInputStream(b)))
                .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.DIGEST_MISMATCH))
                .hasMessageContaining(claimed.digest().toString());
        assertThat(cache.has(claimed.digest())).isFalse();
        assertThat(leftovers(tmp.resolve("cache/ingest"))).isEmpty();
        assertThat(leftovers(tmp.resolve("cache/blobs"))).isEmpty();
    }

    @Test
    void wrongSizeLeavesNothing() throws IOException {
        OciLayout layout = OciLayout.open(tmp.resolve("layout"));
        byte[] b = Blobs.random(4, 5000);
        Descriptor d = Blobs.describe(MediaTypes.FILE_LAYER, b);
        Descriptor tooShort = Descriptor.of(d.mediaType(), d.digest(), 4999);
        Descriptor tooLong = Descriptor.of(d.mediaType(), d.digest(), 5001);
        for (Descriptor bad : List.of(tooShort, tooLong)) {
            assertThatThrownBy(() -> layout.push(bad, new ByteArrayInputStream(b)))
                    .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.SIZE_MISMATCH));
            assertThat(Files.exists(layout.blobPath(d.digest()))).isFalse();
        }
        // truncated content (declared size is right, stream ends early)
        assertThatThrownBy(() -> layout.push(d, new ByteArrayInputStream(b, 0, 4000)))
                .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.SIZE_MISMATCH));
        assertThat(Files.exists(layout.blobPath(d.digest()))).isFalse();
        assertThat(leftovers(tmp.resolve("layout/ingest")).stream().filter(p -> p.toString().endsWith(".partial"))).isEmpty();
    }

    @Test
    void concurrentIngestOfTheSameBlobFromEightThreads() throws Exception {
        BlobCache cache = BlobCache.open(tmp.resolve("cache"));
        byte[] b = Blobs.random(5, 3 << 20);
        Descriptor d = Blobs.describe(MediaTypes.FILE_LAYER, b);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> fs = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                fs.add(pool.submit(() -> {
                    start.await();
                    // a slow, chunked stream so that the writes really overlap
                    cache.push(d, new ChunkedStream(b, 64 << 10));
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : fs) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(Files.readAllBytes(cache.path(d.digest()))).isEqualTo(b);
        assertThat(leftovers(tmp.resolve("cache/ingest"))).isEmpty();
        try (Stream<Path> s = Files.list(cache.path(d.digest()).getParent())) {
            assertThat(s.count()).isEqualTo(1);
        }
    }

    @Test
    void layoutFilesFollowTheImageLayoutSpec() throws IOException {
        Path dir = tmp.resolve("layout");
        OciLayout layout = OciLayout.open(dir);
        assertThat(Files.readString(dir.resolve("oci-layout"))).isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("index.json"))))
                .isEqualTo("rw-r--r--");
        Map<String, Object> index = Json.parseObject(Files.readAllBytes(dir.resolve("index.json")), "index");
        assertThat(index).containsEntry("schemaVersion", 2L).containsEntry("mediaType", MediaTypes.OCI_INDEX);
        assertThat(index.get("manifests")).isEqualTo(List.of());

        Blobs.Artifact a = Blobs.artifact(7, 3);
        a.pushTo(layout);
        layout.tag(a.root(), "v1");
        layout.tag(a.root(), "latest");
        assertThat(layout.tags()).containsExactly("v1", "latest");
        assertThat(layout.resolve("v1")).isEqualTo(a.root());
        assertThat(layout.resolve(a.root().digest().toString())).isEqualTo(a.root());
        assertThat(layout.readManifest(a.root())).isEqualTo(a.manifestBytes());
        for (Descriptor d : a.blobs().keySet()) {
            assertThat(Files.readAllBytes(dir.resolve("blobs/sha256/" + d.digest().hex()))).isEqualTo(a.blobs().get(d));
        }

        // re-tagging moves the tag, other tags stay
        Blobs.Artifact b = Blobs.artifact(8, 1);
        b.pushTo(layout);
        layout.tag(b.root(), "v1");
        assertThat(layout.resolve("v1")).isEqualTo(b.root());
        assertThat(layout.resolve("latest")).isEqualTo(a.root());
        assertThat(OciLayout.open(dir).tags()).containsExactlyInAnyOrder("v1", "latest");

        assertThatThrownBy(() -> layout.resolve("nope"))
                .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.NOT_FOUND))
                .hasMessage("tag 'nope' not found in oci-layout:" + dir);
        Descriptor missing = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256("0".repeat(64)), 10);
        assertThatThrownBy(() -> layout.tag(missing, "x"))
                .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.NOT_FOUND));
        assertThatThrownBy(() -> layout.tag(a.root(), "bad/tag"))
                .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.INVALID));
    }

    @Test
    void concurrentTaggingKeepsEveryTag() throws Exception {
        Path dir = tmp.resolve("layout");
        OciLayout layout = OciLayout.open(dir);
        Blobs.Artifact a = Blobs.artifact(9, 1);
        a.pushTo(layout);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> fs = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                String t = "t" + i;
                // separate OciLayout instances, as separate processes would have
                fs.add(pool.submit(() -> {
                    OciLayout.open(dir).tag(a.root(), t);
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(layout.tags()).hasSize(40);
        assertThat(leftovers(dir.resolve("ingest")).stream().filter(p -> p.toString().endsWith(".partial"))).isEmpty();
    }

    @Test
    void taggingKeepsFieldsAndEntriesWeDoNotKnow() throws IOException {
        Path dir = tmp.resolve("layout");
        OciLayout layout = OciLayout.open(dir);
        Blobs.Artifact a = Blobs.artifact(10, 1);
        a.pushTo(layout);
        String foreign = "{\"schemaVersion\":2,\"annotations\":{\"x\":\"y\"},\"manifests\":[{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + a.root().digest() + "\",\"size\":" + a.root().size()
                + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}";
        Files.writeString(dir.resolve("index.json"), foreign);
        layout.tag(a.root(), "t");
        Map<String, Object> index = Json.parseObject(Files.readAllBytes(dir.resolve("index.json")), "index");
        assertThat(index.get("annotations")).isEqualTo(Map.of("x", "y"));
        List<?> entries = (List<?>) index.get("manifests");
        assertThat(entries).hasSize(2);
        assertThat(((Map<?, ?>) entries.get(0)).get("platform")).isEqualTo(Map.of("os", "linux", "architecture", "amd64"));
        assertThat(layout.resolve("t")).isEqualTo(a.root());
        // a digest listed in index.json resolves from it
        assertThat(layout.resolve(a.root().digest().toString())).isEqualTo(a.root());
    }

    @Test
    void layoutOverAFileIsInvalid() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> OciLayout.open(file))
                .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.INVALID))
                .hasMessage("oci-layout:" + file + ": not a directory");
    }

    @Test
    void fetchOfMissingBlobIsNotFound() throws IOException {
        OciLayout layout = OciLayout.open(tmp.resolve("layout"));
        Descriptor d = Blobs.describe(MediaTypes.FILE_LAYER, new byte[] {1});
        assertThat(layout.exists(d)).isFalse();
        assertThatThrownBy(() -> layout.fetch(d))
                .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.NOT_FOUND))
                .hasMessageContaining(d.digest().toString());
    }

    static List<Path> leftovers(Path dir) throws IOException {
        if (!Files.exists(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("index.lock")).toList();
        }
    }

    /** Hands out at most {@code chunk} bytes per read, yielding between reads. */
    static final class ChunkedStream extends InputStream {
        private final byte[] data;
        private final int chunk;
        private int pos;

        ChunkedStream(byte[] data, int chunk) {
            this.data = data;
            this.chunk = chunk;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) return -1;
            int n = Math.min(Math.min(len, chunk), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            Thread.yield();
            return n;
        }
    }
}
