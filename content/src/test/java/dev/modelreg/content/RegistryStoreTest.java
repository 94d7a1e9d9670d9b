package dev.modelreg.content;

import dev.modelreg.content.store.BlobCache;
import dev.modelreg.content.store.OciLayout;
import dev.modelreg.content.store.RegistryStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.OciReference;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.Request;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RegistryStore and Copy against the real CNCF distribution registry (plain HTTP). */
class RegistryStoreTest {
    @TempDir static Path shared;
    @TempDir Path tmp;
    static RegistryFixture registry;

    @BeforeAll
    static void start() {
        registry = RegistryFixture.start(RegistryFixture.Mode.PLAIN, shared.resolve("registry"));
    }

    @AfterAll
    static void stop() {
        if (registry != null) registry.close();
    }

    private RegistryStore store(String repository) throws IOException {
        return RegistryStore.connect(OciReference.parse(registry.host() + "/" + repository), RegistryOptions.defaults());
    }

    private OciLayout layoutWith(Blobs.Artifact art, String tag) throws IOException {
        OciLayout a = OciLayout.open(tmp.resolve("src-" + art.root().digest().hex().substring(0, 8)));
        art.pushTo(a);
        a.tag(art.root(), tag);
        return a;
    }

    @Test
    void layoutToRegistryToLayoutKeepsEveryByte() throws IOException {
        Blobs.Artifact art = Blobs.artifact(11, 6);
        OciLayout src = layoutWith(art, "v1");
        RegistryStore reg = store("models/roundtrip");

        CopyResult up = Copy.copy(src, "v1", reg, "develop", CopyOptions.defaults());
        assertThat(up.blobsCopied()).isEqualTo(8);
        assertThat(up.bytesCopied()).isEqualTo(art.blobBytes() + art.root().size());

        Descriptor resolved = reg.resolve("develop");
        assertThat(resolved).isEqualTo(art.root());
        try (InputStream in = reg.fetch(resolved)) {
            assertThat(in.readAllBytes()).isEqualTo(art.manifestBytes()); // raw bytes, not re-serialized
        }

        OciLayout back = OciLayout.open(tmp.resolve("back"));
        CopyResult down = Copy.copy(reg, "develop", back, "develop", CopyOptions.defaults());
        assertThat(down.blobsCopied()).isEqualTo(8);
        assertThat(back.readManifest(art.root())).isEqualTo(art.manifestBytes());
        for (var e : art.blobs().entrySet()) {
            assertThat(Files.readAllBytes(back.blobPath(e.getKey().digest()))).isEqualTo(e.getValue());
        }

        // a second push (a new store, as a new process would have) sends nothing: HEADs only
        registry.clearRequests();
        RegistryStore fresh = store("models/roundtrip");
        CopyResult again = Copy.copy(src, "v1", fresh, "develop", CopyOptions.defaults());
        assertThat(again.bytesCopied()).isZero();
        assertThat(again.blobsCopied()).isZero();
        assertThat(again.blobsSkipped()).isEqualTo(8);
        List<Request> log = registry.requests();
        assertThat(log).noneMatch(r -> r.method().equals("POST") || r.method().equals("PATCH"));
        assertThat(log).allMatch(r -> r.method().equals("HEAD"), "only HEAD requests");
        assertThat(log).hasSize(9); // config + 6 layers + manifest + tag
        assertThat(fresh.requestCount()).isEqualTo(9);
    }

    @Test
    void resolveIsOneHead() throws IOException {
        Blobs.Artifact art = Blobs.artifact(12, 1);
        RegistryStore reg = store("models/resolve");
        Copy.copy(layoutWith(art, "t"), "t", reg, "t", CopyOptions.defaults());
        registry.clearRequests();
        long before = reg.requestCount();
        assertThat(reg.resolve("t")).isEqualTo(art.root());
        assertThat(reg.requestCount() - before).isEqualTo(1);
        assertThat(registry.requests()).containsExactly(new Request("HEAD", "/v2/models/resolve/manifests/t", 200));
        assertThat(reg.resolve(art.root().digest().toString())).isEqualTo(art.root());
    }

