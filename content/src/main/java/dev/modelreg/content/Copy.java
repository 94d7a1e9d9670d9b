package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one generic copy between any two stores (oras-go's copy.go): walk the root manifest (an image index is
 * walked into its manifests), send the config and layers the destination lacks with bounded parallelism, each
 * blob verified on its way (a corrupt source never reaches the destination; the destination verifies again),
 * push each manifest after all of its blobs, and tag last. Push, pull, mirror, export and import are all this.
 */
public final class Copy {
    private static final int MAX_MANIFEST = 4 << 20;

    private final ReadOnlyStorage src;
    private final Target dst;
    private final CopyOptions options;
    private final String mountFrom;
    private final AtomicInteger copied = new AtomicInteger();
    private final AtomicLong copiedBytes = new AtomicLong();
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicLong skippedBytes = new AtomicLong();
    private final AtomicInteger mounted = new AtomicInteger();

    private Copy(ReadOnlyStorage src, Target dst, CopyOptions options) {
        this.src = src;
        this.dst = dst;
        this.options = options;
        this.mountFrom = mountSource(src, dst, options);
    }

    /** Copies the graph under {@code root} from {@code src} to {@code dst}; tags it {@code tagOrNull} if given. */
    public static CopyResult copy(ReadOnlyStorage src, Descriptor root, Target dst, String tagOrNull, CopyOptions o)
            throws IOException {
        Copy c = new Copy(src, dst, o == null ? CopyOptions.defaults() : o);
        ExecutorService pool = Executors.newFixedThreadPool(c.options.concurrency(), r -> {
            Thread t = new Thread(r, "modelreg-copy");
            t.setDaemon(true);
            return t;
        });
        try {
            c.copyNode(root, pool);
        } finally {
            // On failure the other transfers are interrupted; wait (bounded) so their temp files are gone on return.
            pool.shutdownNow();
            try {
                pool.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (tagOrNull != null) dst.tag(root, tagOrNull);
        return new CopyResult(root, c.copied.get(), c.copiedBytes.get(), c.skipped.get(), c.skippedBytes.get(),
                c.mounted.get());
    }

    /** Resolves {@code srcRef} (tag or digest) in {@code src}, then {@link #copy(ReadOnlyStorage, Descriptor, Target, String, CopyOptions)}. */
    public static CopyResult copy(ReadOnlyTarget src, String srcRef, Target dst, String dstTagOrNull, CopyOptions o)
            throws IOException {
        return copy(src, src.resolve(srcRef), dst, dstTagOrNull, o);
    }

    private void copyNode(Descriptor node, ExecutorService pool) throws IOException {
        byte[] bytes = readManifest(node);
        List<Descriptor> blobs = new ArrayList<>();
        if (isIndex(node.mediaType())) {
            for (Descriptor child : indexChildren(bytes, node)) {
                if (child.isManifest()) {
                    copyNode(child, pool);
                } else {
                    blobs.add(child);
                }
            }
        } else {
            Manifest m;
            try {
                m = Manifest.parse(bytes, "manifest " + node.digest() + " in " + name(src));
            } catch (IllegalArgumentException e) {
                throw new ContentException(ContentException.Kind.INVALID, e.getMessage());
            }
            blobs.add(m.config());
            for (Descriptor l : m.layers()) {
                if (options.layerFilter() == null || options.layerFilter().test(l)) blobs.add(l);
            }
        }
        copyBlobs(distinct(blobs), pool);
        if (dst.exists(node)) {
            count(skipped, skippedBytes, node);
        } else {
            dst.push(node, new ByteArrayInputStream(bytes));
            count(copied, copiedBytes, node);
        }
    }

    private void copyBlobs(List<Descriptor> blobs, ExecutorService pool) throws IOException {
        List<Future<Void>> futures = new ArrayList<>();
        for (Descriptor d : blobs) {
            futures.add(pool.submit(() -> {
                copyBlob(d);
                return null;
            }));
        }
        try {
            for (Future<Void> f : futures) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            futures.forEach(f -> f.cancel(true));
            throw new InterruptedIOException("copy interrupted");
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable c = e.getCause();
            if (c instanceof IOException io) throw io;
            if (c instanceof RuntimeException r) throw r;
            throw new IOException(c);
        }
    }

    private void copyBlob(Descriptor d) throws IOException {
        if (dst.exists(d)) {
            count(skipped, skippedBytes, d);
            return;
        }
        if (mountFrom != null && ((RegistryStore) dst).mount(d, mountFrom)) {
            mounted.incrementAndGet();
            return;
        }
        try (InputStream in = new VerifyingInputStream(src.fetch(d), d, "blob " + d.digest() + " from " + name(src))) {
            dst.push(d, in);
        }
        count(copied, copiedBytes, d);
    }

    private byte[] readManifest(Descriptor d) throws IOException {
        if (d.size() > MAX_MANIFEST) {
            throw new ContentException(ContentException.Kind.INVALID, "manifest " + d.digest() + " in " + name(src)
                    + " is " + d.size() + " bytes, more than the 4 MiB limit");
        }
        try (VerifyingInputStream in = new VerifyingInputStream(src.fetch(d), d, "manifest " + d.digest() + " from " + name(src))) {
            return in.readAllBytes();
        }
    }

    private List<Descriptor> indexChildren(byte[] bytes, Descriptor node) throws ContentException {
        String what = "index " + node.digest() + " in " + name(src);
        try {
            Map<String, Object> m = Json.parseObject(bytes, what);
            List<Descriptor> out = new ArrayList<>();
            if (m.get("manifests") instanceof List<?> l) {
                for (int i = 0; i < l.size(); i++) out.add(Manifest.descriptorFrom(l.get(i), what + " manifests[" + i + "]"));
            }
            return out;
        } catch (IllegalArgumentException e) {
            throw new ContentException(ContentException.Kind.INVALID, e.getMessage());
        }
    }

    private static boolean isIndex(String mediaType) {
        return MediaTypes.OCI_INDEX.equals(mediaType) || MediaTypes.DOCKER_MANIFEST_LIST.equals(mediaType);
    }

    private static List<Descriptor> distinct(List<Descriptor> ds) {
        Map<Object, Descriptor> seen = new LinkedHashMap<>();
        for (Descriptor d : ds) seen.putIfAbsent(d.digest(), d);
        return new ArrayList<>(seen.values());
    }

    private static void count(AtomicInteger n, AtomicLong bytes, Descriptor d) {
        n.incrementAndGet();
        bytes.addAndGet(d.size());
    }

    private static String name(ReadOnlyStorage s) {
        return s instanceof ReadOnlyTarget t ? t.name() : s.toString();
    }

    /** Mount when the destination is a registry and there is a repository on the same registry to mount from. */
    private static String mountSource(ReadOnlyStorage src, Target dst, CopyOptions o) {
        if (!(dst instanceof RegistryStore d)) return null;
        if (o.mountFrom() != null) return o.mountFrom().equals(d.repository()) ? null : o.mountFrom();
        if (src instanceof RegistryStore s && s.registry().equals(d.registry()) && !s.repository().equals(d.repository())) {
            return s.repository();
        }
        return null;
    }
}
