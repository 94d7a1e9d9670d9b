package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;

/**
 * What a {@link Copy} did. Blobs are config, layers and manifests (the root included); copied = sent, skipped = the
 * destination had them, mounted = linked from another repository of the same registry without sending bytes.
 */
public record CopyResult(Descriptor root, int blobsCopied, long bytesCopied, int blobsSkipped, long bytesSkipped,
        int blobsMounted) {}