    @Test
    void missingThingsAreNotFoundNamingRepositoryAndDigest() throws IOException {
        RegistryStore reg = store("models/missing");
        assertThatThrownBy(() -> reg.resolve("nope"))
                .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.NOT_FOUND))
                .hasMessage("tag 'nope' not found in " + registry.host() + "/models/missing");
        Descriptor d = Blobs.describe(MediaTypes.FILE_LAYER, new byte[] {1, 2, 3});
        assertThat(reg.exists(d)).isFalse();
        assertThatThrownBy(() -> reg.fetch(d))
                .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.NOT_FOUND))
                .hasMessageStartingWith("blob " + d.digest() + " not found in " + registry.host() + "/models/missing");
    }

    @Test
    void pushOfWrongContentIsRefusedAndNothingLands() throws IOException {
        RegistryStore reg = store("models/wrong");
        byte[] b = Blobs.random(13, 100_000);
        Descriptor claimed = Blobs.describe(MediaTypes.FILE_LAYER, Blobs.random(14, 100_000));
        assertThatThrownBy(() -> reg.push(claimed, new java.io.ByteArrayInputStream(b)))
                .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.DIGEST_MISMATCH))
                .hasMessageContaining(claimed.digest().toString());
        assertThat(reg.exists(claimed)).isFalse();
        Descriptor d = Blobs.describe(MediaTypes.FILE_LAYER, b);
        assertThat(reg.exists(d)).isFalse();
        // the empty blob takes the non-streaming path
        Descriptor empty = Blobs.describe(MediaTypes.FILE_LAYER, new byte[0]);
        reg.push(empty, InputStream.nullInputStream());
        assertThat(reg.exists(empty)).isTrue();
    }

    @Test
    void tamperedBlobInRegistryStorageNeverReachesTheDestination() throws IOException {
        Blobs.Artifact art = Blobs.artifact(15, 3);
        RegistryStore reg = store("models/tampered");
        Copy.copy(layoutWith(art, "t"), "t", reg, "t", CopyOptions.defaults());
        Descriptor victim = art.layer(2);
        String hex = victim.digest().hex();
        Path data = registry.storageDir().resolve("docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
        assertThat(data).exists();
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(data, bytes);

        OciLayout dst = OciLayout.open(tmp.resolve("dst"));
        assertThatThrownBy(() -> Copy.copy(reg, "t", dst, "t", CopyOptions.defaults()))
                .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.DIGEST_MISMATCH))
                .hasMessageContaining(victim.digest().toString())
                .hasMessageContaining(registry.host() + "/models/tampered");
        assertThat(Files.exists(dst.blobPath(victim.digest()))).isFalse();
        assertThat(dst.exists(art.root())).isFalse();
        assertThat(dst.tags()).isEmpty();
        assertThat(LocalStoresTest.leftovers(dst.dir().resolve("ingest")).stream().filter(p -> p.toString().endsWith(".partial"))).isEmpty();

        // the same into the cache
        BlobCache cache = BlobCache.open(tmp.resolve("cache"));
        assertThatThrownBy(() -> cache.push(victim, reg.fetch(victim)))
                .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.DIGEST_MISMATCH));
        assertThat(cache.has(victim.digest())).isFalse();
    }

    @Test
    void mountsBetweenRepositoriesOfOneRegistry() throws IOException {
        Blobs.Artifact art = Blobs.artifact(16, 4);
        RegistryStore a = store("team/a");
        Copy.copy(layoutWith(art, "t"), "t", a, "t", CopyOptions.defaults());
        RegistryStore b = store("team/b");
        registry.clearRequests();
        CopyResult r = Copy.copy(a, "t", b, "t", CopyOptions.defaults());
        assertThat(r.blobsMounted()).isEqualTo(5); // config + 4 layers
        assertThat(r.blobsCopied()).isEqualTo(1);  // the manifest
        assertThat(r.bytesCopied()).isEqualTo(art.root().size());
        List<Request> log = registry.requests();
        assertThat(log.stream().filter(q -> q.equals(new Request("POST", "/v2/team/b/blobs/uploads/", 201)))).hasSize(5);
        assertThat(log).noneMatch(q -> q.method().equals("GET") && q.path().contains("/blobs/"));
        assertThat(b.resolve("t")).isEqualTo(art.root());
        for (Descriptor d : art.blobs().keySet()) assertThat(b.exists(d)).isTrue();

        // explicit mountFrom from a layout source; a blob the source repository lacks falls back to an upload
        Blobs.Artifact art2 = Blobs.artifact(17, 2);
        RegistryStore c = store("team/c");
        CopyResult r2 = Copy.copy(layoutWith(art2, "t"), "t", c, "t", CopyOptions.defaults().withMountFrom("team/a"));
        assertThat(r2.blobsMounted()).isZero();
        assertThat(r2.blobsCopied()).isEqualTo(4);
        assertThat(c.resolve("t")).isEqualTo(art2.root());
    }
}
