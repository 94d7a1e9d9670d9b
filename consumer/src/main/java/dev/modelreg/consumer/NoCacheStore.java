package dev.modelreg.consumer;

import dev.modelreg.content.store.BlobCache;
import dev.modelreg.content.BlobSink;
import dev.modelreg.content.CopyListener;
import dev.modelreg.content.Expected;
import dev.modelreg.content.Ingest;
import dev.modelreg.content.ResumablePusher;
import dev.modelreg.content.Storage;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;

/**
 * Where a {@code pull --no-cache} downloads layers (spec/README.md 9.1): each byte is written once, into the
 * workspace. A single-file layer is ingested (verified, resumable within the run, fetched in ranges when big) into a
 * scratch blob directory beside the workspace, on the same file system, and then renamed to its file; a tar layer is
 * only verified while its members are written out by the sink, and the tar itself is stored nowhere. Nothing enters
 * the cache; the scratch directory is removed when the pull ends.
 */
final class NoCacheStore implements Storage, ResumablePusher {
    private final BlobCache scratch;
    private final Set<Digest> tars;
    private final Set<Digest> extracted = java.util.concurrent.ConcurrentHashMap.newKeySet();

    NoCacheStore(Path scratchRoot, Set<Digest> tars) throws IOException {
        this.scratch = BlobCache.open(scratchRoot);
        this.tars = tars;
    }

    /** True once the layer is here (a single-file layer) or was extracted whole (a tar layer). */
    boolean has(Digest d) {
        return extracted.contains(d) || scratch.has(d);
    }

    /** Where a downloaded single-file layer is, until it is moved to its file. */
    Path path(Digest d) {
        return scratch.path(d);
    }

    @Override
    public boolean exists(Descriptor d) throws IOException {
        return !tars.contains(d.digest()) && scratch.exists(d);
    }

    @Override
    public InputStream fetch(Descriptor d) throws IOException {
        return scratch.fetch(d);
    }

    @Override
    public void push(Descriptor expected, InputStream content) throws IOException {
        scratch.push(expected, content);
    }

    @Override
    public Ingest.Stored push(Expected expected, Ingest.Source source, BlobSink sink, CopyListener listener, String what)
            throws IOException {
        if (expected.learnsDigest() || !tars.contains(expected.digest())) return scratch.push(expected, source, sink, listener, what);
        listener.started(expected.digest(), expected.knownSize(), 0);
        Ingest.feed(source.open(0).in(), expected, sink, what); // verified; the sink writes the members
        extracted.add(expected.digest());
        return new Ingest.Stored(expected.digest(), true);
    }

    @Override
    public String toString() {
        return "no-cache scratch " + scratch.root();
    }
}
