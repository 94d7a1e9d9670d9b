package dev.modelreg.testkit.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.testkit.conformance.StoreContent.Artifact;
import dev.modelreg.testkit.conformance.StoreContent.Blob;
import dev.modelreg.testkit.conformance.StoreContent.CountingStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The conformance suite of a blob store (oras-go's store tests, go-containerregistry's {@code validate}): the same
 * assertions about push, exists and fetch, verification and the manifest limit, for every store of modelreg. A store's
 * module extends it with a class that says how to make a store ({@link #newStore()}) and open one again
 * ({@link #reopen}); stores with tags extend {@link TargetConformance}, which runs these tests too. Failures are
 * checked by kind ({@link ConformanceStore#kindOf}) and must be one line naming the digest or tag at fault.
 */
public abstract class BlobStoreConformance {
    /** A blob of several MiB, and more than the manifest limit (blobs have no limit of their own). */
    public static final int LARGE_BLOB = (5 << 20) + 3;
    private static final int PUSHERS = 4;
    private final List<ConformanceStore> opened = Collections.synchronizedList(new ArrayList<>());

    /** A new, empty store of the kind under test, in a place of its own (a directory, an archive file, a repository). */
    protected abstract ConformanceStore newStore() throws IOException;

    /** A new instance over the place {@code store} wrote to (after its {@link ConformanceStore#commit()}), as a new process would open it. */
    protected abstract ConformanceStore reopen(ConformanceStore store) throws IOException;

    /**
     * What a store needs besides its content before it is committed: nothing for a blob store; a target tags the
     * artifact's manifest (an OCI archive is only written with a tag).
     */
    protected void prepareCommit(ConformanceStore store, Artifact artifact) throws IOException {}

    /** {@link #newStore()}, closed after the test. */
    protected final ConformanceStore store() throws IOException {
        return opened(newStore());
    }

    /** {@link #reopen}, closed after the test. */
    protected final ConformanceStore reopened(ConformanceStore store) throws IOException {
        return opened(reopen(store));
    }

    private ConformanceStore opened(ConformanceStore s) {
        assertNotNull(s, "the store under test");
        opened.add(s);
        return s;
    }

    @AfterEach
    final void closeStores() throws IOException {
        for (int i = opened.size() - 1; i >= 0; i--) opened.get(i).close();
        opened.clear();
    }

    // ---- push, exists, fetch

    @Test
    void pushedBlobExistsAndIsFetchedByteForByte() throws IOException {
        ConformanceStore s = store();
        Blob b = StoreContent.layer(1, 10_000);
        assertFalse(s.exists(b.descriptor()), "exists before the push");
        pushAndCheck(s, b);
        assertContent(s, b); // a second fetch: the store keeps what it serves
    }

    @Test
    void absentContentDoesNotExistAndIsNotFound() throws IOException {
        ConformanceStore s = store();
        s.push(StoreContent.layer(2, 100).descriptor(), StoreContent.layer(2, 100).stream()); // not empty: a miss, not nothing
        for (Blob absent : List.of(StoreContent.layer(3, 100), StoreContent.artifact(3).manifest())) {
            assertFalse(s.exists(absent.descriptor()), absent.descriptor().mediaType());
            fails(s, "NOT_FOUND", absent.digest().toString(), () -> s.fetch(absent.descriptor()).close());
        }
    }

    @Test
    void emptyBlob() throws IOException {
        ConformanceStore s = store();
        pushAndCheck(s, StoreContent.blob(MediaTypes.FILE_LAYER, new byte[0]));
    }

    @Test
    void blobOfSeveralMiB() throws IOException {
        ConformanceStore s = store();
        pushAndCheck(s, StoreContent.layer(4, LARGE_BLOB));
    }

    @Test
    void pushingTheSameBlobTwiceIsHarmless() throws IOException {
        ConformanceStore s = store();
        Blob b = StoreContent.layer(5, 3000);
        s.push(b.descriptor(), b.stream());
        Set<String> once = files(s);
        pushAndCheck(s, b);
        assertEquals(once, files(s), "files after the second push");
    }

    @Test
    void concurrentPushesOfOneBlobEndWithOneCorrectBlob() throws Exception {
        ConformanceStore s = store();
        Blob b = StoreContent.layer(6, 1 << 20);
        Set<String> before = files(s);
        CyclicBarrier start = new CyclicBarrier(PUSHERS);
        ExecutorService pool = Executors.newFixedThreadPool(PUSHERS);
        try {
            List<Future<?>> pushes = new ArrayList<>();
            for (int i = 0; i < PUSHERS; i++) {
                pushes.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    s.push(b.descriptor(), b.stream());
                    return null;
                }));
            }
            for (Future<?> f : pushes) f.get(60, TimeUnit.SECONDS); // every push succeeds
        } finally {
            pool.shutdownNow();
        }
        assertTrue(s.exists(b.descriptor()));
        assertContent(s, b);
        if (s.directory() != null) {
            Set<String> added = new TreeSet<>(files(s));
            added.removeAll(before);
            assertEquals(1, added.size(), "one file for the blob, no temp file left: " + added);
            assertArrayEquals(b.bytes(), Files.readAllBytes(s.directory().resolve(added.iterator().next())));
        }
    }

    // ---- verification: what does not match its descriptor never becomes visible

    @Test
    void contentWithAnotherDigestIsRefusedAndLeavesNothing() throws IOException {
        Blob b = StoreContent.layer(7, 5000);
        byte[] other = b.bytes().clone();
        other[2500] ^= 1;
        assertRefused("DIGEST_MISMATCH", b.descriptor(), StoreContent.counting(other, 0));
    }

    @Test
    void shorterContentIsRefusedAndLeavesNothing() throws IOException {
        Blob b = StoreContent.layer(8, 5000);
        assertRefused("SIZE_MISMATCH", b.descriptor(), StoreContent.counting(Arrays.copyOf(b.bytes(), 4999), 0));
    }

    @Test
    void longerContentIsCutOffOneBytePastItsSizeAndLeavesNothing() throws IOException {
        Blob b = StoreContent.layer(9, 5000);
        CountingStream endless = StoreContent.counting(b.bytes(), 64L << 20); // a peer that keeps sending
        assertRefused("SIZE_MISMATCH", b.descriptor(), endless);
        assertTrue(endless.consumed() <= b.bytes().length + 1, "read " + endless.consumed() + " bytes of a "
                + b.bytes().length + "-byte blob: a store stops one byte past the declared size (spec 11, 14)");
    }

    @Test
    void manifestWithOtherBytesIsRefusedAndLeavesNothing() throws IOException {
        Blob m = StoreContent.artifact(10).manifest();
        byte[] other = m.bytes().clone();
        other[other.length - 2] = ' '; // same size, still JSON: only the digest tells
        assertRefused("DIGEST_MISMATCH", m.descriptor(), StoreContent.counting(other, 0));
    }

    @Test
    void refusedPushDoesNotBlockACorrectOne() throws IOException {
        ConformanceStore s = store();
        Blob b = StoreContent.layer(11, 7000);
        fails(s, "SIZE_MISMATCH", b.digest().toString(),
                () -> s.push(b.descriptor(), StoreContent.counting(Arrays.copyOf(b.bytes(), 3000), 0)));
        pushAndCheck(s, b);
    }

    // ---- limits

    @Test
    void manifestOverTheLimitIsRefusedWithoutReadingIt() throws IOException {
        ConformanceStore s = store();
        byte[] bytes = StoreContent.random(12, Limits.MAX_MANIFEST_BYTES + 1);
        Descriptor d = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256Of(bytes), bytes.length);
        Set<String> before = files(s);
        CountingStream in = StoreContent.counting(bytes, 0);
        fails(s, "INVALID", d.digest().toString(), () -> s.push(d, in));
        assertEquals(0, in.consumed(), "bytes read of a manifest over the limit");
        assertFalse(s.exists(d));
        assertEquals(before, files(s), "files after the refused push");
    }

    @Test
    void manifestOfExactlyTheLimitIsAccepted() throws IOException {
        ConformanceStore s = store();
        Artifact a = StoreContent.artifact(13, Limits.MAX_MANIFEST_BYTES);
        assertEquals(Limits.MAX_MANIFEST_BYTES, a.manifest().bytes().length);
        push(s, a);
        assertTrue(s.exists(a.manifest().descriptor()));
        assertContent(s, a.manifest());
    }

    // ---- persistence

    @Test
    void aReopenedStoreSeesWhatWasWritten() throws IOException {
        ConformanceStore s = store();
        Artifact a = StoreContent.artifact(14);
        Blob empty = StoreContent.blob(MediaTypes.FILE_LAYER, new byte[0]);
        Blob big = StoreContent.layer(15, LARGE_BLOB);
        push(s, a);
        s.push(empty.descriptor(), empty.stream());
        s.push(big.descriptor(), big.stream());
        prepareCommit(s, a);
        s.commit();
        ConformanceStore again = reopened(s);
        for (Blob b : List.of(a.config(), a.layer(), a.manifest(), empty, big)) {
            assertTrue(again.exists(b.descriptor()), "reopened store has " + b.digest());
            assertContent(again, b);
        }
        assertFalse(again.exists(StoreContent.layer(16, 10).descriptor()));
    }

    // ---- helpers for this suite and its extensions

    /** Pushes an artifact's blobs, then its manifest (a registry wants them in that order). */
    protected static void push(ConformanceStore s, Artifact a) throws IOException {
        for (Blob b : a.blobs()) s.push(b.descriptor(), b.stream());
        s.push(a.manifest().descriptor(), a.manifest().stream());
    }

    /** Pushes {@code b}; then the store has it and serves its bytes. */
    protected static void pushAndCheck(ConformanceStore s, Blob b) throws IOException {
        s.push(b.descriptor(), b.stream());
        assertTrue(s.exists(b.descriptor()), "exists after the push of " + b.digest());
        assertContent(s, b);
    }

    /** The store serves exactly the blob's bytes (so they hash to its digest and count its size). */
    protected static void assertContent(ConformanceStore s, Blob b) throws IOException {
        try (InputStream in = s.fetch(b.descriptor())) {
            assertArrayEquals(b.bytes(), in.readAllBytes(), "content of " + b.digest());
        }
    }

    /** {@code op} fails with {@code kind}, in one line naming {@code subject}. */
    protected static Throwable fails(ConformanceStore s, String kind, String subject, Executable op) {
        IOException e = assertThrows(IOException.class, op, "want a failure of kind " + kind);
        assertEquals(kind, s.kindOf(e), () -> "kind of the failure " + e);
        String message = String.valueOf(e.getMessage());
        assertFalse(message.contains("\n"), () -> "one line: " + message);
        assertTrue(message.contains(subject), () -> "the message names " + subject + ": " + message);
        return e;
    }

    /** A push of {@code content} as {@code d} fails with {@code kind} and leaves no trace. */
    private void assertRefused(String kind, Descriptor d, InputStream content) throws IOException {
        ConformanceStore s = store();
        Set<String> before = files(s);
        fails(s, kind, d.digest().toString(), () -> s.push(d, content));
        assertFalse(s.exists(d), "exists after a refused push");
        fails(s, "NOT_FOUND", d.digest().toString(), () -> s.fetch(d).close());
        assertEquals(before, files(s), "files after the refused push");
    }

    /** The regular files under the store's directory (relative paths); empty for a remote store. */
    protected static Set<String> files(ConformanceStore s) throws IOException {
        Path dir = s.directory();
        if (dir == null || !Files.isDirectory(dir)) return Set.of();
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
