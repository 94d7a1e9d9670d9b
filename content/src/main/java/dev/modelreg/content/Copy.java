package dev.modelreg.content;

import dev.modelreg.content.http.Backoff;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.ImageIndex;
import dev.modelreg.spec.Manifest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one copy between stores (oras-go's copy.go), used by push, pull, copy, sync, mirror and GitHub mode: read the
 * graph under the root ({@link Graph}: an image index is walked into its manifests, within bounds), move the config
 * and the layers the destination lacks with bounded parallelism, push each manifest after all of its blobs, and tag
 * last (if the {@link CopyOptions#tagCondition} holds). Every blob is verified on its way, once (a corrupt source never
 * reaches the destination); a blob the destination has is skipped; on one registry blobs are mounted; a transient
 * failure is retried and, into a local
 * store, resumed from the partial file it left ({@link RangeFetcher}); a {@link BlobSink} may see each blob's bytes
 * in the same pass (tar extraction); {@link CopyListener} hooks see everything (progress). Errors say which side
 * failed and what it was doing, in words and as data ({@link CopyException}). What it asks of the stores are their
 * capabilities ({@link RangeFetcher}, {@link ResumablePusher}, {@link LocalBlobs}, {@link Mounter}), never their class.
 */
public final class Copy {
    private final String srcName;
    private final Storage dst;
    private final CopyOptions options;
    private final String mountFrom;
    private final AtomicInteger copied = new AtomicInteger();
    private final AtomicLong copiedBytes = new AtomicLong();
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicLong skippedBytes = new AtomicLong();
    private final AtomicInteger mounted = new AtomicInteger();

    /** How many times a manifest PUT is sent when the registry cannot see its blobs ({@link #settled}). */
    static final int MANIFEST_ATTEMPTS = 3;

    /** A manifest PUT that {@link #settled} may send again. */
    private interface Put {
        void run() throws IOException;
    }

    /** One blob to move: how to open it (from an offset), what it must be, its descriptor when it has one, its name. */
    private record Item(Descriptor descriptor, Expected expected, Ingest.Source source, String what) {
        Digest digest() {
            return expected.digest();
        }

        long size() {
            return expected.knownSize();
        }
    }

    private Copy(String srcName, Storage dst, CopyOptions options, String mountFrom) {
        this.srcName = srcName;
        this.dst = dst;
        this.options = options == null ? CopyOptions.defaults() : options;
        this.mountFrom = mountFrom;
    }

    /** Copies the graph under {@code root} from {@code src} to {@code dst}; tags it {@code tagOrNull} if given. */
    public static CopyResult copy(ReadOnlyStorage src, Descriptor root, Target dst, String tagOrNull, CopyOptions o)
            throws IOException {
        CopyOptions opts = o == null ? CopyOptions.defaults() : o;
        Copy c = new Copy(name(src), dst, opts, mountSource(src, dst, opts));
        Graph graph = Graph.read(src, c.srcName, root, opts.layerFilter());
        Map<Digest, byte[]> bytes = graph.bytes;
        Map<Digest, Item> blobs = new LinkedHashMap<>();
        for (Descriptor d : graph.blobs.values()) blobs.put(d.digest(), c.item(src, d));
        c.moveAll(new ArrayList<>(blobs.values()));
        for (Descriptor m : graph.manifests) { // children before parents, the root last; not blobs: the listener's
            if (c.dstHas(m)) {                  // planned() counted none of them (a display showed 4/3 blobs)
                c.count(c.skipped, c.skippedBytes, m.size());
            } else {
                c.pushManifest(m, bytes, blobs);
                c.count(c.copied, c.copiedBytes, m.size());
            }
        }
        if (tagOrNull != null) {
            c.settled(root, bytes, blobs, () -> opts.tagCondition().tag(dst, root, tagOrNull), CopyException.Op.TAG, "tagging",
                    "'" + tagOrNull + "'");
        }
        return c.result(root);
    }

    private void pushManifest(Descriptor m, Map<Digest, byte[]> bytes, Map<Digest, Item> blobs) throws IOException {
        settled(m, bytes, blobs, () -> dst.push(m, new ByteArrayInputStream(bytes.get(m.digest()))), CopyException.Op.PUSH,
                "pushing manifest", m.digest());
    }

    /**
     * Runs a PUT of manifest {@code m} (by digest, or its tag). When the registry refuses it for a blob it cannot see
     * in the repository ({@link BlobsNotLinked}: another push of the same blobs was committing them, or an upload never
     * got linked), re-checks m's blobs, sends those missing and puts it again, at most {@link #MANIFEST_ATTEMPTS}
     * times; the last refusal is the error. Any other failure is final at once.
     */
    private void settled(Descriptor m, Map<Digest, byte[]> bytes, Map<Digest, Item> blobs, Put put, CopyException.Op op,
                         String doing, Object subject) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                put.run();
                return;
            } catch (BlobsNotLinked e) {
                if (attempt >= MANIFEST_ATTEMPTS) {
                    throw dstFailure(new ContentException(e.kind(), e.getMessage() + " (tried " + attempt
                            + " times, re-checking its blobs in between)", e), op, doing, subject);
                }
                options.listener().retrying(m.digest(), e);
                Backoff.sleep(Backoff.delay(attempt - 1), "manifest " + m.digest());
                relink(m, bytes, blobs);
            } catch (ContentException e) {
                throw dstFailure(e, op, doing, subject);
            }
        }
    }

    /** Sends what {@code m} references and the destination lacks (one HEAD each): blobs, and an index's manifests. */
    private void relink(Descriptor m, Map<Digest, byte[]> bytes, Map<Digest, Item> blobs) throws IOException {
        byte[] b = bytes.get(m.digest());
        List<Descriptor> refs = new ArrayList<>();
        if (Graph.isIndex(m)) {
            refs.addAll(ImageIndex.parse(b, "index " + m.digest() + " in " + srcName).manifests());
        } else {
            Manifest parsed = Manifest.parse(b, "manifest " + m.digest() + " in " + srcName);
            refs.add(parsed.config());
            refs.addAll(parsed.layers());
        }
        for (Descriptor r : refs) {
            if (r.isManifest() && bytes.containsKey(r.digest())) {
                if (!dst.exists(r)) pushManifest(r, bytes, blobs);
            } else if (blobs.containsKey(r.digest()) && !dstExists(r)) {
                transfer(blobs.get(r.digest()), false); // a sink has seen it already
            }
        }
    }

    /** Resolves {@code srcRef} (tag or digest) in {@code src}, then {@link #copy(ReadOnlyStorage, Descriptor, Target, String, CopyOptions)}. */
    public static CopyResult copy(ReadOnlyTarget src, String srcRef, Target dst, String dstTagOrNull, CopyOptions o)
            throws IOException {
        Descriptor root;
        try {
            root = src.resolve(srcRef);
        } catch (ContentException e) {
            throw CopyException.at(CopyException.Origin.SOURCE, CopyException.Op.RESOLVE, e);
        }
        return copy(src, root, dst, dstTagOrNull, o);
    }

    /** Copies these blobs (no manifest walk, no tag): the layers a pull needs, into the cache. */
    public static CopyResult blobs(ReadOnlyStorage src, Collection<Descriptor> blobs, Storage dst, CopyOptions o)
            throws IOException {
        CopyOptions opts = o == null ? CopyOptions.defaults() : o;
        Copy c = new Copy(name(src), dst, opts, dst instanceof Target t ? mountSource(src, t, opts) : null);
        Map<Digest, Item> items = new LinkedHashMap<>();
        for (Descriptor d : blobs) items.putIfAbsent(d.digest(), c.item(src, d));
        c.moveAll(new ArrayList<>(items.values()));
        return c.result(null);
    }

    /**
     * Copies blobs known by digest alone (GitHub-mode files; each at most {@code maxSize} bytes) from {@code src}
     * into a local store.
     */
    public static <S extends Storage & ResumablePusher> CopyResult files(DigestFetcher src, Collection<Digest> digests,
            S dst, long maxSize, CopyOptions o) throws IOException {
        Copy c = new Copy(src.name(), dst, o, null);
        Map<Digest, Item> items = new LinkedHashMap<>();
        for (Digest d : digests) {
            items.putIfAbsent(d, new Item(null, Expected.upTo(d, maxSize), CopySources.sourced(offset -> src.fetch(d, offset)),
                    src.describe(d)));
        }
        c.moveAll(new ArrayList<>(items.values()));
        return c.result(null);
    }

    /**
     * Copies one blob whose digest is not known in advance (a release zip, a file listed without a hash) from
     * {@code src}, named {@code what}, into a local store: hashed while it is written, at most {@code maxSize} bytes,
     * stored under the digest of what arrived ({@link Expected#unknown}). A partial of it cannot be resumed (its name
     * is not known): a transient failure fetches it again, whole, up to the options' retries. The listener hears of
     * it with a null digest until the end. Returns the digest.
     */
    public static <S extends Storage & ResumablePusher> Digest unhashed(Ingest.Source src, String what, S dst,
            long maxSize, CopyOptions o) throws IOException {
        Copy c = new Copy(what, dst, o, null);
        return c.transfer(new Item(null, Expected.unknown(maxSize), CopySources.sourced(src), what), false);
    }

    private Item item(ReadOnlyStorage src, Descriptor d) {
        Ingest.Source s = src instanceof RangeFetcher rf ? CopySources.ranged(rf, d, options) : Ingest.Source.whole(src, d);
        return new Item(d, Expected.of(d), CopySources.sourced(s), (d.isManifest() ? "manifest " : "blob ") + d.digest()
                + " from " + name(src));
    }

    private void moveAll(List<Item> items) throws IOException {
        long total = 0;
        for (Item i : items) total += Math.max(0, i.size());
        options.listener().planned(items.size(), total);
        List<Parallel.Task> tasks = new ArrayList<>();
        for (Item i : items) tasks.add(() -> move(i));
        Parallel.run(tasks, options.concurrency());
    }

    private void move(Item it) throws IOException {
        CopyListener l = options.listener();
        boolean there = it.descriptor() != null ? dstExists(it.descriptor())
                : dst instanceof LocalBlobs local && local.has(it.digest()); // a blob known by digest alone
        if (there) {
            BlobSink sink = sinkFor(it);
            if (sink != null) replayFromDestination(it, sink);
            count(skipped, skippedBytes, Math.max(0, it.size()));
            l.skipped(it.digest(), it.size());
            return;
        }
        if (mountFrom != null && it.descriptor() != null) {
            try {
                if (((Mounter) dst).mount(it.descriptor(), mountFrom)) {
                    mounted.incrementAndGet();
                    l.mounted(it.digest(), it.size());
                    return;
                }
            } catch (ContentException e) {
                throw dstFailure(e, CopyException.Op.MOUNT, "mounting from " + mountFrom + " blob", it.digest());
            }
        }
        transfer(it, true);
    }

    /**
     * Sends the blob, retrying transient failures; with {@code sinks}, each attempt gets a new sink of its own (which
     * sees the blob from its first byte: a partial attempt's bytes must not reach the next one's sink). Returns the
     * blob's digest (learned, for content whose digest was not known).
     */
    private Digest transfer(Item it, boolean sinks) throws IOException {
        CopyListener l = options.listener();
        for (int attempt = 0; ; attempt++) {
            try {
                Ingest.Stored stored = moveOnce(it, sinks ? sinkFor(it) : null);
                long n = it.size() >= 0 ? it.size() : dst instanceof LocalBlobs local ? local.size(stored.digest()) : 0;
                count(copied, copiedBytes, n);
                l.copied(stored.digest(), n);
                return stored.digest();
            } catch (ContentException e) {
                CopyException c = transferFailure(e);
                if (!c.isTransient() || attempt >= options.retries()) throw c;
                l.retrying(it.digest(), c);
                Backoff.sleep(Backoff.delay(attempt), it.what());
            }
        }
    }

    /**
     * A failure of a blob's transfer as the side it came from: one the source raised (opening it, reading it) is
     * marked so already ({@link CopySources#sourced}); bytes that arrived wrong (a digest or size mismatch) are the
     * source's too; anything else (storing, a sink) is the destination's.
     */
    private static CopyException transferFailure(ContentException e) {
        boolean wrongBytes = e.kind() == ContentException.Kind.DIGEST_MISMATCH || e.kind() == ContentException.Kind.SIZE_MISMATCH;
        return wrongBytes ? CopyException.at(CopyException.Origin.SOURCE, CopyException.Op.FETCH, e)
                : CopyException.at(CopyException.Origin.DESTINATION, CopyException.Op.PUSH, e);
    }

    /** One attempt. */
    private Ingest.Stored moveOnce(Item it, BlobSink sink) throws IOException {
        String what = it.what();
        if (dst instanceof ResumablePusher rp) {
            return rp.push(it.expected(), it.source(), sink, options.listener(), what); // the sink has seen the blob either way
        }
        InputStream in;
        try {
            in = it.source().open(0).in();
        } catch (ContentException e) {
            throw CopyException.of(CopyException.Origin.SOURCE, CopyException.Op.FETCH, "source " + srcName, e,
                    "fetching blob", it.digest());
        }
        options.listener().started(it.digest(), it.size(), 0);
        try (InputStream v = new CopySources.Observed(new VerifyingInputStream(in, it.descriptor(), what), sink, options.listener())) {
            dst.push(it.descriptor(), v); // a failure of the source names it ("... from SRC"), one of the destination names that
        }
        return new Ingest.Stored(it.digest(), true);
    }

    private BlobSink sinkFor(Item it) {
        return options.sinks() == null ? null : options.sinks().apply(it.digest());
    }

    /** The destination had the blob: its sink reads it from there, verified. */
    private void replayFromDestination(Item it, BlobSink sink) throws IOException {
        try {
            InputStream in = it.descriptor() != null ? dst.fetch(it.descriptor())
                    : ((LocalBlobs) dst).open(it.digest()); // a blob by digest: a local store had it
            Ingest.feed(in, it.expected(), sink, "blob " + it.digest() + " in " + name(dst));
        } catch (ContentException e) {
            throw CopyException.at(CopyException.Origin.DESTINATION, CopyException.Op.FETCH, e);
        }
    }

    private boolean dstExists(Descriptor d) throws IOException {
        try {
            return dst.exists(d);
        } catch (ContentException e) {
            throw dstFailure(e, CopyException.Op.EXISTS, "checking for blob", d.digest());
        }
    }

    /** Whether the destination has manifest {@code m} (a failure keeps its message, marked as the destination's). */
    private boolean dstHas(Descriptor m) throws IOException {
        try {
            return dst.exists(m);
        } catch (ContentException e) {
            throw CopyException.at(CopyException.Origin.DESTINATION, CopyException.Op.EXISTS, e);
        }
    }

    /** A failure of the destination while {@code doing} something to {@code subject} (named unless the message does). */
    private CopyException dstFailure(ContentException e, CopyException.Op op, String doing, Object subject) {
        return CopyException.of(CopyException.Origin.DESTINATION, op, "destination " + name(dst), e, doing, subject);
    }

    private CopyResult result(Descriptor root) {
        return new CopyResult(root, copied.get(), copiedBytes.get(), skipped.get(), skippedBytes.get(), mounted.get());
    }

    private void count(AtomicInteger n, AtomicLong bytes, long size) {
        n.incrementAndGet();
        bytes.addAndGet(size);
    }

    static String name(Object s) {
        return s instanceof ReadOnlyTarget t ? t.name() : String.valueOf(s);
    }

    /** Mount when the destination is a registry and there is a repository on the same registry to mount from. */
    private static String mountSource(Object src, Object dst, CopyOptions o) {
        if (!(dst instanceof Mounter d)) return null;
        if (o.mountFrom() != null) return o.mountFrom().equals(d.repository()) ? null : o.mountFrom();
        if (src instanceof Mounter s && s.registry().equals(d.registry()) && !s.repository().equals(d.repository())) {
            return s.repository();
        }
        return null;
    }
}
