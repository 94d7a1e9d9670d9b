package dev.modelreg.content;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.content.store.BlobCache;
import dev.modelreg.content.store.CachedBlob;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.MediaTypes;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** BlobCache's prune (spec/README.md 9.3): what it keeps (referenced, registered in use), what it removes, its lock. */
class BlobPruneTest {
    @TempDir Path tmp;

    private static Digest put(BlobCache c, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        Descriptor d = Descriptor.of(MediaTypes.CONFIG, Digest.sha256Of(b), b.length);
        c.push(d, new ByteArrayInputStream(b));
        return d.digest();
    }

    private static List<Digest> digests(List<CachedBlob> bs) {
        return bs.stream().map(CachedBlob::digest).toList();
    }

    @Test
    void keepsReferencedAndRegisteredBlobsAndRemovesTheRest() throws Exception {
        Path root = tmp.resolve("cache");
        BlobCache cache = BlobCache.shared(root);
        Digest a;
        Digest b;
        Digest c;
        try (BlobCache.Use u = cache.use()) {
            a = put(cache, "a");
            b = put(cache, "b");
            c = put(cache, "c");
        }
        assertThat(root.resolve("in-use")).isEmptyDirectory(); // the operation ended: nothing of it registered
        // another live process (this PID, another file) registered c; a dead one registered b
        Files.writeString(root.resolve("in-use").resolve(ProcessHandle.current().pid() + "-other"), c + "\n");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path dead = root.resolve("in-use").resolve(gone.pid() + "-dead");
        Files.writeString(dead, b + "\n");
        Files.writeString(root.resolve("blobs").resolve("sha256").resolve("not-a-digest"), "junk");

        BlobCache.Pruned dry = cache.prune(() -> Set.of(a), x -> true, true, m -> {});
        assertThat(digests(dry.removed())).containsExactly(b);
        assertThat(digests(dry.inUse())).containsExactly(c);
        assertThat(root.resolve("blobs/sha256/" + b.hex())).exists(); // (cache.has would register it in use)
        assertThat(dead).exists();

        BlobCache.Pruned done = cache.prune(() -> Set.of(a), x -> true, false, m -> {});
        assertThat(digests(done.removed())).containsExactly(b);
        assertThat(done.bytes()).isEqualTo(1);
        assertThat(digests(cache.list())).containsExactlyInAnyOrder(a, c);
        assertThat(dead).doesNotExist();
        assertThat(root.resolve("blobs").resolve("sha256").resolve("not-a-digest")).doesNotExist();
        assertThat(root.resolve("cache.lock")).doesNotExist();
    }

    @Test
    void anEligibilityTestLimitsThePrune() throws Exception {
        BlobCache cache = BlobCache.shared(tmp.resolve("cache"));
        Digest a = put(cache, "old");
        Digest b = put(cache, "new");
        Files.setLastModifiedTime(cache.path(a), java.nio.file.attribute.FileTime.fromMillis(0));
        try (BlobCache.Use u = cache.use()) { } // ends the registrations of the puts
        BlobCache.Pruned p = cache.prune(Set::of, x -> x.modified().toEpochMilli() == 0, false, m -> {});
        assertThat(digests(p.removed())).containsExactly(a);
        assertThat(digests(cache.list())).containsExactly(b);
    }

    /**
     * The protocol's heart: a digest registered while a prune holds the lock is looked up only after the prune ended,
     * so a blob the prune removed is seen as missing (fetched again), never half-used.
     */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aLookUpDuringAPruneWaitsForItsEnd() throws Exception {
        Path root = tmp.resolve("cache");
        BlobCache writer = BlobCache.shared(root);
        Digest x = put(writer, "x");
        try (BlobCache.Use u = writer.use()) { }
        BlobCache pruner = BlobCache.shared(root);
        CountDownLatch inPrune = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<BlobCache.Pruned> prune = CompletableFuture.supplyAsync(() -> {
            try {
                return pruner.prune(() -> {
                    inPrune.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                    return Set.of();
                }, b -> true, false, m -> {});
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        assertThat(inPrune.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Boolean> lookUp = CompletableFuture.supplyAsync(() -> writer.has(x));
        Thread.sleep(300);
        assertThat(lookUp).as("a look-up while the prune holds the lock").isNotDone();
        release.countDown();
        assertThat(digests(prune.get(10, TimeUnit.SECONDS).removed())).containsExactly(x);
        assertThat(lookUp.get(10, TimeUnit.SECONDS)).as("the look-up after the prune ended").isFalse();
    }
}
