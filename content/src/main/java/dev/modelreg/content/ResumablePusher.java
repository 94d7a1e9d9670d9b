package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import java.io.IOException;

/**
 * Optional capability of a local store: ingest a blob from a {@link Ingest.Source} it may ask for a range, resuming
 * a partial download it kept from an earlier attempt, with a {@link BlobSink} that sees the bytes in the same pass.
 */
public interface ResumablePusher {
    /** Like {@link Pusher#push}, for content of exactly or at most {@code expected}'s size. Returns true if stored now. */
    boolean push(Expected expected, Ingest.Source source, BlobSink sink, CopyListener listener, String what) throws IOException;

    /** {@link #push(Expected, Ingest.Source, BlobSink, CopyListener, String)} for a descriptor; a manifest over the limit is refused unread. */
    default boolean push(Descriptor d, Ingest.Source source, BlobSink sink, CopyListener listener, String what) throws IOException {
        if (d.isManifest()) Manifests.checkSize(d.size(), what);
        return push(Expected.of(d), source, sink, listener, what);
    }
}
