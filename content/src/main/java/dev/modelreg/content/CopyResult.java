package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;

/**
 * What a {@link Copy} did. Blobs are config, layers and manifests (the root included); copied = sent, skipped = the
 * destination had them, mounted = linked from another repository of the same registry without sending bytes;
 * referrers = the manifests carried as referrers of the root (or of its referrers), whether sent or there already
 * (their blobs are counted with the others).
 */
public record CopyResult(Descriptor root, int blobsCopied, long bytesCopied, int blobsSkipped, long bytesSkipped,
        int blobsMounted, int referrers) {
    /** A copy that carried no referrers. */
    public CopyResult(Descriptor root, int blobsCopied, long bytesCopied, int blobsSkipped, long bytesSkipped, int blobsMounted) {
        this(root, blobsCopied, bytesCopied, blobsSkipped, bytesSkipped, blobsMounted, 0);
    }
}
