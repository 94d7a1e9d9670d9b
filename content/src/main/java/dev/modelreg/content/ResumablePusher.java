package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import java.io.IOException;

/**
 * Optional capability of a local store: ingest a blob from a {@link Ingest.Source} it may ask for a range, resuming
 * a partial download it kept from an earlier attempt, with a {@link BlobSink} that sees the bytes in the same pass;
 * or content whose digest is not known in advance ({@link Expected#unknown}), stored under the digest that arrived.
 */
public interface ResumablePusher {
    /**
     * Like {@link Pusher#push}, for content of exactly or at most {@code expected}'s size (or of a digest learned from
     * it). Returns the blob's digest and whether this call stored it.
     */
    Ingest.Stored push(Expected expected, Ingest.Source source, BlobSink sink, CopyListener listener, String what) throws IOException;

    /** {@link #push(Expected, Ingest.Source, BlobSink, CopyListener, String)} for a descriptor; a manifest over the limit is refused unread. */
    default Ingest.Stored push(Descriptor d, Ingest.Source source, BlobSink sink, CopyListener listener, String what) throws IOException {
        if (d.isManifest()) Manifests.checkSize(d.size(), what);
        return push(Expected.of(d), source, sink, listener, what);
    }
}
