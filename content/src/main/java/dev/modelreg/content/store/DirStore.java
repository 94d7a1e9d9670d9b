package dev.modelreg.content.store;

import dev.modelreg.content.BlobSink;
import dev.modelreg.content.CopyListener;
import dev.modelreg.content.Expected;
import dev.modelreg.content.Ingest;
import dev.modelreg.content.LocalBlobs;
import dev.modelreg.content.ResumablePusher;
import dev.modelreg.content.Storage;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.io.InputStream;

/**
 * A store whose blobs are files of a {@link BlobDir} ({@code root/blobs/ALG/HEX}, written only through {@link Ingest}
 * from {@code root/ingest}): the blob cache and an OCI layout read and write their blobs the same way, here (its
 * constructor is package-private: no store outside this package extends it).
 */
abstract class DirStore implements Storage, ResumablePusher, LocalBlobs {
    final BlobDir blobs;

    DirStore(BlobDir blobs) {
        this.blobs = blobs;
    }

    /** Called once a push stored {@code d}, verified, moments ago (not when it was there already). */
    void stored(Digest d) {}

    @Override
    public boolean exists(Descriptor d) throws IOException {
        return blobs.exists(d);
    }

    /** The blob of {@code d} by its digest: a regular file of the store, never read through a link at its name. */
    @Override
    public InputStream fetch(Descriptor d) throws IOException {
        return open(d.digest());
    }

    @Override
    public void push(Descriptor expected, InputStream content) throws IOException {
        if (blobs.push(expected, content)) stored(expected.digest());
    }

    @Override
    public Ingest.Stored push(Expected expected, Ingest.Source source, BlobSink sink, CopyListener listener, String what)
            throws IOException {
        Ingest.Stored s = blobs.push(expected, source, sink, listener, what);
        if (s.now()) stored(s.digest());
        return s;
    }

    @Override
    public boolean has(Digest d) {
        return blobs.has(d);
    }

    @Override
    public InputStream open(Digest d) throws IOException {
        return blobs.open(d);
    }

    @Override
    public long size(Digest d) throws IOException {
        return blobs.size(d);
    }
}
